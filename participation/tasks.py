"""Celery tasks of council participation. They take ids and call services."""

import smtplib

from celery import shared_task

from . import services


@shared_task(name="participation.notify_opened")
def notify_opened(consultation_id: int) -> int:
    """Announce one consultation that has opened to every current councillor."""
    return services.consultation_announce(consultation_id=consultation_id)


@shared_task(name="participation.notify_all_opened")
def notify_all_opened() -> int:
    """Beat: announce running consultations (catches those whose opening time has come)."""
    return services.consultations_announce_running()


@shared_task(name="participation.notify_closing_soon")
def notify_closing_soon() -> int:
    """Beat: remind councillors who have not voted that a consultation closes within 48 hours."""
    return services.consultations_remind_closing(hours=48)


# The mail server may be briefly away; the notification stays pending until it is sent (and
# the daily digest would pick it up should every retry fail).
@shared_task(
    name="participation.send_notification",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def send_notification(notification_id: int) -> bool:
    """Send one notification to a person who wants e-mails immediately (idempotent)."""
    return services.notification_send(notification_id=notification_id)


@shared_task(name="participation.send_digests")
def send_digests() -> int:
    """Beat (daily): one digest mail per person with their pending notifications."""
    return services.notifications_send_digests()
