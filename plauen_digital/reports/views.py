"""Pages of status reports: archive and request form, one job with its polled status, download,
retry and the comparison of two reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from plauen_digital import outbox

from . import services
from .data import compare
from .forms import CompareForm, ReportRequestForm
from .models import ReportJob

PAGE_SIZE = 20
# htmx stops polling when a response has this status (https://htmx.org/docs/#polling).
HTMX_STOP_POLLING = 286
# The broker is away: the job waits in the outbox and starts once the background service is back.
QUEUED_MESSAGE = gettext_lazy(
    "The report is queued and will be generated as soon as the background service is reachable "
    "again."
)


class IndexView(PermissionRequiredMixin, TemplateView):
    """Template: reports/index.html (htmx: #archive); context: page (of ReportJob, newest
    first), request_form (for those who may request), compare_form."""

    template_name = "reports/index.html"
    permission_required = "reports.view"
    raise_exception = True

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["reports/index.html#archive"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **index_context(self.request)}


def index_context(request, request_form=None) -> dict:
    jobs = ReportJob.objects.with_people().newest_first()
    context = {"page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))}
    if request.user.has_perm("reports.request"):
        context["request_form"] = request_form or ReportRequestForm()
    if request.user.has_perm("reports.download"):
        context["compare_form"] = CompareForm()
    return context


class RequestView(PermissionRequiredMixin, View):
    """POST: create a report job and enqueue it, then show its page (the archive on errors)."""

    permission_required = "reports.request"
    raise_exception = True

    def post(self, request):
        form = ReportRequestForm(request.POST)
        if not form.is_valid():
            context = index_context(request, request_form=form)
            return render(request, IndexView.template_name, context)
        with outbox.collect() as side_effects:
            job = services.request_report(
                request.user, form.cleaned_data["reporting_date"], form.cleaned_data["title"]
            )
        if side_effects.held_back:
            messages.success(request, QUEUED_MESSAGE)
        else:
            messages.success(request, _("The report has been requested and is being generated."))
        return redirect("reports:detail", pk=job.pk)


class DetailView(PermissionRequiredMixin, TemplateView):
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
        response = FileResponse(
            job.pdf.open("rb"),
            as_attachment=True,
            filename=job.download_name,
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


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


class CompareView(PermissionRequiredMixin, TemplateView):
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
