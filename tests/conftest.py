import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from accounts import roles
from plauen_digital.celery import app as celery_app

from .services import CHROMIUM_PATH, require_chromium

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe to use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLE_GROUPS = {
    "verwaltung": roles.VERWALTUNG,
    "stadtrat": roles.STADTRAT,
    "ag_schule": roles.AG_SCHULE,
    "ratsbuero": roles.RATSBUERO,
}
ROLES = tuple(ROLE_GROUPS)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is not under test; the default hasher costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests, even when CI configures a broker; worker tests opt out."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _german():
    """Each test starts in German: a request in English (language switch tests) leaves English
    active in the thread, which tests that render or format outside a request would inherit."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rolled-back tests can reuse ids on SQLite, and so data stamps (core/caching.py).
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    """make_user("stadtrat", username=...) → a user holding that role (or roles)."""
    counter = {"n": 0}

    def make(*role_keys, username=None, password="sicheres-Passwort-123", **fields):
        counter["n"] += 1
        username = username or f"{'-'.join(role_keys) or 'norole'}-{counter['n']}"
        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        # get_or_create: transactional tests flush the groups the data migration created.
        user.groups.set(
            [Group.objects.get_or_create(name=ROLE_GROUPS[key])[0] for key in role_keys]
        )
        return user

    return make


@pytest.fixture
def role_client(client, make_user):
    """role_client("verwaltung") → a test client logged in as a fresh user of that role."""

    def login(*role_keys, **fields):
        user = make_user(*role_keys, **fields)
        client.force_login(user)
        client.user = user
        return client

    return login


# Browser tests: Debian's Chromium, never a downloaded browser.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


# `make test` runs two workers, each taking whole files (`--dist loadfile`) in collection
# order. The longest files go first, so that they overlap with the many short ones instead of
# running alone at the end (measured with `pytest --durations`; see CONTRIBUTING.md, "Tests").
LONGEST_FIRST = (
    "tests/e2e/test_layout.py",
    "tests/reports/test_print_layout.py",
    "tests/e2e/test_forms.py",
    "tests/security/test_fuzz_queries.py",
    "tests/security/test_fuzz_forms.py",
    "tests/test_url_permissions.py",
    "tests/deploy/test_proxy.py",
    "tests/e2e/test_strategy.py",
    "tests/reports/test_services.py",
    "tests/reports/test_reaper.py",
)


def pytest_collection_modifyitems(session, config, items):
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    root = config.rootpath

    def key(item):
        path = item.path.relative_to(root).as_posix()
        return rank.get(path, len(rank))

    items.sort(key=key)  # stable: files and tests keep their order otherwise
