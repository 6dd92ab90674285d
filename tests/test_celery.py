"""The Celery app: eager without a broker, and a real worker against Redis (CI)."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from core.tasks import health_check
from plauen_digital.celery import app as celery_app

from .services import require_redis


def test_celery_configuration_is_safe():
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_time_limit > 0
    assert "plauen_digital.health_check" in celery_app.tasks


def test_publishing_fails_fast_when_the_broker_is_away():
    """A web request publishes (through the outbox) with one short attempt, never the default
    retries and unbounded socket waits that made a write hang for 19 s."""
    conf = celery_app.conf
    options = conf.broker_transport_options
    assert options["max_retries"] == 0
    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1
    assert conf.broker_connection_timeout <= 1
    assert conf.task_publish_retry_policy["max_retries"] <= 1


def test_task_runs_eagerly_without_a_broker():
    assert health_check.delay("eager").get(timeout=5) == "ok:eager"


@pytest.mark.django_db(transaction=True)
def test_task_runs_through_a_real_worker():
    require_redis()
    # The autouse fixture in conftest.py turns in-process execution back on afterwards.
    celery_app.conf.task_always_eager = False
    # A queue of its own: a worker started earlier in this process with `queues=[...]` leaves
    # the app consuming only those (and a parallel test process's worker must not take it).
    queue = f"health-{uuid.uuid4().hex}"
    with start_worker(
        celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]
    ):
        result = health_check.apply_async(args=("worker",), queue=queue)
        assert result.get(timeout=20) == "ok:worker"
