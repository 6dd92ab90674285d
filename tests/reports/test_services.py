"""Generating, failing, retrying and the yearly December report."""

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError

from plauen_digital.reports import pdf, services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import create_annual_report, generate_report

from .conftest import REPORTING_DATE


def stored_files():
    def walk(path):
        directories, files = default_storage.listdir(path)
        for name in files:
            yield f"{path}/{name}"
        for directory in directories:
            yield from walk(f"{path}/{directory}")

    return list(walk("private")) if default_storage.exists("private") else []


@pytest.mark.django_db
def test_task_generates_the_report_eagerly_without_a_broker(small_strategy):
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    assert generate_report.delay(job.pk).get(timeout=60) == "done"
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.started_at <= job.finished_at
    assert stored_files() == [job.pdf.name]


@pytest.mark.django_db
def test_a_failing_render_leaves_a_failed_job_and_no_file(small_strategy, monkeypatch):
    def broken(html):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    generate_report.delay(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.error_message.startswith("Der Bericht konnte nicht erstellt werden.")
    assert not job.pdf
    assert job.sha256 == "" and job.size is None
    assert stored_files() == []


@pytest.mark.django_db
def test_a_full_disk_leaves_no_truncated_pdf_in_storage(small_strategy, monkeypatch):
    """The disk fills up half-way through writing: the job fails and no partial file stays."""
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save

    def half_then_full(self, name, content):
        real_save(self, name, type(content)(content.read()[:100], name=content.name))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    generate_report.delay(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert not job.pdf
    assert stored_files() == []


@pytest.mark.django_db
def test_a_failure_after_writing_the_file_removes_it(small_strategy, monkeypatch):
    """The PDF is in storage but the job cannot be finished: the half-done file goes again."""

    def broken(content):
        raise ValueError("unreadable PDF")

    monkeypatch.setattr(pdf, "page_count", broken)
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    services.generate(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert not job.pdf
    assert stored_files() == []


@pytest.mark.django_db
def test_transient_database_errors_are_retried(small_strategy, monkeypatch):
    calls = []
    real = services.build_report_data

    def flaky(job):
        calls.append(job.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(job)

    monkeypatch.setattr(services, "build_report_data", flaky)
    monkeypatch.setattr(generate_report, "default_retry_delay", 0)
    monkeypatch.setattr(generate_report, "retry_backoff", False)
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    result = generate_report.apply(args=(job.pk,), throw=False)
    job.refresh_from_db()
    assert result.get() == "done"
    assert len(calls) == 2
    assert job.state == ReportJob.State.DONE


def test_task_options_are_safe_for_a_long_job():
    assert generate_report.acks_late is True
    assert (
        generate_report.time_limit and generate_report.soft_time_limit < generate_report.time_limit
    )
    assert OperationalError in generate_report.autoretry_for
    assert generate_report.max_retries >= 3


@pytest.mark.django_db
def test_retry_requeues_a_failed_job(small_strategy, django_capture_on_commit_callbacks):
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    ReportJob.objects.filter(pk=job.pk).update(state="failed", error_message="Fehler")
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(job=job)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.error_message == ""
    assert job.history.filter(history_change_reason="erneut versucht").exists()


@pytest.mark.django_db
def test_only_failed_jobs_can_be_retried():
    job = ReportJob.objects.create(title="T", reporting_date=REPORTING_DATE)
    with pytest.raises(services.ReportError):
        services.report_retry(job=job)


@pytest.mark.django_db(transaction=True)
def test_beat_creates_exactly_one_december_report_per_year(municipality, time_machine):
    time_machine.move_to("2026-12-01 06:30 +01:00", tick=False)
    first = create_annual_report.delay().get()
    second = create_annual_report.delay().get()
    assert first is not None and second is None
    assert services.report_create_annual(today=date(2026, 12, 1)) is None
    jobs = ReportJob.objects.filter(schedule_key__isnull=False)
    assert [(j.schedule_key, j.reporting_date, j.state) for j in jobs] == [
        ("annual-2026", date(2026, 12, 1), "done")
    ]
    assert jobs[0].title == "Dezember-Sachstandsbericht zur Digitalisierungsstrategie 2026"
    # Other days create nothing; the next year gets its own report.
    assert services.report_create_annual(today=date(2026, 12, 2)) is None
    assert services.report_create_annual(today=date(2027, 12, 1)).schedule_key == "annual-2027"
    assert ReportJob.objects.count() == 2


@pytest.mark.django_db
def test_the_day_of_the_yearly_report_is_configurable(settings):
    settings.STATUS_REPORT_MONTH, settings.STATUS_REPORT_DAY = 11, 20
    assert services.report_create_annual(today=date(2026, 12, 1)) is None
    job = services.report_create_annual(today=date(2026, 11, 20))
    assert job.schedule_key == "annual-2026"


@pytest.mark.django_db
def test_changes_annex_lists_history_since_the_previous_report(small_strategy, time_machine):
    from django.utils import timezone, translation

    from strategy.models import Measure

    # The first report is dated the day the data was entered (a report states the figures of
    # its date, so one dated before would show none).
    today = timezone.localdate()
    first = services.report_request(reporting_date=today, enqueue=False)
    services.generate(first.pk)
    time_machine.move_to(timezone.now() + timedelta(days=1))
    measure = Measure.objects.get(code="M 1.2.1")
    measure.progress = 80
    measure.save()
    second = services.report_request(reporting_date=today + timedelta(days=2), enqueue=False)
    services.generate(second.pk)
    second.refresh_from_db()
    changes = second.snapshot["data"]["changes"]
    assert not changes["first_report"]
    with translation.override("de"):
        expected = str(Measure._meta.verbose_name)
    assert [(c["model"], c["object"], c["type"]) for c in changes["entries"]] == [
        (expected, str(measure), "geändert")
    ]
    assert second.snapshot["data"]["previous"]["reporting_date"] == today.isoformat()
    # The comparison of the two snapshots shows the new progress.
    from plauen_digital.reports.data import compare

    first.refresh_from_db()
    rows = {row["key"]: row for row in compare(first.snapshot, second.snapshot)}
    assert rows["measure.M 1.2.1.progress"]["before"] == 20
    assert rows["measure.M 1.2.1.progress"]["after"] == 80
    assert rows["measure.M 1.2.1.progress"]["difference"] == 60
