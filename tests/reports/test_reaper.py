"""Report jobs that never hang (issue 14, item 2): heartbeat, claim, stale-job reaper, limits."""

import datetime
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from plauen_digital.celery import app as celery_app
from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report, reap_stale_jobs

from ..services import require_postgres
from ..workers import (
    RedisServer,
    broker,
    kill_group,
    require_redis_server,
    start_report_worker,
    wait_for,
)
from .conftest import REPORTING_DATE

STALE_TEXT = "weil der Hintergrunddienst nicht mehr reagiert hat"


def running_job(heartbeat_age, requeued=0):
    now = timezone.now()
    return ReportJob.objects.create(
        title="Sachstandsbericht",
        reporting_date=REPORTING_DATE,
        state=ReportJob.State.RUNNING,
        progress=40,
        started_at=now - heartbeat_age - datetime.timedelta(seconds=5),
        heartbeat_at=now - heartbeat_age,
        requeued=requeued,
        run_id="dead-run",
    )


def test_limits_derive_from_one_setting():
    limit = django_settings.TASK_TIME_LIMIT
    assert generate_report.time_limit == limit
    assert generate_report.soft_time_limit == django_settings.TASK_SOFT_TIME_LIMIT < limit
    assert celery_app.conf.task_time_limit == limit
    # Redis hands an unacknowledged message to another worker only after the hard limit, so a
    # report that is still running is never taken twice.
    assert celery_app.conf.broker_transport_options["visibility_timeout"] > limit
    assert services.stale_limit() == datetime.timedelta(seconds=limit)
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert schedule["reports-reap-stale-jobs"]["task"] == "reports.reap_stale_jobs"
    assert schedule["outbox-dispatch"]["task"] == "plauen_digital.dispatch_outbox"
    assert schedule["reports-reap-stale-jobs"]["schedule"] <= datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_job_whose_heartbeat_is_older_than_the_limit_is_requeued_once_then_failed(
    settings, role_client
):
    settings.TASK_TIME_LIMIT = 600
    fresh = running_job(datetime.timedelta(seconds=599))
    stale = running_job(datetime.timedelta(seconds=601))

    assert reap_stale_jobs() == {"requeued": 1, "failed": 0}
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.state == ReportJob.State.RUNNING, "a job with a recent heartbeat is left alone"
    assert stale.state == ReportJob.State.PENDING and stale.requeued == 1
    assert (stale.progress, stale.started_at, stale.heartbeat_at, stale.run_id) == (
        0,
        None,
        None,
        "",
    )
    assert stale.history.filter(
        history_change_reason="nach Ausfall des Hintergrunddienstes neu eingereiht"
    ).exists()
    message = OutboxMessage.objects.get()
    assert (message.task, message.args) == ("reports.generate_report", [stale.pk])
    assert reap_stale_jobs() == {"requeued": 0, "failed": 0}, "a pending job is not reaped"

    # Its second worker dies too: the job fails with a German message and the retry button.
    ReportJob.objects.filter(pk=stale.pk).update(
        state=ReportJob.State.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=700),
        started_at=timezone.now() - datetime.timedelta(seconds=720),
    )
    ReportJob.objects.filter(pk=fresh.pk).update(state=ReportJob.State.DONE)
    assert reap_stale_jobs() == {"requeued": 0, "failed": 1}
    stale.refresh_from_db()
    assert stale.state == ReportJob.State.FAILED and STALE_TEXT in stale.error_message
    client = role_client("verwaltung")
    page = client.get(reverse("reports:detail", args=[stale.pk])).content.decode()
    assert STALE_TEXT in page and "Erneut versuchen" in page and "läuft" not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "wird erstellt" not in dashboard and "werden erstellt" not in dashboard

    client.post(reverse("reports:retry", args=[stale.pk]))
    stale.refresh_from_db()
    assert stale.state == ReportJob.State.PENDING and stale.requeued == 0


@pytest.mark.django_db
def test_a_duplicate_message_does_nothing_while_another_run_has_the_job(monkeypatch):
    built = []
    monkeypatch.setattr(services, "build_report_data", lambda job: built.append(job.pk))
    job = running_job(datetime.timedelta(seconds=10))
    assert services.generate(job.pk, run_id="another-run").state == ReportJob.State.RUNNING
    assert built == []
    job.refresh_from_db()
    assert job.run_id == "dead-run"
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.DONE)
    assert services.generate(job.pk, run_id="dead-run").state == ReportJob.State.DONE
    assert built == []


@pytest.mark.django_db
def test_the_task_beats_after_every_chapter(small_strategy, monkeypatch):
    beats = []
    set_progress = services._set_progress

    def record(job_id, progress):
        set_progress(job_id, progress)
        beats.append(ReportJob.objects.get(pk=job_id).heartbeat_at)

    monkeypatch.setattr(services, "_set_progress", record)
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    generate_report.delay(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert len(beats) >= len(services.data.CHAPTERS) and all(beats)
    assert beats == sorted(beats)


# --- A real worker killed outright, twice --------------------------------------------------


def _job(pk):
    return ReportJob.objects.get(pk=pk)


def _rendering(pk):
    job = _job(pk)
    return (
        job.state == ReportJob.State.RUNNING
        and job.heartbeat_at is not None
        and job.progress > services.DATA_SHARE
    )


def _wait_until_stale(pk, limit):
    heartbeat = _job(pk).heartbeat_at
    time.sleep(max(0, (heartbeat - timezone.now()).total_seconds() + limit + 0.5))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_is_requeued_then_failed_then_retried(
    settings, tmp_path, client, make_user
):
    require_postgres()
    require_redis_server()
    media_root = tmp_path / "files"
    settings.MEDIA_ROOT = media_root
    settings.TASK_TIME_LIMIT = 3  # the reaper's limit in this process
    # The workers keep a long limit (and so a long visibility timeout): the killed workers'
    # messages are not handed out again during the test, only the reaper brings the job back.
    slow = {"REPORT_TEST_RENDER_DELAY": "60", "TASK_TIME_LIMIT": "300"}
    redis_server = RedisServer(tmp_path / "redis").start()
    workers = []
    try:
        with broker(redis_server.url):
            client.force_login(make_user("ratsbuero"))
            workers.append(start_report_worker(redis_server.url, media_root, **slow))
            client.post(
                reverse("reports:request"),
                {"reporting_date": REPORTING_DATE.isoformat(), "title": ""},
            )
            pk = ReportJob.objects.get().pk
            wait_for(lambda: _rendering(pk), 120, "the first worker to render the report")
            kill_group(workers[-1])
            assert reap_stale_jobs() == {"requeued": 0, "failed": 0}, "heartbeat still fresh"
            _wait_until_stale(pk, settings.TASK_TIME_LIMIT)
            assert reap_stale_jobs() == {"requeued": 1, "failed": 0}
            assert _job(pk).state == ReportJob.State.PENDING
            assert redis_server.queue_length() == 1  # the outbox sent it on commit

            workers.append(start_report_worker(redis_server.url, media_root, **slow))
            wait_for(lambda: _rendering(pk), 120, "the second worker to render the report")
            kill_group(workers[-1])
            _wait_until_stale(pk, settings.TASK_TIME_LIMIT)
            assert reap_stale_jobs() == {"requeued": 0, "failed": 1}
            job = _job(pk)
            assert job.state == ReportJob.State.FAILED and STALE_TEXT in job.error_message
            assert not job.pdf and not [p for p in Path(media_root).rglob("*") if p.is_file()]
            page = client.get(reverse("reports:detail", args=[pk])).content.decode()
            assert "Erneut versuchen" in page and "läuft" not in page

            client.post(reverse("reports:retry", args=[pk]))
            workers.append(start_report_worker(redis_server.url, media_root, TASK_TIME_LIMIT="300"))
            wait_for(lambda: _job(pk).state == ReportJob.State.DONE, 180, "the retried report")
    finally:
        for worker in workers:
            kill_group(worker)
        redis_server.kill()
    job = _job(pk)
    files = [p for p in Path(media_root).rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_bytes()[:5] == b"%PDF-"
    assert job.size == files[0].stat().st_size and job.requeued == 0
