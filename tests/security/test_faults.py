"""Faults (issue 8, item 4 c and d): a Celery worker killed in the middle of a report, and Redis
gone while the web application runs. Against PostgreSQL and Redis (in CI)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from plauen_digital.celery import app as celery_app
from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report

from ..services import redis_url, require_postgres, require_redis

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own: the redelivery of unacknowledged messages works per database,
# so this test cannot hand anyone else's messages around (or get theirs).
FAULT_DB = 13
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@contextlib.contextmanager
def broker(url):
    """Publish through `url` for the duration.

    Both the app's connection pool and its producer pool are swapped: an earlier test in the same
    process may have filled the producer pool with connections to the default broker, and a
    message published through them would never reach a worker listening on `url`."""
    conf = celery_app.conf
    amqp = celery_app.amqp
    saved = (conf.broker_url, conf.broker_write_url, conf.task_always_eager)
    saved_pools = (celery_app._pool, amqp._producer_pool)
    celery_app._pool = amqp._producer_pool = None
    conf.broker_url, conf.broker_write_url, conf.task_always_eager = url, None, False
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
        celery_app._pool, amqp._producer_pool = saved_pools


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue, media_root, broker_url, **env_extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "plauen_digital.settings",
        **env_extra,
    }
    command = [
        sys.executable,
        str(ROOT / "tests" / "security" / "report_worker.py"),
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=WARNING",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-Q",
        queue,
        "-n",
        f"fault-{uuid.uuid4().hex[:8]}@%h",
    ]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        command, cwd=ROOT, env=env, start_new_session=True
    )


def _kill(process, sig=signal.SIGKILL):
    """The worker and its pool processes, as when its machine or container dies."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


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
    job = services.request_report(None, services.timezone.localdate(), enqueue=False)

    with broker(fault_url):
        generate_report.apply_async(args=(job.pk,), queue=queue)
    slow = _start_worker(
        queue,
        media_root,
        fault_url,
        REPORT_TEST_RENDER_DELAY="60",
        REPORT_TEST_VISIBILITY_TIMEOUT="2",
    )
    try:
        # The chapters are built (progress 65 %), the PDF is being rendered: kill it now.
        _wait_for(
            lambda: (
                _job(job.pk).state == ReportJob.State.RUNNING
                and _job(job.pk).progress >= services.DATA_SHARE
            ),
            timeout=120,
            what="the report to reach the rendering",
        )
    finally:
        _kill(slow)
    killed = _job(job.pk)
    assert killed.state == ReportJob.State.RUNNING
    assert not killed.pdf and _files(media_root) == [], "no half-written file"

    time.sleep(3)  # past the visibility timeout: Redis may hand the message out again
    restarted = _start_worker(queue, media_root, fault_url, REPORT_TEST_VISIBILITY_TIMEOUT="2")
    try:
        _wait_for(
            lambda: _job(job.pk).state in (ReportJob.State.DONE, ReportJob.State.FAILED),
            timeout=180,
            what="the restarted worker to finish the report",
        )
    finally:
        _kill(restarted, signal.SIGTERM)
    done = _job(job.pk)
    assert done.state == ReportJob.State.DONE, done.error_message
    files = _files(media_root)
    assert len(files) == 1 and files[0].name == Path(done.pdf.name).name
    content = files[0].read_bytes()
    assert len(content) == done.size
    assert len(PdfReader(files[0]).pages) == done.page_count >= 1


@pytest.mark.django_db(transaction=True)
def test_without_redis_pages_work_and_a_report_request_answers_at_once(client, make_user):
    """Redis unreachable (a closed port, so the shared Redis stays up for everyone else)."""
    client.raise_request_exception = False
    client.force_login(make_user("ratsbuero"))
    with broker(CLOSED_PORT_URL):
        for path in ("/", "/strategie/", "/finanzen/", "/beteiligung/", "/berichte/"):
            assert client.get(path).status_code == 200, path
        started = time.monotonic()
        response = client.post(
            reverse("reports:request"), {"reporting_date": "2026-12-15", "title": ""}
        )
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"the request waited {elapsed:.1f} s for the broker"
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.FAILED
    assert "Hintergrunddienst" in job.error_message
