"""The member list: grouped by category in the motion's order, searchable, sortable, paged."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schools_wg.models import Member

from . import factories as f

pytestmark = pytest.mark.django_db
# The session and user, roles, the page's members count and page, missing categories, factions,
# sessions, schools, the viewer's own membership, ... (the same for any number of members).
MEMBER_PAGE_QUERIES = 13


def _members(html):
    table = re.search(r'data-testid="members".*?</table>', html, re.S).group(0)
    rows = re.findall(r'<th scope="(rowgroup|row)"[^>]*>([^<]+)', table)
    return [(kind, " ".join(text.split())) for kind, text in rows]


def _member(first, last, category=Member.Category.PARENTS, days=30, **fields):
    user = f.user("AG Schule", first_name=first, last_name=last)
    since = timezone.localdate() - timedelta(days=days)
    return f.member(user, category=category, started_on=since, **fields)


def test_members_grouped_in_the_motions_order_and_searchable(role_client):
    client = role_client("ag_schule")
    _member("Paula", "Zeller", Member.Category.TEACHERS)
    _member("Erik", "Albers", Member.Category.PARENTS)
    _member("Anna", "Berg", Member.Category.PARENTS, organisation="Elternrat Reusa")
    html = client.get(reverse("schools_wg:index")).content.decode()
    assert _members(html) == [
        ("rowgroup", "Eltern (2)"),
        ("row", "Erik Albers"),
        ("row", "Anna Berg"),
        ("rowgroup", "Lehrkräfte (1)"),
        ("row", "Paula Zeller"),
    ]
    found = client.get(reverse("schools_wg:index"), {"q": "reusa"}).content.decode()
    assert _members(found) == [("rowgroup", "Eltern (1)"), ("row", "Anna Berg")]
    teachers = client.get(reverse("schools_wg:index"), {"kategorie": "teachers"}).content.decode()
    assert [row for kind, row in _members(teachers) if kind == "row"] == ["Paula Zeller"]
    none = client.get(reverse("schools_wg:index"), {"q": "niemand"}).content.decode()
    assert "Nichts passt zur Suche." in none


def test_members_sorted_by_membership_within_their_category(role_client):
    client = role_client("verwaltung")
    _member("Erik", "Albers", days=10)
    _member("Anna", "Berg", days=300)
    html = client.get(reverse("schools_wg:index"), {"sortierung": "seit"}).content.decode()
    assert [row for kind, row in _members(html) if kind == "row"] == ["Anna Berg", "Erik Albers"]


def test_member_pages_keep_the_search(role_client):
    client = role_client("verwaltung")
    for n in range(52):
        _member("Eva", f"Eltern{n:02}")
    html = client.get(reverse("schools_wg:index"), {"q": "eva"}).content.decode()
    assert len([r for k, r in _members(html) if k == "row"]) == 50
    assert 'href="/ag-schule/?q=eva&amp;seite=2#members"' in html
    second = client.get(reverse("schools_wg:index"), {"q": "eva", "seite": "2"}).content.decode()
    assert [r for k, r in _members(second) if k == "row"] == ["Eva Eltern50", "Eva Eltern51"]


@pytest.mark.parametrize("n", [2, 40])
def test_member_list_queries_do_not_grow(role_client, django_assert_num_queries, n):
    client = role_client("verwaltung")
    faction = f.faction("A")
    f.member(category=Member.Category.FACTION, faction=faction)
    for i in range(n):
        _member("Eva", f"Eltern{i:02}", school=f.school() if i % 2 else None)
    client.get(reverse("schools_wg:index"))
    with django_assert_num_queries(MEMBER_PAGE_QUERIES):
        client.get(reverse("schools_wg:index"), {"q": "eva", "sortierung": "organisation"})
