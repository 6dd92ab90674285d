"""Every URL of the project, for anonymous and each role, against one permission table.

The table is the union of tests/<app>/url_table.py. A named URL without a case fails
`test_every_url_has_a_case`, so a new view cannot ship without its permission check being proven.
"""

import importlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES

TABLE_MODULES = ("accounts", "strategy", "finance", "schools_wg", "participation", "reports")
# The admin guards itself (staff only) and is tested in tests/accounts/test_admin.py.
IGNORED_NAMESPACES = {"admin"}


def all_cases():
    cases = []
    for module in TABLE_MODULES:
        try:
            table = importlib.import_module(f"tests.{module}.url_table")
        except ModuleNotFoundError:
            continue
        cases.extend(table.CASES)
    return cases


CASES = all_cases()


def named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from named_urls(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_case():
    covered = {case.name for case in CASES}
    debug_only = {"raise_error"}
    missing = sorted(set(named_urls()) - covered - debug_only)
    assert not missing, f"URLs without a permission case in tests/<app>/url_table.py: {missing}"


def test_every_url_is_named():
    def unnamed(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in IGNORED_NAMESPACES:
                    yield from unnamed(pattern, prefix + str(pattern.pattern))
            elif not pattern.name:
                yield prefix + str(pattern.pattern)

    assert not list(unnamed(get_resolver())), "every URL needs a name to be checked"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_url_permission(client, make_user, case, role):
    user = None if role == "anonymous" else make_user(role)
    kwargs = case.setup(user) if case.setup else {}
    url = reverse(case.name, kwargs=kwargs)
    if user:
        client.force_login(user)
    data = case.data(user) if callable(case.data) else case.data
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = getattr(client, case.method)(url, data=data or {}, headers=headers)

    if role in case.expect:
        assert response.status_code == case.expect[role], (url, role)
    elif role == "anonymous":
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), url
    elif role in case.allowed:
        assert response.status_code in case.ok, (url, role, response.status_code)
    else:
        assert response.status_code == 403, (url, role, response.status_code)
