"""Pages of status reports: archive and request form, one job with its polled status, download,
retry, the comparison of two reports, and the phases and committee dates of the chapter
"Vorgehen und Beteiligung". One function per URL; writes go through reports/services.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core import outbox
from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid, wants_partial

from . import services
from .data import ReportContext, build_approach, compare
from .forms import CommitteeDateForm, CompareForm, ProcessPhaseForm, ReportRequestForm
from .models import CommitteeDate, ProcessPhase, ReportJob

VIEW = "reports.view"
REQUEST = "reports.request"
DOWNLOAD = "reports.download"
EDIT_APPROACH = "reports.edit_approach"

PAGE_SIZE = 20
# htmx stops polling when a response has this status (https://htmx.org/docs/#polling).
HTMX_STOP_POLLING = 286
# The broker is away: the job waits in the outbox and starts once the background service is back.
QUEUED_MESSAGE = gettext_lazy(
    "The report is queued and will be generated as soon as the background service is reachable "
    "again."
)
INDEX_TEMPLATE = "reports/index.html"
APPROACH_FORM_TEMPLATE = "reports/approach_form.html"
APPROACH_DELETE_TEMPLATE = "reports/approach_delete.html"


def archive_page(request):
    """The page of ReportJob (newest first, with requester) the archive shows."""
    jobs = ReportJob.objects.with_people().newest_first()
    return Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))


def index_context(request, request_form=None) -> dict:
    """Context of reports/index.html: page (archive_page), request_form (for those who may
    request), compare_form (for those who may download)."""
    context = {"page": archive_page(request)}
    if request.user.has_perm(REQUEST):
        context["request_form"] = request_form or ReportRequestForm(
            can_write_chapter=request.user.has_perm(EDIT_APPROACH)
        )
    if request.user.has_perm(DOWNLOAD):
        context["compare_form"] = CompareForm()
    return context


@permission_required(VIEW, raise_exception=True)
@require_safe
def index(request):
    """Template: reports/index.html; htmx (not boosted): #archive, the archive's page alone,
    without building the forms it does not show."""
    if wants_partial(request) and not request.htmx.boosted:
        context = {"page": archive_page(request)}
        return render_htmx(request, INDEX_TEMPLATE, context, partial="archive")
    return render_htmx(request, INDEX_TEMPLATE, index_context(request))


@permission_required(REQUEST, raise_exception=True)
@require_POST
def request_report(request):
    """Create a report job and enqueue it, then show its page (the archive, 422, on errors)."""
    can_write = request.user.has_perm(EDIT_APPROACH)
    form = ReportRequestForm(request.POST, can_write_chapter=can_write)
    if not form.is_valid():
        return render_invalid(request, INDEX_TEMPLATE, index_context(request, request_form=form))
    with outbox.collect() as side_effects:
        job = services.report_request(
            requested_by=request.user,
            reporting_date=form.cleaned_data["reporting_date"],
            title=form.cleaned_data["title"],
            **(form.chapter_texts() if can_write else {}),
        )
    if side_effects.held_back:
        messages.success(request, QUEUED_MESSAGE)
    else:
        messages.success(request, _("The report has been requested and is being generated."))
    return redirect("reports:detail", pk=job.pk)


def _job(pk) -> ReportJob:
    return get_object_or_404(ReportJob.objects.with_people(), pk=pk)


@permission_required(VIEW, raise_exception=True)
@require_safe
def detail(request, pk):
    """Template: reports/detail.html; context: job (with its status fragment #status)."""
    return render_htmx(request, "reports/detail.html", {"job": _job(pk)})


@permission_required(VIEW, raise_exception=True)
@require_safe
def status(request, pk):
    """The status fragment (reports/detail.html#status) the job page polls every two seconds;
    answers 286 once the job is finished, so htmx stops polling."""
    job = _job(pk)
    code = 200
    if job.is_finished and request.htmx:
        code = HTMX_STOP_POLLING
    return render_htmx(request, "reports/detail.html#status", {"job": job}, status=code)


@permission_required(DOWNLOAD, raise_exception=True)
@require_safe
def download(request, pk):
    """The finished PDF, streamed from private storage as an attachment."""
    job = get_object_or_404(ReportJob, pk=pk)
    if not job.is_done:
        raise Http404(_("This report has no PDF (yet)."))
    try:
        handle = job.pdf.open("rb")
    except (OSError, ValueError):  # the file is gone (lost volume, deleted by hand)
        return _missing_file(request, job)
    response = FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _missing_file(request, job):
    """A German 404 in the layout; those who may request reports can create it anew (the same
    reporting date and title, as a new job: the finished one keeps its record)."""
    context = {"job": job}
    if request.user.has_perm(REQUEST):
        context["request_form"] = ReportRequestForm(
            initial={"reporting_date": job.reporting_date.isoformat(), "title": job.title}
        )
    return render_htmx(request, "reports/missing_file.html", context, status=404)


@permission_required(REQUEST, raise_exception=True)
@require_POST
def retry(request, pk):
    """Put a failed job back in the queue, then show its page."""
    job = get_object_or_404(ReportJob, pk=pk)
    try:
        with outbox.collect() as side_effects:
            services.report_retry(job=job)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        if side_effects.held_back:
            messages.success(request, QUEUED_MESSAGE)
        else:
            messages.success(request, _("The report is being generated again."))
    return redirect("reports:detail", pk=job.pk)


@permission_required(DOWNLOAD, raise_exception=True)
@require_safe
def compare_reports(request):
    """Template: reports/compare.html; context: form, older, newer, rows (the figures that
    changed between the two reports' snapshots)."""
    form = CompareForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        if (newer.reporting_date, newer.requested_at) < (older.reporting_date, older.requested_at):
            older, newer = newer, older
        context.update(older=older, newer=newer, rows=compare(older.snapshot, newer.snapshot))
    return render_htmx(request, "reports/compare.html", context)


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_POST
def preview(request):
    """htmx, from the request form: the chapter "Vorgehen und Beteiligung" as it would be
    printed for the given reporting date and texts (reports/partials/approach_preview.html)."""
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


@permission_required(VIEW, raise_exception=True)
@require_safe
def approach(request):
    """Template: reports/approach.html; context: phases (with responsible unit), dates
    (committee dates), can_edit. The lists the chapter "Vorgehen und Beteiligung" is made of."""
    context = {
        "phases": ProcessPhase.objects.select_related("responsible"),
        "dates": CommitteeDate.objects.all(),
        "can_edit": request.user.has_perm(EDIT_APPROACH),
    }
    return render_htmx(request, "reports/approach.html", context)


def _approach_form(request, form_class, instance, save):
    """Template: reports/approach_form.html; context: form, model_name, is_new. GET shows the
    form; POST validates (422), saves through `save(instance, data, expected_version)` (409 on an
    edit conflict) and goes back to the list."""
    context = {"model_name": instance._meta.verbose_name, "is_new": instance.pk is None}
    if request.method != "POST":
        form = form_class(instance=instance)
        return render_htmx(request, APPROACH_FORM_TEMPLATE, {**context, "form": form})
    form = form_class(request.POST, instance=instance)
    if not form.is_valid():
        return render_invalid(request, APPROACH_FORM_TEMPLATE, {**context, "form": form})
    try:
        save(form.instance, form.changes(), form.expected_version())
    except EditConflict as conflict:
        return render_conflict(request, APPROACH_FORM_TEMPLATE, context, form, conflict)
    messages.success(request, _("Saved."))
    return redirect("reports:approach")


def _approach_delete(request, obj, delete):
    """GET: confirm (reports/approach_delete.html; context: object, model_name); POST: delete
    (the history keeps the record for reports of earlier dates) and go back to the list."""
    if request.method == "POST":
        delete(obj)
        messages.success(request, _("Deleted."))
        return redirect("reports:approach")
    context = {"object": obj, "model_name": obj._meta.verbose_name}
    return render_htmx(request, APPROACH_DELETE_TEMPLATE, context)


def _save_phase(phase, data, expected_version):
    return services.phase_save(phase=phase, data=data, expected_version=expected_version)


def _save_committee_date(committee_date, data, expected_version):
    return services.committee_date_save(
        committee_date=committee_date, data=data, expected_version=expected_version
    )


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def phase_create(request):
    return _approach_form(request, ProcessPhaseForm, ProcessPhase(), _save_phase)


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def phase_edit(request, pk):
    phase = get_object_or_404(ProcessPhase, pk=pk)
    return _approach_form(request, ProcessPhaseForm, phase, _save_phase)


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def phase_delete(request, pk):
    phase = get_object_or_404(ProcessPhase, pk=pk)
    return _approach_delete(request, phase, lambda obj: services.phase_delete(phase=obj))


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def committee_date_create(request):
    return _approach_form(request, CommitteeDateForm, CommitteeDate(), _save_committee_date)


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def committee_date_edit(request, pk):
    committee_date = get_object_or_404(CommitteeDate, pk=pk)
    return _approach_form(request, CommitteeDateForm, committee_date, _save_committee_date)


@permission_required(EDIT_APPROACH, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def committee_date_delete(request, pk):
    committee_date = get_object_or_404(CommitteeDate, pk=pk)
    return _approach_delete(
        request, committee_date, lambda obj: services.committee_date_delete(committee_date=obj)
    )
