"""The markup of every page and every form, also in its error state (the form renderer, issue 13).

Pages and forms come from the URL permission table (tests/<app>/url_table.py), so a new page is
checked as soon as it has its case: every `aria-describedby` names an element of the page, ids are
unique, every `<select>` sits in KERN's select wrapper (which draws its box and arrow), every
invalid control says `aria-invalid="true"` and its error is announced (`role="alert"`).
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.htmx import INVALID

from .test_url_permissions import CASES

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
SELECT_WRAPPER = "kern-form-input__select-wrapper"


class Markup(HTMLParser):
    """Ids, id references and the parent of every select of one HTML document or fragment."""

    def __init__(self, html):
        super().__init__()
        self.ids = Counter()
        self.described_by = []  # (tag, id of the element, referenced id)
        self.selects = []  # (id, classes of the parent element)
        self.invalid = []  # (tag, id, described_by) of elements with aria-invalid
        self.stack = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for ref in (attrs.get("aria-describedby") or "").split():
            self.described_by.append((tag, attrs.get("id"), ref))
        if attrs.get("aria-invalid") == "true":
            self.invalid.append((tag, attrs.get("id"), attrs.get("aria-describedby") or ""))
        if tag == "select":
            parent = self.stack[-1][1] if self.stack else ""
            self.selects.append((attrs.get("id"), parent))
        if tag not in VOID:
            self.stack.append((tag, attrs.get("class") or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return


def check(html, where):
    markup = Markup(html)
    duplicates = [i for i, n in markup.ids.items() if n > 1]
    assert not duplicates, f"{where}: ids used more than once: {duplicates}"
    dangling = [(tag, own, ref) for tag, own, ref in markup.described_by if ref not in markup.ids]
    assert not dangling, f"{where}: aria-describedby naming no element: {dangling}"
    bare = [(sid, parent) for sid, parent in markup.selects if SELECT_WRAPPER not in parent.split()]
    assert not bare, f"{where}: selects outside {SELECT_WRAPPER}: {bare}"
    return markup


def _request(client, make_user, case, transform=None):
    user = make_user("verwaltung")
    kwargs = case.setup(user) if case.setup else {}
    client.force_login(user)
    headers = {"HX-Request": "true"} if case.htmx else {}
    url = reverse(case.name, kwargs=kwargs)
    data = (case.data(user) if callable(case.data) else case.data) or {}
    if transform:
        data = transform(data)
    return getattr(client, case.method)(url, data=data, headers=headers)


PAGES = [c for c in CASES if c.method == "get" and "verwaltung" in c.allowed]
FORMS = [c for c in CASES if c.method == "post" and "verwaltung" in c.allowed and c.data]


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGES, ids=[c.id for c in PAGES])
def test_every_page_references_existing_ids_and_wraps_its_selects(client, make_user, case):
    response = _request(client, make_user, case)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        # A download (CSV, XLSX, ICS, PDF) or a redirect has no markup to check; it must still work.
        expected = case.expect.get("verwaltung", case.ok)  # the URL table's answer for the role
        expected = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in (200, 301, 302, *expected), case.id
        return
    check(response.content.decode(), case.id)


def _emptied(data):
    """The form's data with every value the user types emptied (hidden bookkeeping kept)."""
    keep = {"edited_version", "loaded", "action", "hl"}
    return {key: (value if key in keep else "") for key, value in data.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORMS, ids=[c.id for c in FORMS])
def test_every_form_in_its_error_state_references_existing_ids(client, make_user, case):
    response = _request(client, make_user, case, transform=_emptied)
    if response.status_code != INVALID:
        # Empty input is valid for this form (e.g. a toggle or a filter): no error markup to check,
        # but never a server error.
        assert response.status_code < 500, f"{case.id}: {response.status_code}"
        return
    markup = check(response.content.decode(), case.id)
    assert markup.invalid, f"{case.id}: 422 without an invalid control"
    for tag, own, described_by in markup.invalid:
        if tag == "input" and own and own.rsplit("_", 1)[-1].isdigit():
            continue  # an option of a group: the group's fieldset is described
        assert f"{own}_error" in described_by.split() or tag == "fieldset", (case.id, own)
    assert 'role="alert"' in response.content.decode()


def test_the_form_checks_cover_the_forms_of_every_app():
    """The error-state walk above reaches forms of every app (422 with empty input)."""
    names = {c.name.split(":")[0] for c in FORMS}
    assert {"strategy", "finance", "schools_wg", "participation", "reports"} <= names


def test_the_checks_find_what_they_look_for():
    with pytest.raises(AssertionError, match="aria-describedby"):
        check('<input id="id_x" aria-describedby="id_x_helptext id_x_error">', "t")
    with pytest.raises(AssertionError, match="selects outside"):
        check('<div class="kern-form-input"><select id="s"></select></div>', "t")
    with pytest.raises(AssertionError, match="more than once"):
        check('<input id="id_title"><textarea id="id_title"></textarea>', "t")
    markup = check(
        '<div class="kern-form-input__select-wrapper"><select id="s"></select></div>'
        '<p id="h">Hinweis</p><br><input id="i" aria-describedby="h" aria-invalid="true">',
        "t",
    )
    assert markup.invalid == [("input", "i", "h")]
