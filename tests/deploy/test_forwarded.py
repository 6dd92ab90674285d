"""X-Forwarded-* are trusted only behind the proxy; django-axes locks out the client, not nginx."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.test import override_settings
from django.urls import reverse

from core.proxy import client_ip

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # the address gunicorn sees: nginx's


def _settings_value(name, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        PRODUCTION="true",
        SECRET_KEY="x" * 60,
        DATABASE_URL="sqlite:///:memory:",
        ALLOWED_HOSTS="digital.plauen.example",
        **env,
    )
    code = f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_forwarded_scheme_is_trusted_only_behind_the_proxy():
    assert _settings_value("SECURE_PROXY_SSL_HEADER") == "None"
    assert _settings_value("SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert _settings_value("USE_X_FORWARDED_HOST", BEHIND_PROXY="true") == "False"


@pytest.mark.django_db
def test_a_forwarded_scheme_from_a_client_is_ignored_without_the_proxy(client, settings):
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or (
        settings.SECURE_PROXY_SSL_HEADER is None
    )
    response = client.get(reverse("accounts:login"), headers={"x-forwarded-proto": "https"})
    assert response.wsgi_request.is_secure() is False


def test_the_client_address_comes_from_the_proxy_only_when_configured(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    with override_settings(BEHIND_PROXY=False):
        assert client_ip(request) == PROXY  # a client's claim, ignored
    with override_settings(BEHIND_PROXY=True, PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.7"
        spoofed = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
        assert client_ip(spoofed) == "203.0.113.7"  # the entry nginx wrote is the last
        for bad in ["", "kein-ip", "999.1.1.1"]:
            junk = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=bad)
            assert client_ip(junk) == PROXY


def _login(client, user, password, address):
    return client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_a_lockout_hits_the_attacker_not_everyone(client, make_user, settings):
    user = make_user("stadtrat", password="sicheres-Passwort-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "falsch", "203.0.113.66")
    assert _login(client, user, "sicheres-Passwort-123", "203.0.113.66").status_code == 429
    # The councillor at another address (the same nginx in front) still gets in.
    assert _login(client, user, "sicheres-Passwort-123", "198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_without_the_proxy_a_made_up_forwarded_address_does_not_reset_the_lockout(
    client, make_user, settings
):
    user = make_user("stadtrat", password="sicheres-Passwort-123")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "falsch", f"203.0.113.{n}")
    assert _login(client, user, "sicheres-Passwort-123", "203.0.113.99").status_code == 429


def test_compose_publishes_only_the_proxy_and_gunicorn_reads_its_config():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    proxy, web = services["proxy"], services["web"]
    assert proxy["image"].startswith("nginx")
    assert "443:443" in proxy["ports"]
    assert any("deploy/nginx.conf.template" in volume for volume in proxy["volumes"])
    assert "ports" not in web, "gunicorn is reachable through nginx only"
    assert "gunicorn -c gunicorn.conf.py" in " ".join(web["command"])
    assert web["environment"]["BEHIND_PROXY"] == "true"
    assert (
        "-c" in (ROOT / "Dockerfile").read_text()
        and "gunicorn.conf.py" in (ROOT / "Dockerfile").read_text()
    )


def test_the_nginx_configuration_has_the_limits():
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for directive in [
        "client_header_timeout 10s",
        "client_body_timeout   15s",
        "keepalive_timeout",
        "client_max_body_size 5m",
        "limit_req_zone $login_limit_key zone=login",
        "location = /konto/anmelden/",
        "proxy_request_buffering on",
        "proxy_set_header X-Forwarded-For   $remote_addr",
        "ssl_protocols       TLSv1.2 TLSv1.3",
    ]:
        assert directive in text, directive


def test_gunicorn_uses_threads_and_bounded_requests():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own file)
    assert namespace["worker_class"] == "gthread"
    assert namespace["threads"] >= 2 and namespace["workers"] >= 3
    assert namespace["timeout"] <= 60
    assert namespace["limit_request_line"] <= 8190
