"""A status report through a real Celery worker against Redis (runs in CI)."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from plauen_digital.celery import app as celery_app
from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report

from ..services import require_redis
from .conftest import REPORTING_DATE
from .helpers import job_pdf, pdf_text


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_report_through_a_real_worker(small_strategy):
    require_redis()
    celery_app.conf.task_always_eager = False
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    # A queue of its own: a worker of a parallel test process (another database) must not
    # take this task.
    queue = f"reports-test-{uuid.uuid4().hex}"
    with start_worker(
        celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]
    ):
        result = generate_report.apply_async(args=(job.pk,), queue=queue)
        assert result.get(timeout=120) == "done"
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.page_count >= 6
    assert "Handlungsfeld HF 2: Digitale Schule" in pdf_text(job_pdf(job))
