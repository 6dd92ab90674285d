"""Faults (issue 8, item 4 c and d): a Celery worker killed in the middle of a report, and Redis
gone while the web application runs. Against PostgreSQL and Redis (in CI)."""

import signal
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from django.urls import reverse
from pypdf import PdfReader

from core.models import OutboxMessage
from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report

from ..services import redis_url, require_postgres, require_redis
from ..workers import broker, kill_group, start_report_worker, wait_for

# A Redis database of its own: the redelivery of unacknowledged messages works per database,
# so this test cannot hand anyone else's messages around (or get theirs).
FAULT_DB = 13
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


def _job(pk):
    return ReportJob.objects.get(pk=pk)


def _files(media_root):
    return sorted(p for p in Path(media_root).rglob("*") if p.is_file())


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_no_file_and_the_report_completes(settings, tmp_path):
    require_postgres()
    require_redis()
    media_root = tmp_path / "files"
    settings.MEDIA_ROOT = media_root
    parsed = urlparse(redis_url())
    fault_url = f"redis://{parsed.hostname}:{parsed.port or 6379}/{FAULT_DB}"
    redis.Redis.from_url(fault_url).flushdb()
    queue = f"fault-{uuid.uuid4().hex}"
    job = services.report_request(reporting_date=services.timezone.localdate(), enqueue=False)

    with broker(fault_url):
        generate_report.apply_async(args=(job.pk,), queue=queue)
    slow = start_report_worker(
        fault_url,
        media_root,
        queue=queue,
        REPORT_TEST_RENDER_DELAY="60",
        REPORT_TEST_VISIBILITY_TIMEOUT="2",
    )
    try:
        # The chapters are built (progress 65 %), the PDF is being rendered: kill it now.
        wait_for(
            lambda: (
                _job(job.pk).state == ReportJob.State.RUNNING
                and _job(job.pk).progress >= services.DATA_SHARE
            ),
            timeout=120,
            what="the report to reach the rendering",
        )
    finally:
        kill_group(slow)
    killed = _job(job.pk)
    assert killed.state == ReportJob.State.RUNNING
    assert not killed.pdf and _files(media_root) == [], "no half-written file"

    time.sleep(3)  # past the visibility timeout: Redis may hand the message out again
    restarted = start_report_worker(
        fault_url, media_root, queue=queue, REPORT_TEST_VISIBILITY_TIMEOUT="2"
    )
    try:
        wait_for(
            lambda: _job(job.pk).state in (ReportJob.State.DONE, ReportJob.State.FAILED),
            timeout=180,
            what="the restarted worker to finish the report",
        )
    finally:
        kill_group(restarted, signal.SIGTERM)
    done = _job(job.pk)
    assert done.state == ReportJob.State.DONE, done.error_message
    files = _files(media_root)
    assert len(files) == 1 and files[0].name == Path(done.pdf.name).name
    content = files[0].read_bytes()
    assert len(content) == done.size
    assert len(PdfReader(files[0]).pages) == done.page_count >= 1


@pytest.mark.django_db(transaction=True)
def test_without_redis_pages_work_and_a_report_request_answers_at_once(client, make_user):
    """Redis unreachable (a closed port, so the shared Redis stays up for everyone else): the
    job waits in the outbox instead of failing (tests/security/test_broker_outage.py sends it
    once Redis is back)."""
    client.raise_request_exception = False
    client.force_login(make_user("ratsbuero"))
    with broker(CLOSED_PORT_URL):
        for path in ("/", "/strategie/", "/finanzen/", "/beteiligung/", "/berichte/"):
            assert client.get(path).status_code == 200, path
        started = time.monotonic()
        response = client.post(
            reverse("reports:request"), {"reporting_date": "2026-12-15", "title": ""}, follow=True
        )
        elapsed = time.monotonic() - started
    assert elapsed < 2, f"the request waited {elapsed:.1f} s for the broker"
    assert response.status_code == 200
    assert "Der Bericht ist eingereiht" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.PENDING
    assert OutboxMessage.objects.undispatched().get().args == [job.pk]
