"""Models of the project package: the outbox every app's side effects go through."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def undispatched(self):
        return self.filter(dispatched_at__isnull=True)


class OutboxMessage(models.Model):
    """One Celery task to be sent, written in the same transaction as the change that causes it.

    The dispatcher (plauen_digital/outbox.py) hands it to the broker and sets `dispatched_at`;
    until then it waits here, so a change never depends on the broker being reachable."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [
            # The dispatcher reads only the waiting rows, oldest first.
            models.Index(
                fields=["id"],
                name="outbox_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
