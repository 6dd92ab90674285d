"""Writes of status reports: request, generate (the task's work), retry, the yearly report, and
the phases and committee dates of the chapter "Vorgehen und Beteiligung"."""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import caching, outbox
from core.editing import save_changes
from core.history import note_change

from . import charts, data, pdf
from .models import CommitteeDate, ProcessPhase, ReportJob

logger = logging.getLogger(__name__)

DEFAULT_TITLE = gettext_lazy("Status report on the digitalisation strategy")
ANNUAL_TITLE = gettext_lazy("December status report on the digitalisation strategy")

# Progress shown while the chapters are built, then for rendering and storing the PDF.
DATA_SHARE = 60
RENDERED_AT = 90

# A job whose worker died goes back in the queue this often before it fails.
MAX_REQUEUES = 1
STALE_MESSAGE = gettext_lazy(
    "The report was interrupted because the background service stopped responding, and it was "
    "interrupted again after being requeued. Please try again; if it fails again, inform the "
    "administration's IT."
)


class ReportError(Exception):
    """A failure whose message (German) is shown to the user on the failed job."""


def _default_title() -> str:
    with translation.override("de"):
        return str(DEFAULT_TITLE)


def report_request(
    *,
    reporting_date: date,
    title: str = "",
    requested_by=None,
    coordination: str | None = None,
    approach_text: str | None = None,
    enqueue: bool = True,
) -> ReportJob:
    """Create a job and, in the same transaction, its outbox row; returns at once, whether or
    not the broker is reachable (the row waits for the dispatcher). `requested_by` is the user,
    None for the command.

    The texts of the chapter "Vorgehen und Beteiligung" are saved with the job; None (the
    command, the yearly report, a requester who may not write them) takes those of the
    previous report."""
    previous = previous_texts()
    # The job and its outbox row in one transaction: the request never depends on the broker.
    with transaction.atomic():
        job = ReportJob.objects.create(
            title=title or _default_title(),
            reporting_date=reporting_date,
            requested_by=requested_by,
            coordination=previous["coordination"] if coordination is None else coordination,
            approach_text=previous["approach_text"] if approach_text is None else approach_text,
        )
        if enqueue:
            _enqueue(job)
    return job


def previous_texts() -> dict:
    """The chapter texts of the newest report, to start the next one from (empty at first)."""
    latest = ReportJob.objects.newest_first().values("coordination", "approach_text").first()
    return latest or {"coordination": "", "approach_text": ""}


def _enqueue(job: ReportJob) -> None:
    outbox.enqueue("reports.generate_report", job.pk)


@transaction.atomic
def report_retry(*, job: ReportJob) -> ReportJob:
    """Put a failed job back in the queue; the old error goes, the history keeps who did it."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ReportJob.State.FAILED:
        raise ReportError(_("Only a failed report can be tried again."))
    job.state = ReportJob.State.PENDING
    job.progress = 0
    job.error_message = ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.requeued = 0
    job.run_id = ""
    note_change(job, reason=_("tried again"))
    job.save()
    _enqueue(job)
    return job


def phase_save(*, phase: ProcessPhase, data: dict, expected_version: int | None) -> ProcessPhase:
    """Create (unsaved `phase`) or edit a phase of the process; `EditConflict` when someone saved
    it in between."""
    return save_changes(phase, data, expected_version=expected_version)


def phase_delete(*, phase: ProcessPhase) -> None:
    """Delete a phase; its history keeps it for reports of earlier dates."""
    phase.delete()


def committee_date_save(
    *, committee_date: CommitteeDate, data: dict, expected_version: int | None
) -> CommitteeDate:
    """Create (unsaved `committee_date`) or edit a committee date; `EditConflict` when someone
    saved it in between."""
    return save_changes(committee_date, data, expected_version=expected_version)


def committee_date_delete(*, committee_date: CommitteeDate) -> None:
    """Delete a committee date; its history keeps it for reports of earlier dates."""
    committee_date.delete()


def report_create_annual(*, today: date | None = None) -> ReportJob | None:
    """The December report, once per year on the configured day (beat runs this daily).

    Idempotent: the job's `schedule_key` ("annual-2026") is unique, so a second run the same
    year, or two beat processes at once, create nothing.
    """
    today = today or timezone.localdate()
    if (today.month, today.day) != (settings.STATUS_REPORT_MONTH, settings.STATUS_REPORT_DAY):
        return None
    key = f"annual-{today.year}"
    if ReportJob.objects.filter(schedule_key=key).exists():
        return None
    try:
        with transaction.atomic():
            with translation.override("de"):
                title = f"{ANNUAL_TITLE} {today.year}"
            job = ReportJob.objects.create(
                title=title, reporting_date=today, schedule_key=key, **previous_texts()
            )
            _enqueue(job)
    except IntegrityError:
        return None  # created concurrently by another run
    return job


def _set_progress(job_id: int, progress: int) -> None:
    # A plain update: progress and heartbeat are not audited, and the polling page reads them
    # from the row. Every step is a sign of life for the stale-job reaper.
    ReportJob.objects.filter(pk=job_id).update(progress=progress, heartbeat_at=timezone.now())


def stale_limit() -> timedelta:
    """A running job without a heartbeat for this long has lost its worker: the task's hard
    time limit would have ended it by now."""
    return timedelta(seconds=settings.TASK_TIME_LIMIT)


def _claim(job_id: int, run_id: str) -> ReportJob | None:
    """Take the job for this task run, or None if it is finished or another live run has it.

    A redelivered or retried message (same run id) and a run after the reaper requeued the job
    may take it; a duplicate of a message for a job that is running or finished does nothing."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        now = timezone.now()
        if job.state in (ReportJob.State.DONE, ReportJob.State.FAILED):
            return None
        if (
            job.state == ReportJob.State.RUNNING
            and job.run_id != run_id
            and job.heartbeat_at
            and job.heartbeat_at >= now - stale_limit()
        ):
            return None
        job.state = ReportJob.State.RUNNING
        job.started_at = job.heartbeat_at = now
        job.run_id = run_id
        job.progress = 5
        job.error_message = ""
        job.save(
            update_fields=[
                "state",
                "started_at",
                "heartbeat_at",
                "run_id",
                "progress",
                "error_message",
            ]
        )
    return job


def render_html(job: ReportJob, content: dict) -> str:
    """The report as an HTML document for print, with its charts laid out."""
    context = {"job": job, **content, "print_css": pdf.static_file_uri("reports/print.css")}
    fields = content.get("summary", {}).get("fields", [])
    context["progress_chart"] = charts.grouped_bars(
        [f["code"] for f in fields],
        [{"key": "progress", "label": _("Progress"), "values": [f["progress"] for f in fields]}],
        max_value=100,
    )
    context["progress_chart_desc"] = "; ".join(
        f"{f['code']}: {number_format(f['progress'] or 0, 1)} %" for f in fields
    )
    funding = content.get("funding") or {}
    if funding.get("available"):
        rows = funding["rows"]
        context["funding_chart"] = charts.grouped_bars(
            [str(row["year"]) for row in rows],
            [
                {"key": "cost", "label": _("Costs"), "values": [r["cost"] for r in rows]},
                {
                    "key": "grants",
                    "label": _("Grants"),
                    "values": [r["grants_total"] for r in rows],
                },
                {"key": "gap", "label": _("Funding gap"), "values": [r["gap"] for r in rows]},
            ],
        )
        context["funding_source_blocks"] = year_blocks(funding)
        context["funding_chart_desc"] = "; ".join(
            _("%(year)s: costs %(cost)s €, grants %(grants)s €, gap %(gap)s €")
            % {
                "year": r["year"],
                "cost": number_format(r["cost"], 0, force_grouping=True),
                "grants": number_format(r["grants_total"], 0, force_grouping=True),
                "gap": number_format(r["gap"], 0, force_grouping=True),
            }
            for r in rows
        )
    return render_to_string("reports/print/report.html", context)


# Years per block of the grants-by-programme table: with the programme column and the total, a
# block fits an A4 landscape page at the report's table font, also for eight-digit sums.
YEARS_PER_BLOCK = 6


def year_blocks(funding: dict, size: int = YEARS_PER_BLOCK) -> list[dict]:
    """The grants-by-programme table split into blocks of `size` years; every block repeats the
    programme names, the last one carries the total."""
    years = [row["year"] for row in funding.get("rows", [])]
    blocks = []
    for start in range(0, len(years), size):
        block_years = years[start : start + size]
        blocks.append(
            {
                "first": block_years[0],
                "last": block_years[-1],
                "years": block_years,
                "with_total": start + size >= len(years),
                "sources": [
                    {
                        "title": source["title"],
                        "amounts": source["by_year"][start : start + size],
                        "total": source["total"],
                    }
                    for source in funding.get("sources", [])
                ],
            }
        )
    return blocks


def build_report_data(job: ReportJob) -> dict:
    """Run every chapter builder, reporting progress after each."""
    previous = ReportJob.objects.previous_to(job)
    ctx = data.ReportContext(
        title=job.title,
        reporting_date=job.reporting_date,
        changes_since=(previous.started_at or previous.requested_at) if previous else None,
        changes_until=job.started_at or timezone.now(),
        coordination=job.coordination,
        approach_text=job.approach_text,
    )
    result: dict[str, object] = {"previous": _previous_info(previous)}
    for index, (key, builder) in enumerate(data.CHAPTERS, start=1):
        result[key] = builder(ctx)
        _set_progress(job.pk, 5 + DATA_SHARE * index // len(data.CHAPTERS))
    return result


def _previous_info(previous: ReportJob | None) -> dict | None:
    if previous is None:
        return None
    return {"title": previous.title, "reporting_date": previous.reporting_date}


def generate(job_id: int, run_id: str = "") -> ReportJob:
    """The work of the task: build the data, render the PDF, store it atomically, finish the job.

    Idempotent: a job that is finished, or running in another live task run, is left alone.
    Transient database errors propagate (the task retries them); any other failure marks the
    job failed with a German message and leaves no file behind.
    """
    with translation.override("de"):
        job = _claim(job_id, run_id)
        if job is None:
            return ReportJob.objects.get(pk=job_id)
        try:
            content = build_report_data(job)
            html = render_html(job, content)
            _set_progress(job.pk, DATA_SHARE + 5)
            document = pdf.render_pdf(html)
            _set_progress(job.pk, RENDERED_AT)
            _store(job, document, content)
        except Exception as error:
            from .tasks import TRANSIENT_ERRORS

            if isinstance(error, TRANSIENT_ERRORS):
                _mark_pending_for_retry(job)
                raise
            logger.exception("Status report %s failed", job_id)
            _mark_failed(job, error)
            return job
    return job


def _store(job: ReportJob, document: bytes, content: dict) -> None:
    """Save the finished PDF and its figures; the file appears in storage only once complete."""
    name = job.download_name
    storage = job.pdf.storage
    # The name is chosen before writing, so that a write that fails half-way (a full disk)
    # can remove what it left: storage.save names nothing when it raises.
    stored_name = storage.get_available_name(data_path(job, name))
    try:
        # The PDF is complete in memory before it is written, and the job points to the file
        # (and offers the download) only after storage has all of it.
        stored_name = storage.save(stored_name, ContentFile(document, name=name))
        with transaction.atomic():
            job.pdf.name = stored_name
            job.size = len(document)
            job.page_count = pdf.page_count(document)
            job.sha256 = hashlib.sha256(document).hexdigest()
            job.snapshot = data.snapshot(content)
            job.state = ReportJob.State.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save()
    except BaseException:
        if storage.exists(stored_name):
            storage.delete(stored_name)
        job.pdf.name = ""
        raise


def data_path(job: ReportJob, name: str) -> str:
    return job.pdf.field.generate_filename(job, name)


def _mark_failed(job: ReportJob, error: Exception) -> None:
    message = str(error) if isinstance(error, ReportError) else ""
    job.refresh_from_db()
    if job.pdf:
        job.pdf.delete(save=False)
    job.state = ReportJob.State.FAILED
    job.error_message = message or _(
        "The report could not be generated. Please try again; if it fails again, inform the "
        "administration's IT."
    )
    job.finished_at = timezone.now()
    job.save()


def reap_stale_jobs(now=None) -> dict:
    """Beat (every minute): running jobs whose worker died (no heartbeat within the task's time
    limit) go back in the queue once; the second time they fail with a German message, and the
    job page offers "Erneut versuchen"."""
    now = now or timezone.now()
    limit = stale_limit()
    counts = {"requeued": 0, "failed": 0}
    for pk in list(ReportJob.objects.stale(now, limit).values_list("pk", flat=True)):
        with transaction.atomic(), translation.override("de"):
            job = (
                ReportJob.objects.select_for_update(skip_locked=True)
                .stale(now, limit)
                .filter(pk=pk)
                .first()
            )
            if job is None:
                continue  # finished meanwhile, or another reaper has it
            logger.warning("Status report %s lost its worker (requeued %s×)", pk, job.requeued)
            if job.requeued < MAX_REQUEUES:
                job.state = ReportJob.State.PENDING
                job.progress = 0
                job.started_at = job.heartbeat_at = None
                job.run_id = ""
                job.requeued += 1
                note_change(job, reason=_("requeued after the background service stopped"))
                job.save()
                _enqueue(job)
                counts["requeued"] += 1
            else:
                note_change(job, reason=_("failed after the background service stopped"))
                _mark_failed(job, ReportError(STALE_MESSAGE))
                counts["failed"] += 1
    return counts


def _mark_pending_for_retry(job: ReportJob) -> None:
    try:
        with transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.PENDING, progress=0)
            caching.bump(ReportJob)  # update() sends no signal; the dashboard counts states
    except Exception:  # the database itself is away; the retry will set the state
        logger.warning("Could not reset report %s before retrying", job.pk)


def write_to_file(job: ReportJob, path) -> None:
    """Copy a finished report's PDF out of storage (the status_report command)."""
    with job.pdf.open("rb") as source, open(path, "wb") as target:
        for chunk in source.chunks():
            target.write(chunk)
