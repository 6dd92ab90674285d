"""The outbox (core/outbox.py): rows commit with the write, go out once, wait while the
broker is away, and survive a restart of the (persistent) broker once handed over."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage

from .services import require_postgres
from .workers import RedisServer, broker, require_redis_server

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
TASK = "plauen_digital.health_check"


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    # Another test may have seen the broker fail a moment ago.
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)


def test_a_row_commits_with_the_write_or_not_at_all():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(TASK, "rolled back")
        raise RuntimeError
    assert not OutboxMessage.objects.exists()

    with transaction.atomic():
        message = outbox.enqueue(TASK, "kept")
        assert OutboxMessage.objects.get().dispatched_at is None  # nothing before the commit
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 1  # sent after it
    assert outbox.dispatch() == []


def test_with_the_broker_away_the_write_succeeds_fast_and_the_row_waits():
    with broker(CLOSED_PORT_URL):
        started = time.monotonic()
        with outbox.collect() as first:
            with transaction.atomic():
                message = outbox.enqueue(TASK, "a")
        with outbox.collect() as second:
            with transaction.atomic():
                later = outbox.enqueue(TASK, "b")
        elapsed = time.monotonic() - started
        assert first.held_back and second.held_back
        message.refresh_from_db()
        later.refresh_from_db()
        assert message.attempts == 1 and "OperationalError" in message.last_error
        # The next writes do not try again at once: one failed attempt covers the burst.
        assert later.attempts == 0
        assert elapsed < 2
        assert outbox.dispatch() == []  # beat's run, broker still away: stops at the first
        assert outbox.waiting() == 2
    # Back (here: eagerly, in-process): both go, oldest first, once.
    assert outbox.dispatch() == [message.pk, later.pk]
    assert outbox.dispatch() == []


def test_collect_says_nothing_when_everything_went_out():
    with outbox.collect() as sent:
        outbox.enqueue(TASK, "x")
    assert sent.ids and not sent.held_back
    with outbox.collect() as nothing:
        pass
    assert not nothing.held_back


def test_sent_rows_are_pruned_after_a_week():
    now = timezone.now()
    old = OutboxMessage.objects.create(task=TASK, dispatched_at=now - datetime.timedelta(days=8))
    recent = OutboxMessage.objects.create(task=TASK, dispatched_at=now - datetime.timedelta(days=1))
    waiting = OutboxMessage.objects.create(task=TASK, created_at=now - datetime.timedelta(days=30))
    assert outbox.prune(now) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


@pytest.mark.postgres
def test_a_row_another_dispatcher_holds_is_skipped_not_sent_twice():
    require_postgres()
    message = OutboxMessage.objects.create(task=TASK, args=["locked"])
    locked, release = threading.Event(), threading.Event()

    def other_dispatcher():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_dispatcher)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        assert outbox.dispatch() == []  # skipped at once, not waited for
        assert time.monotonic() - started < 1
    finally:
        release.set()
        thread.join()
    assert outbox.dispatch() == [message.pk]


@pytest.mark.redis
def test_handed_over_work_survives_a_crash_of_the_persistent_broker(tmp_path):
    require_redis_server()
    server = RedisServer(tmp_path / "redis", appendonly=True).start()
    try:
        with broker(server.url):
            with transaction.atomic():
                outbox.enqueue(TASK, "durable")
            assert server.queue_length() == 1
            assert outbox.waiting() == 0
            server.kill()
            server.start()
            assert server.queue_length() == 1
    finally:
        server.kill()
