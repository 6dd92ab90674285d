"""Which outside services a test needs, and what happens when one is missing.

Locally a missing PostgreSQL, Redis or Chromium skips the test with a clear reason; in CI
(CI=true) the same absence fails it, so CI can never pass by skipping.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NGINX_PATH = os.environ.get("NGINX_PATH", "nginx")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if in_ci():
        pytest.fail(f"CI=true, but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def redis_reachable() -> bool:
    url = redis_url()
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    require(
        connection.vendor == "postgresql",
        "this test needs PostgreSQL: set DATABASE_URL=postgres://… (runs in CI)",
    )


def require_redis() -> None:
    require(redis_reachable(), "this test needs Redis: set REDIS_URL=redis://… (runs in CI)")


def require_chromium() -> None:
    require(
        bool(shutil.which(CHROMIUM_PATH)),
        f"this browser test needs Chromium at {CHROMIUM_PATH} (Debian package chromium)",
    )


def require_nginx() -> str:
    """The nginx binary (Debian package nginx-light) and openssl for a throwaway certificate."""
    path = shutil.which(NGINX_PATH) or shutil.which("/usr/sbin/nginx")
    require(
        bool(path and shutil.which("openssl")),
        "this proxy test needs nginx and openssl (Debian packages nginx-light, openssl)",
    )
    return path
