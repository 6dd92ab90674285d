"""Hostile query strings: every GET form (filters, paging, comparisons) found on the pages of the
URL table gets NUL bytes, huge, negative, malformed and HTML values in each of its fields. The
answer is a page or a refusal, never a server error."""

import re

import pytest
from django.urls import reverse

from ..test_url_permissions import CASES

GET_FORM = re.compile(r"<form[^>]*method=\"get\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)[^>]*\sname=\"([^\"]+)\"", re.IGNORECASE)
HOSTILE = ["\x00", "x" * 5000, "-1", "99999999999999999999", "2026-02-30", "<b>x</b>", "' OR 1=1"]
PAGING = ["page", "seite"]


def _get_cases():
    seen, cases = set(), []
    for case in CASES:
        if case.method == "get" and case.allowed and not case.htmx and case.name not in seen:
            seen.add(case.name)
            cases.append(case)
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize("case", _get_cases(), ids=[c.id for c in _get_cases()])
def test_hostile_query_strings_never_break_a_page(client, make_user, case):
    role = sorted(case.allowed)[0]
    user = make_user(role)
    kwargs = case.setup(user) if case.setup else {}
    client.force_login(user)
    url = reverse(case.name, kwargs=kwargs)
    page = client.get(url)
    html = page.content.decode(errors="replace") if "html" in page.get("Content-Type", "") else ""
    names = {n for form in GET_FORM.findall(html) for n in FIELD_NAME.findall(form)}
    names |= set(PAGING)
    for name in sorted(names):
        for value in HOSTILE:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, {name: value}, headers=headers)
                assert response.status_code < 500, (url, name, value, response.status_code)
