"""Real broker and worker processes for fault tests: a Redis server of the test's own (so it can
be killed and started again without touching the shared one), the app publishing to it, and
report workers started as subprocesses in their own process group."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools
from kombu.utils.collections import eqhash

from plauen_digital.celery import app as celery_app

from .services import require

ROOT = Path(__file__).resolve().parents[1]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def require_redis_server() -> None:
    require(
        os.access(REDIS_SERVER, os.X_OK),
        "this test starts its own Redis: install redis-server (Debian package redis-server)",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """`redis-server` on a free port of its own, in a temporary directory; `kill()` ends it as a
    crash would (SIGKILL), `start()` brings it back on the same port. With `appendonly` it
    persists as the compose Redis does."""

    def __init__(self, directory, appendonly=False):
        self.port = free_port()
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.appendonly = appendonly
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            REDIS_SERVER,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - the system's redis-server
            command, stdout=subprocess.DEVNULL, start_new_session=True
        )
        wait_for(self.ping, 10, f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self):
        """Stop the server without closing its port: connections are accepted, never answered
        (a hung host, a full network path)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def queue_length(self, queue="celery") -> int:
        return self.client().llen(queue)


@contextlib.contextmanager
def broker(url):
    """Publish through `url` (not eagerly) for the duration.

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
        # kombu keeps the pools in global registries keyed by the broker address: close them and
        # take them out, or the next use of the same address would get the closed ones.
        broker_connection = celery_app.connection_for_write()
        for group in (pools.producers, pools.connections):
            pool = dict.pop(group, eqhash(broker_connection), None)
            if pool is not None:
                pool.force_close_all()
        broker_connection.release()
        conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
        celery_app._pool, amqp._producer_pool = saved_pools


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_report_worker(broker_url, media_root, queue=None, **env_extra):
    """`celery worker` (tests/security/report_worker.py: the real worker with test hooks) as a
    subprocess in a process group of its own, against the test database."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DATABASE_URL": database_url(),
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
        "-n",
        f"fault-{uuid.uuid4().hex[:8]}@%h",
    ]
    if queue:
        command += ["-Q", queue]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        command, cwd=ROOT, env=env, start_new_session=True
    )


def kill_group(process, sig=signal.SIGKILL):
    """The worker and its pool processes, as when its machine or container dies."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
