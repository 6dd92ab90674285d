"""Hardening, proven on real responses: security headers, CSP without inline script, cookies,
session expiry, password rules, the admin behind staff accounts, and production mode."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ..test_url_permissions import CASES

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/konto/anmelden/", "/", "/strategie/"])
def test_security_headers_on_pages(client, make_user, path):
    client.force_login(make_user("verwaltung"))
    response = client.get(path, follow=path == "/konto/anmelden/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], "scripts only from our origin: no inline, no eval"
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("img-src", [])


@pytest.mark.django_db
def test_security_headers_on_error_pages_and_downloads(client, make_user):
    client.force_login(make_user("stadtrat"))
    for path, status in (("/gibt-es-nicht/", 404), ("/strategie/export.csv", 200)):
        response = client.get(path)
        assert response.status_code == status
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def _get_cases():
    """Every GET case of the permission table that some role may open."""
    return [c for c in CASES if c.method == "get" and (c.allowed or c.expect)]


@pytest.mark.django_db
@pytest.mark.parametrize("case", _get_cases(), ids=[c.id for c in _get_cases()])
def test_no_inline_script_or_event_handler_on_any_page(client, make_user, case):
    """The CSP forbids inline script; a page relying on it would silently break. Every page of
    the URL table, as a role allowed to see it, is free of inline script, on*= and hx-on."""
    role = sorted(case.allowed)[0] if case.allowed else None
    user = make_user(role) if role else None
    kwargs = case.setup(user) if case.setup else {}
    if user:
        client.force_login(user)
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = client.get(reverse(case.name, kwargs=kwargs), headers=headers)
    if "text/html" not in response.get("Content-Type", ""):
        return  # downloads (CSV, XLSX, ICS, PDF, JSON) carry no markup
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html), EVENT_HANDLER.findall(html)
    assert not JS_URL.findall(html)


@pytest.mark.django_db
def test_session_cookie_is_httponly_lax_and_ends_with_the_browser(client, make_user):
    user = make_user("ratsbuero", password="sicheres-Passwort-123")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "sicheres-Passwort-123"},
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"], "a browser-session cookie"
    csrf = client.get(reverse("accounts:login")).cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_session_expires_after_eight_hours(client, make_user):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.force_login(make_user("stadtrat"))
    with time_machine.travel(timezone.now() + timedelta(hours=7, minutes=59)):
        assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "password",
    ["kurz", "1234567890123", "password123", "qwertyuiop", "max-mustermann"],
)
def test_weak_passwords_are_refused_in_german(password, django_user_model):
    user = django_user_model(username="max-mustermann", first_name="Max", last_name="Mustermann")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    text = " ".join(refused.value.messages)
    assert re.search(r"Passwort|Kennwort", text), text


def test_a_long_uncommon_password_is_accepted(django_user_model):
    user = django_user_model(username="max-mustermann")
    validate_password("Elster-Trabant-Vogtland-42", user)


@pytest.mark.django_db
def test_admin_needs_a_staff_account(client, make_user):
    admin_login = reverse("admin:login")
    assert client.get("/admin/").status_code == 302
    for role in ("verwaltung", "stadtrat", "ag_schule", "ratsbuero"):
        client.force_login(make_user(role))
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith(admin_login)
        assert client.get("/admin/accounts/user/").status_code == 302
    staff = make_user("verwaltung", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_admin_login_is_throttled_too(client, make_user, settings):
    staff = make_user(is_staff=True, password="sicheres-Passwort-123")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": staff.username, "password": "falsch"})
    locked = client.post(url, {"username": staff.username, "password": "sicheres-Passwort-123"})
    assert locked.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["accounts:login", "admin:login"])
def test_an_over_long_user_name_is_refused_not_a_server_error(client, url):
    """django-axes records failed logins in a 255-character column (500 on PostgreSQL)."""
    response = client.post(reverse(url), {"username": "x" * 5000, "password": "y"})
    # Our login answers an invalid form with 422 (core/htmx.py), the admin's with 200.
    assert response.status_code in (200, 422)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_request_bodies_are_limited(client, make_user):
    """More than DATA_UPLOAD_MAX_MEMORY_SIZE of form data is refused (400), not processed."""
    client.force_login(make_user("verwaltung"))
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("strategy:field_create"), {"title": huge})
    assert response.status_code == 400


PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
call_command("migrate", verbosity=0)
# The manifest of collected static files is a deployment step, not under test here.
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
override_settings(STORAGES=storages).enable()
client = Client()
plain = client.get("/konto/anmelden/")
secure = client.get("/konto/anmelden/", secure=True)
csrf = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "http_status": plain.status_code,
    "http_location": plain.get("Location", ""),
    "https_status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csrf_secure": bool(csrf and csrf["secure"]),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "debug": settings.DEBUG,
}))
"""


def test_production_mode_redirects_to_https_and_sets_strict_cookies():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "PRODUCTION": "true",
        "DEBUG": "true",  # ignored in production
        "SECRET_KEY": "prod-" + "k" * 60,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "plauen_digital.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["http_status"] == 301
    assert probe["http_location"].startswith("https://")
    assert probe["https_status"] == 200
    assert "max-age=31536000" in probe["hsts"]
    assert "includeSubDomains" in probe["hsts"] and "preload" in probe["hsts"]
    assert probe["csrf_secure"] and probe["session_secure"] and probe["session_httponly"]


@pytest.mark.parametrize(
    "password",
    [
        "Passwort2026!",
        "Plauen-Plauen-Plauen",
        "Vogtland123456",
        "H4llo-Sonnenschein",
        "passwortpasswort",
    ],
)
def test_german_and_local_word_passwords_are_refused(password, django_user_model):
    user = django_user_model(username="anna-beispiel")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert "deutschen Wort oder einem Ortsnamen" in " ".join(refused.value.messages)


def test_a_password_with_an_unknown_word_among_local_ones_is_accepted(django_user_model):
    user = django_user_model(username="anna-beispiel")
    validate_password("Plauen-Trabant-Spitze-7", user)


@pytest.mark.django_db
def test_model_permissions_count_for_staff_accounts_only(make_user, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    change_user = Permission.objects.get(codename="change_user")
    clerk = make_user("verwaltung", is_staff=True)
    clerk.user_permissions.add(change_user)
    councillor = make_user("stadtrat")
    councillor.user_permissions.add(change_user)

    assert clerk.has_perm("accounts.change_user")
    assert not councillor.has_perm("accounts.change_user")
    with django_assert_num_queries(0):  # a "no" for a non-staff account reads no tables
        assert not councillor.has_perm("schools_wg.manage_anything_else")


def test_checking_a_very_long_password_stays_fast(django_user_model):
    import time

    started = time.monotonic()
    validate_password("Passwort" * 2_000 + "-Trabant-7", django_user_model(username="lang"))
    assert time.monotonic() - started < 1
