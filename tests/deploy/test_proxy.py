"""The repository's nginx configuration in front of a real gunicorn, on loopback ports.

nginx comes from Debian's package (tests/services.py: skipped locally without it, a failure in
CI). The test renders deploy/nginx.conf.template the way the nginx image does, with a throwaway
self-signed certificate, starts gunicorn with gunicorn.conf.py on a migrated SQLite database of
its own, and probes: slow clients must not stop normal requests, a burst of requests all succeed
(p95 reported), logins are rate limited, large bodies are refused, HTTP goes to HTTPS.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ..services import require_nginx

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"

SLOW_CLIENTS = 20
SLOW_SECONDS = 10
LOAD_REQUESTS = 200
LOAD_CONCURRENCY = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"port {port} did not open")


def render_template(values: dict) -> str:
    """envsubst as the nginx image runs it: only the ${NAME}s given, nginx's $variables stay."""
    text = TEMPLATE.read_text()
    names = set(re.findall(r"\$\{(NGINX_[A-Z_]+)\}", text))
    assert names == set(values), names ^ set(values)
    for name, value in values.items():
        text = text.replace("${" + name + "}", str(value))
    return text


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    nginx = require_nginx()
    base = tmp_path_factory.mktemp("proxy")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        BEHIND_PROXY="true",
        DEBUG="false",
        PRODUCTION="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL="",
        CELERY_BROKER_URL="",
        MEDIA_ROOT=str(base / "files"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    cert, key = base / "cert.pem", base / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{app_port}", "--workers", "2", "--threads", "4"]
        + ["plauen_digital.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=open(base / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    site = render_template(
        {
            "NGINX_HTTP_PORT": f"127.0.0.1:{http_port}",
            "NGINX_HTTPS_PORT": f"127.0.0.1:{https_port}",
            "NGINX_SERVER_NAME": "localhost",
            "NGINX_UPSTREAM": f"127.0.0.1:{app_port}",
            "NGINX_TLS_CERT": cert,
            "NGINX_TLS_KEY": key,
        }
    )
    (base / "site.conf").write_text(site)
    temp = base / "temp"
    temp.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""  # workers must reach the temp folders
    (base / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {base / "nginx.pid"};
error_log {base / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {base / "site.conf"};
}}
"""
    )
    check = subprocess.run(
        [nginx, "-t", "-p", str(base), "-c", str(base / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen(
        [nginx, "-p", str(base), "-c", str(base / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(base / "nginx.out", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    try:
        wait_for_port(app_port, gunicorn)
        wait_for_port(https_port, proxy)
        warm_up(https_port, gunicorn)
        yield {"https": https_port, "http": http_port, "app": app_port, "base": base}
    finally:
        for process in (proxy, gunicorn):
            process.terminate()
        for process in (proxy, gunicorn):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(base / "files", ignore_errors=True)


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the throwaway certificate of this test
    return context


def fetch(port, path="/konto/anmelden/", method="GET", body=None, headers=None, timeout=10):
    """(status, seconds, headers) of one request through nginx over TLS."""
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=timeout, context=tls_context()
    )
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started, dict(response.getheaders())
    finally:
        connection.close()


def warm_up(port, gunicorn, timeout=180):
    """Until gunicorn's workers have loaded Django, the first requests wait: wait for them here,
    so that the probes measure the running site, not its start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {gunicorn.returncode}")
        try:
            if all(fetch(port, timeout=30)[0] == 200 for _ in range(8)):
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError("the site did not answer through nginx")


def test_pages_come_through_tls_with_the_forwarded_scheme(stack):
    status, _seconds, headers = fetch(stack["https"])
    assert status == 200
    assert "camera=()" in headers["Permissions-Policy"]
    # Django sees HTTPS (X-Forwarded-Proto from nginx): the CSRF check demands a matching
    # Referer on a secure request, which it would not on plain HTTP.
    status, _seconds, _headers = fetch(
        stack["https"],
        method="POST",
        body="username=x&password=y",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403
    log = (stack["base"] / "gunicorn.log").read_text()
    assert "Referer checking failed - no Referer" in log


def test_plain_http_is_redirected_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack["http"], timeout=5)
    connection.request("GET", "/konto/anmelden/")
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")
    connection.close()


def test_slow_clients_do_not_block_normal_requests(stack):
    """Slowloris: 20 TLS connections send their headers one line a second for ~10 s; normal
    requests meanwhile are answered within 2 s each, and nginx closes the slow ones."""
    stop = threading.Event()
    closed_by_server = []

    def slow_client():
        raw = socket.create_connection(("127.0.0.1", stack["https"]), timeout=5)
        sock = tls_context().wrap_socket(raw, server_hostname="localhost")
        try:
            sock.sendall(b"GET /konto/anmelden/ HTTP/1.1\r\nHost: localhost\r\n")
            deadline = time.monotonic() + SLOW_SECONDS + 5
            while not stop.is_set() and time.monotonic() < deadline:
                sock.sendall(b"X-Slow: 1\r\n")
                time.sleep(1)
        except OSError:
            closed_by_server.append(True)  # nginx's client_header_timeout ended it
        finally:
            sock.close()

    threads = [threading.Thread(target=slow_client, daemon=True) for _ in range(SLOW_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    timings = []
    started = time.monotonic()
    while time.monotonic() - started < SLOW_SECONDS:
        at = time.monotonic() - started
        try:
            status, seconds, _headers = fetch(stack["https"], timeout=5)
        except OSError as error:
            status, seconds = repr(error), 5.0
        timings.append((round(at, 1), status, round(seconds, 3)))
        time.sleep(0.3)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    slowest = max(seconds for _at, _status, seconds in timings)
    print(f"\nslow-client probe: {len(timings)} requests, slowest {slowest:.3f} s")
    assert len(timings) >= 5
    assert all(status == 200 for _at, status, _s in timings), timings
    assert slowest < 2, timings
    assert closed_by_server, "nginx closes connections that send headers too slowly"


def test_a_burst_of_requests_is_answered(stack):
    paths = ["/konto/anmelden/", "/", "/strategie/"] * (LOAD_REQUESTS // 3 + 1)
    paths = paths[:LOAD_REQUESTS]
    with ThreadPoolExecutor(LOAD_CONCURRENCY) as pool:
        results = list(pool.map(lambda path: fetch(stack["https"], path, timeout=30), paths))
    statuses = {status for status, _s, _h in results}
    timings = sorted(seconds for _status, seconds, _h in results)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"\nload probe: {len(results)} requests, {LOAD_CONCURRENCY} at a time, "
        f"median {timings[len(timings) // 2]:.3f} s, p95 {p95:.3f} s, max {timings[-1]:.3f} s"
    )
    assert statuses <= {200, 302}, statuses
    assert p95 < 5


def test_logins_are_rate_limited_by_the_proxy(stack):
    statuses = [
        fetch(
            stack["https"],
            method="POST",
            body="username=niemand&password=falsch",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )[0]
        for _ in range(25)
    ]
    assert 429 in statuses, statuses
    assert statuses[0] != 429  # the first attempts reach Django
    # Showing the login page is not limited.
    assert fetch(stack["https"])[0] == 200


def test_bodies_over_the_limit_are_refused_by_the_proxy(stack):
    body = b"x" * (6 * 1024 * 1024)
    status, _s, _h = fetch(
        stack["https"],
        path="/strategie/",
        method="POST",
        body=body,
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert status == 413
