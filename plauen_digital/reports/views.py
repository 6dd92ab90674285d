"""Pages of status reports: archive and request form, one job with its polled status, download,
retry and the comparison of two reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from core import outbox
from core.htmx import HtmxTemplateMixin, render_htmx, render_invalid

from . import services
from .data import compare
from .forms import CommitteeDateForm, CompareForm, ProcessPhaseForm, ReportRequestForm
from .models import CommitteeDate, ProcessPhase, ReportJob

PAGE_SIZE = 20
# htmx stops polling when a response has this status (https://htmx.org/docs/#polling).
HTMX_STOP_POLLING = 286
# The broker is away: the job waits in the outbox and starts once the background service is back.
QUEUED_MESSAGE = gettext_lazy(
    "The report is queued and will be generated as soon as the background service is reachable "
    "again."
)


class IndexView(PermissionRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Template: reports/index.html (htmx: #archive); context: page (of ReportJob, newest
    first), request_form (for those who may request), compare_form."""

    template_name = "reports/index.html"
    permission_required = "reports.view"
    raise_exception = True

    def get_htmx_partial(self):
        return None if self.request.htmx.boosted else "archive"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **index_context(self.request)}


def index_context(request, request_form=None) -> dict:
    jobs = ReportJob.objects.with_people().newest_first()
    context = {"page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))}
    if request.user.has_perm("reports.request"):
        context["request_form"] = request_form or ReportRequestForm(
            can_write_chapter=request.user.has_perm("reports.edit_approach")
        )
    if request.user.has_perm("reports.download"):
        context["compare_form"] = CompareForm()
    return context


class RequestView(PermissionRequiredMixin, View):
    """POST: create a report job and enqueue it, then show its page (the archive on errors)."""

    permission_required = "reports.request"
    raise_exception = True

    def post(self, request):
        can_write = request.user.has_perm("reports.edit_approach")
        form = ReportRequestForm(request.POST, can_write_chapter=can_write)
        if not form.is_valid():
            context = index_context(request, request_form=form)
            return render_invalid(request, IndexView.template_name, context)
        with outbox.collect() as side_effects:
            job = services.request_report(
                request.user,
                form.cleaned_data["reporting_date"],
                form.cleaned_data["title"],
                **(form.chapter_texts() if can_write else {}),
            )
        if side_effects.held_back:
            messages.success(request, QUEUED_MESSAGE)
        else:
            messages.success(request, _("The report has been requested and is being generated."))
        return redirect("reports:detail", pk=job.pk)


class DetailView(PermissionRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Template: reports/detail.html; context: job (with its status fragment #status)."""

    template_name = "reports/detail.html"
    permission_required = "reports.view"
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = get_object_or_404(ReportJob.objects.with_people(), pk=self.kwargs["pk"])
        return context


class StatusView(DetailView):
    """The status fragment (reports/detail.html#status) the job page polls every two seconds;
    answers 286 once the job is finished, so htmx stops polling."""

    def get_template_names(self):
        return ["reports/detail.html#status"]

    def render_to_response(self, context, **response_kwargs):
        if context["job"].is_finished:
            response_kwargs["status"] = HTMX_STOP_POLLING if self.request.htmx else 200
        return super().render_to_response(context, **response_kwargs)


class DownloadView(PermissionRequiredMixin, View):
    """The finished PDF, streamed from private storage as an attachment."""

    permission_required = "reports.download"
    raise_exception = True

    def get(self, request, pk):
        job = get_object_or_404(ReportJob, pk=pk)
        if not job.is_done:
            raise Http404(_("This report has no PDF (yet)."))
        try:
            handle = job.pdf.open("rb")
        except (OSError, ValueError):  # the file is gone (lost volume, deleted by hand)
            return self.missing(request, job)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.download_name,
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def missing(self, request, job):
        """A German 404 in the layout; those who may request reports can create it anew (the same
        reporting date and title, as a new job: the finished one keeps its record)."""
        context = {"job": job}
        if request.user.has_perm("reports.request"):
            context["request_form"] = ReportRequestForm(
                initial={"reporting_date": job.reporting_date.isoformat(), "title": job.title}
            )
        return render_htmx(request, "reports/missing_file.html", context, status=404)


class RetryView(PermissionRequiredMixin, View):
    """POST: put a failed job back in the queue."""

    permission_required = "reports.request"
    raise_exception = True

    def post(self, request, pk):
        job = get_object_or_404(ReportJob, pk=pk)
        try:
            with outbox.collect() as side_effects:
                services.retry_report(job, request.user)
        except services.ReportError as error:
            messages.error(request, str(error))
        else:
            if side_effects.held_back:
                messages.success(request, QUEUED_MESSAGE)
            else:
                messages.success(request, _("The report is being generated again."))
        return redirect("reports:detail", pk=job.pk)


class CompareView(PermissionRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Template: reports/compare.html; context: form, older, newer, rows (the figures that
    changed between the two reports' snapshots)."""

    template_name = "reports/compare.html"
    permission_required = "reports.download"
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CompareForm(self.request.GET or None)
        context["form"] = form
        if form.is_valid():
            older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
            if (newer.reporting_date, newer.requested_at) < (
                older.reporting_date,
                older.requested_at,
            ):
                older, newer = newer, older
            context.update(older=older, newer=newer, rows=compare(older.snapshot, newer.snapshot))
        return context


class PreviewView(PermissionRequiredMixin, View):
    """POST (htmx) from the request form: the chapter "Vorgehen und Beteiligung" as it would be
    printed for the given reporting date and texts (reports/partials/approach_preview.html)."""

    permission_required = "reports.edit_approach"
    raise_exception = True

    def post(self, request):
        from django.utils import translation

        from .data import ReportContext, build_approach

        form = ReportRequestForm(request.POST, can_write_chapter=True)
        context = {"form": form}
        if form.is_valid():
            with translation.override("de"):  # the report is always German
                context["approach"] = build_approach(
                    ReportContext(
                        title=form.cleaned_data["title"],
                        reporting_date=form.cleaned_data["reporting_date"],
                        coordination=form.cleaned_data["coordination"],
                        approach_text=form.cleaned_data["approach_text"],
                    )
                )
        return render_htmx(request, "reports/partials/approach_preview.html", context)


class ApproachView(PermissionRequiredMixin, TemplateView):
    """Template: reports/approach.html; context: phases (with responsible unit), dates
    (committee dates), can_edit. The lists the chapter "Vorgehen und Beteiligung" is made of."""

    template_name = "reports/approach.html"
    permission_required = "reports.view"
    raise_exception = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "phases": ProcessPhase.objects.select_related("responsible"),
            "dates": CommitteeDate.objects.all(),
            "can_edit": self.request.user.has_perm("reports.edit_approach"),
        }


class _ApproachEditView(PermissionRequiredMixin, View):
    """Create (no pk) or edit a phase or committee date; saved → back to the list."""

    permission_required = "reports.edit_approach"
    raise_exception = True
    model = form_class = None
    template_name = "reports/approach_form.html"

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk else self.model()

    def render_form(self, form, conflict=None):
        from core.editing import current_values

        status = 409 if conflict else (422 if form.is_bound else 200)
        return render_htmx(
            self.request,
            self.template_name,
            {
                "form": form,
                "model_name": self.model._meta.verbose_name,
                "is_new": form.instance.pk is None,
                "conflict_values": current_values(form, conflict) if conflict else None,
            },
            status=status,
        )

    def get(self, request, pk=None):
        return self.render_form(self.form_class(instance=self.get_object()))

    def post(self, request, pk=None):
        from core.editing import EditConflict

        form = self.form_class(request.POST, instance=self.get_object())
        if form.is_valid():
            try:
                form.save_versioned()
            except EditConflict as conflict:
                return self.render_form(form, conflict.current)
            messages.success(request, _("Saved."))
            return redirect("reports:approach")
        return self.render_form(form)


class PhaseEditView(_ApproachEditView):
    model, form_class = ProcessPhase, ProcessPhaseForm


class CommitteeDateEditView(_ApproachEditView):
    model, form_class = CommitteeDate, CommitteeDateForm


class _ApproachDeleteView(PermissionRequiredMixin, View):
    """GET: confirm; POST: delete (the history keeps the record for reports of earlier dates)."""

    permission_required = "reports.edit_approach"
    raise_exception = True
    model = None

    def get(self, request, pk):
        obj = get_object_or_404(self.model, pk=pk)
        return render_htmx(
            request,
            "reports/approach_delete.html",
            {"object": obj, "model_name": self.model._meta.verbose_name},
        )

    def post(self, request, pk):
        get_object_or_404(self.model, pk=pk).delete()
        messages.success(request, _("Deleted."))
        return redirect("reports:approach")


class PhaseDeleteView(_ApproachDeleteView):
    model = ProcessPhase


class CommitteeDateDeleteView(_ApproachDeleteView):
    model = CommitteeDate
