"""The outbox: side effects of a write (mails, notifications, report jobs) as database rows.

A service calls `enqueue("app.task", *args)` inside its transaction; the row commits with the
change or not at all. After the commit the dispatcher tries to hand the row to Celery at once; if
the broker is away, the write still succeeds and the row waits. Beat runs `dispatch()` every
minute (task `plauen_digital.dispatch_outbox`), so everything waiting goes out once Redis is back.

Exactly once: the dispatcher locks the rows it sends (`select_for_update(skip_locked=True)`), so
two dispatchers never take the same row, and marks them `dispatched_at` in the same transaction.
Should the commit after a successful publish fail, the task runs twice; every task sent through
the outbox therefore re-checks the state of its own row (a notification already sent, a report
already claimed) and does nothing the second time.
"""

import contextlib
import logging
import time
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Rows taken per dispatcher run, and how long sent rows are kept (for inspection) before pruning.
BATCH_SIZE = 200
KEEP_SENT = timedelta(days=7)

# After a failed publish, the dispatch after a commit is not tried again for this long: a burst of
# writes while Redis is down costs one connection attempt, not one per write. Beat always tries.
_BROKER_PAUSE = 10.0
_broker_down_until = 0.0

_collected: ContextVar[list | None] = ContextVar("outbox_collected", default=None)


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Record a Celery task to run once the current transaction commits."""
    message = OutboxMessage.objects.create(task=task_name, args=list(args), kwargs=kwargs)
    collected = _collected.get()
    if collected is not None:
        collected.append(message.pk)
    # Robust (errors logged, not raised) with a broker: the write has committed, and whatever
    # goes wrong here, beat's dispatcher sends the row later. Eagerly, errors show as usual.
    transaction.on_commit(lambda: _dispatch_after_commit(message.pk), robust=not _eager())
    return message


def _dispatch_after_commit(message_id: int) -> None:
    if not _eager() and time.monotonic() < _broker_down_until:
        return  # the broker failed a moment ago; beat will send it
    dispatch(ids=[message_id])


class Collected:
    """The outbox rows written while a `collect()` block ran (one request's write)."""

    def __init__(self):
        self.ids: list[int] = []

    @property
    def held_back(self) -> bool:
        """True if something the write caused is still waiting for the broker."""
        if not self.ids:
            return False
        return OutboxMessage.objects.undispatched().filter(pk__in=self.ids).exists()


@contextlib.contextmanager
def collect():
    """`with outbox.collect() as sent: service(...)`; then `sent.held_back` tells the view whether
    to say that the notice follows later."""
    collected = Collected()
    token = _collected.set(collected.ids)
    try:
        yield collected
    finally:
        _collected.reset(token)


def dispatch(ids=None, limit: int = BATCH_SIZE) -> list[int]:
    """Hand waiting rows to Celery, oldest first; returns the ids sent.

    Stops at the first broker error (the rest waits for the next run). Eagerly (tests, `make run`
    without Redis) the tasks run here, and their errors propagate as any eager task's would."""
    global _broker_down_until
    from celery import current_app as app

    sent = []
    with transaction.atomic():
        rows = OutboxMessage.objects.undispatched().select_for_update(skip_locked=True)
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        for message in rows.order_by("pk")[:limit]:
            message.attempts += 1
            try:
                _publish(app, message)
            except Exception as error:
                if _eager():
                    raise
                logger.warning("Outbox: %s not handed to the broker: %s", message, error)
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                _broker_down_until = time.monotonic() + _BROKER_PAUSE
                break
            message.dispatched_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "dispatched_at", "last_error"])
            sent.append(message.pk)
    if sent:
        _broker_down_until = 0.0
    return sent


def _publish(app, message: OutboxMessage) -> None:
    if _eager():
        if message.task not in app.tasks:
            # The apps' task modules load with the worker; in-process they may not be yet.
            app.loader.import_default_modules()
        app.tasks[message.task].apply_async(args=message.args, kwargs=message.kwargs)
        return
    # No publish retries: the caller may be a web request, and the row waits anyway.
    app.send_task(message.task, args=message.args, kwargs=message.kwargs, retry=False)


def _eager() -> bool:
    from celery import current_app as app

    return bool(app.conf.task_always_eager)


def prune(now=None) -> int:
    """Delete rows sent more than KEEP_SENT ago."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted


def waiting() -> int:
    return OutboxMessage.objects.undispatched().count()
