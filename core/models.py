"""Shared tables of the core package: data version counters, stored import previews and
the outbox every app's side effects go through."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """The version of one model's data, changed inside every transaction that writes it.

    core/caching.py keys cached page parts on these values; see there why they follow
    commit order and MAX(id) does not."""

    key = models.CharField(max_length=100, primary_key=True)  # model label, e.g. "strategy.goal"
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "plauen_digital_dataversion"

    def __str__(self):
        return f"{self.key}: {self.value}"


def new_token():
    return secrets.token_urlsafe(32)


class ImportPreview(models.Model):
    """An uploaded import file kept between its preview and the confirmation.

    The content stays on the server (any web process can read it), so the confirmation applies
    exactly what the user saw, and the client only sends the token back."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    kind = models.CharField(max_length=40)  # which import (core.imports.Importer.kind)
    # A preview belongs to the person who uploaded it and is worthless without them.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    # {item key: version} as the preview showed them; the confirmation refuses if any moved.
    seen = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import preview")
        db_table = (
            "plauen_digital_importpreview"  # moved from the project package; see core/migrations
        )

    def __str__(self):
        return f"{self.kind}: {self.filename}"


class OutboxMessageQuerySet(models.QuerySet):
    def undispatched(self):
        return self.filter(dispatched_at__isnull=True)


class OutboxMessage(models.Model):
    """One Celery task to be sent, written in the same transaction as the change that causes it.

    The dispatcher (core/outbox.py) hands it to the broker and sets `dispatched_at`;
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
        db_table = "plauen_digital_outboxmessage"
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
