"""Celery tasks of status reports: they take ids and call the services."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

# Errors worth another try: the database or the broker was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


# The limits come from settings.TASK_TIME_LIMIT, as do the broker's visibility timeout and the
# reaper's idea of a dead job (a heartbeat older than the hard limit).
@shared_task(
    name="reports.generate_report",
    bind=True,
    acks_late=True,
    time_limit=settings.TASK_TIME_LIMIT,
    soft_time_limit=settings.TASK_SOFT_TIME_LIMIT,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def generate_report(self, job_id: int) -> str:
    """Generate the status report of a job (German, PDF in storage); returns its state."""
    return services.generate(job_id, run_id=self.request.id or "").state


@shared_task(name="reports.reap_stale_jobs", acks_late=True, time_limit=60, soft_time_limit=50)
def reap_stale_jobs() -> dict:
    """Beat (every minute): requeue once, or fail, running jobs whose worker has died."""
    return services.reap_stale_jobs()


@shared_task(name="reports.create_annual_report", acks_late=True, time_limit=60, soft_time_limit=50)
def create_annual_report() -> int | None:
    """Daily: on the configured day, create this year's December report (once per year)."""
    job = services.report_create_annual()
    return job.pk if job else None
