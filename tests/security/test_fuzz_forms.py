"""Hostile input to every form of the project, driven by hypothesis.

Every POST case of the permission table (tests/<app>/url_table.py) that some role may make is
replayed as that role with its fields replaced by hostile values: empty, huge, unicode, control
characters, HTML/JS, SQL-looking text, negative and enormous numbers, malformed dates. The answer
must never be a server error; when it is a validation error or a refusal, no row of any table of
the project may have changed (nothing half-written), and the message is German, never Django's
English default.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..test_url_permissions import CASES

APP_LABELS = {"accounts", "strategy", "finance", "schools_wg", "participation", "reports"}
MODELS = [m for m in apps.get_models() if m._meta.app_label in APP_LABELS]

HOSTILE_TEXT = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE strategy_measure; --",
    "1 OR 1=1",
    '=HYPERLINK("http://evil.example")',
    "../../etc/passwd",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "\u202eRTL-Override",
    "Zeile1\r\nZeile2",
    "a\x00b",
    "\ud7ff\ue000\U0010ffff",
    "😀" * 50,
    "x" * 10_000,
]
HOSTILE_NUMBERS = [
    "-1",
    "-0",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "-999999999999999999999999",
    "999999999999999999999999999999",
    "1,5",
    "1.234,56",
    "0x10",
    "٣",  # an Arabic-Indic digit
]
HOSTILE_DATES = [
    "2026-02-30",
    "31.12.2026",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01T00:00",  # overflowed converting to UTC (a 500)
    "9999-12-31T23:59",  # was accepted, then broke every calendar feed
    "-2026-01-01",
    "2026-13-01T25:61",
    "gestern",
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS + HOSTILE_DATES),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)

ENGLISH_DEFAULTS = re.compile(
    r"This field is required|Enter a valid|Ensure this value|Select a valid choice"
)
ERROR_MARKERS = ("kern-error", "errorlist", 'aria-invalid="true"', 'role="alert"')


def _form_cases():
    cases = []
    for case in CASES:
        if case.method != "post" or not case.allowed or not case.data:
            continue
        if case.name in {"accounts:logout", "set_language"}:
            continue
        cases.append(case)
    return cases


FORM_CASES = _form_cases()


def row_counts() -> dict[str, int]:
    """The number of rows of every table of the project, in one query."""
    tables = sorted({model._meta.db_table for model in MODELS})
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)  # table names from the model registry, not from input
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORM_CASES, ids=[case.id for case in FORM_CASES])
def test_hostile_form_input_never_breaks_or_half_writes(client, make_user, case):
    role = sorted(case.allowed)[0]
    user = make_user(role)
    kwargs = case.setup(user) if case.setup else {}
    url = reverse(case.name, kwargs=kwargs)
    client.force_login(user)
    base = case.data(user) if callable(case.data) else dict(case.data)
    headers = {"HX-Request": "true"} if case.htmx else {}
    fields = {key: st.one_of(st.just(value), HOSTILE) for key, value in base.items()}

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(data=st.fixed_dictionaries(fields))
    def post(data):
        before = row_counts()
        response = client.post(url, data, headers=headers)
        assert response.status_code < 500, (url, data, response.status_code)
        body = response.content.decode(errors="replace")
        refused = response.status_code in (400, 403, 404, 405, 409, 422, 429)
        invalid = response.status_code == 200 and any(m in body for m in ERROR_MARKERS)
        if refused or invalid:
            assert row_counts() == before, ("half-written on refusal", url, data)
            assert not ENGLISH_DEFAULTS.search(body), ENGLISH_DEFAULTS.search(body)

    post()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(username=HOSTILE, password=HOSTILE)
def test_hostile_login_input_is_refused_politely(client, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code in (422, 429)  # the form again with its error, or throttled
    assert "_auth_user_id" not in client.session
