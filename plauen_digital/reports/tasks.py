"""Celery tasks of status reports: they take ids and call the services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

# Errors worth another try: the database or the broker was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    name="reports.generate_report",
    acks_late=True,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def generate_report(job_id: int) -> str:
    """Generate the status report of a job (German, PDF in storage); returns its state."""
    return services.generate(job_id).state


@shared_task(name="reports.create_annual_report", acks_late=True, time_limit=60, soft_time_limit=50)
def create_annual_report() -> int | None:
    """Daily: on the configured day, create this year's December report (once per year)."""
    job = services.create_annual_report()
    return job.pk if job else None
