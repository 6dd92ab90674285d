"""Cost item and funding programme lists: search, sort, pages; queries do not grow with rows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from schools_wg.models import School

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db

ITEMS_QUERIES = 6
SOURCES_QUERIES = 6


def _titles(html, testid):
    table = re.search(rf'data-testid="{testid}".*?</table>', html, re.S).group(0)
    return re.findall(r'<th scope="row"><a class="kern-link" href="[^"]+">([^<]+)</a>', table)


def test_cost_items_search_by_title_key_and_measure(role_client):
    client = role_client("stadtrat")
    first, second = strategy.measure(), strategy.measure()
    f.cost_item(first, title="Tablets Grundschule", key="tablets-gs")
    f.cost_item(second, title="WLAN Rathaus", key="wlan-rathaus")
    url = reverse("finance:items")
    assert _titles(client.get(url, {"q": "tablets"}).content.decode(), "items-table") == [
        "Tablets Grundschule"
    ]
    assert _titles(client.get(url, {"q": "RATHAUS wlan"}).content.decode(), "items-table") == [
        "WLAN Rathaus"
    ]
    by_measure = client.get(url, {"q": second.code}).content.decode()
    assert _titles(by_measure, "items-table") == ["WLAN Rathaus"]
    nothing = client.get(url, {"q": "gibt es nicht"}).content.decode()
    assert "Nichts passt zur Suche." in nothing
    assert 'value="gibt es nicht"' in nothing  # the search is kept in the box


def test_cost_items_sort_and_category_filter(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    f.cost_item(measure, title="B", amount=Decimal("500"), start_year=2027, category="devices")
    f.cost_item(measure, title="A", amount=Decimal("100"), start_year=2026, category="network")
    f.cost_item(measure, title="C", amount=Decimal("900"), start_year=2025, category="devices")
    url = reverse("finance:items")
    titles = lambda **q: _titles(client.get(url, q).content.decode(), "items-table")  # noqa: E731
    assert titles(sortierung="titel") == ["A", "B", "C"]
    assert titles(sortierung="betrag") == ["C", "B", "A"]
    assert titles(sortierung="beginn") == ["C", "A", "B"]
    assert titles(kategorie="devices", sortierung="titel") == ["B", "C"]
    html = client.get(url, {"sortierung": "kaputt"}).content.decode()
    assert "Bitte eine gültige Auswahl treffen." in html  # a German error beside the field
    assert titles() == ["A", "B", "C"]  # the default order: measure, then title


def test_cost_item_pages_keep_the_search(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    for n in range(55):
        f.cost_item(measure, title=f"Laptop {n:02}")
    f.cost_item(measure, title="Beamer")
    html = client.get(reverse("finance:items"), {"q": "laptop", "sortierung": "titel"}).content
    html = html.decode()
    assert len(_titles(html, "items-table")) == 50
    assert "Seite 1 von 2" in html
    assert 'href="/finanzen/kostenpositionen/?q=laptop&amp;sortierung=titel&amp;seite=2"' in html
    second = client.get(
        reverse("finance:items"), {"q": "laptop", "sortierung": "titel", "seite": 2}
    )
    assert _titles(second.content.decode(), "items-table") == [f"Laptop {n}" for n in range(50, 55)]


def test_funding_sources_search_filter_and_sort(role_client):
    client = role_client("ratsbuero")
    f.source(title="DigitalPakt Schule", provider="bund", status="bewilligt", rate_pct=90)
    f.source(title="Smart City", provider="bund", status="beantragt", rate_pct=65)
    f.source(title="Landesprogramm", provider="land", status="bewilligt", rate_pct=75)
    url = reverse("finance:sources")
    titles = lambda **q: _titles(client.get(url, q).content.decode(), "sources-table")  # noqa: E731
    assert titles(q="pakt") == ["DigitalPakt Schule"]
    assert titles(geber="bund", sortierung="titel") == ["DigitalPakt Schule", "Smart City"]
    assert titles(status="bewilligt", sortierung="satz") == ["DigitalPakt Schule", "Landesprogramm"]


@pytest.mark.parametrize("n", [3, 60])
def test_cost_item_list_queries_do_not_grow(role_client, django_assert_num_queries, n):
    client = role_client("verwaltung")
    for i in range(n):
        f.cost_item(strategy.measure() if i % 10 == 0 else None, title=f"Position {i}")
    client.get(reverse("finance:items"))  # the session, once
    with django_assert_num_queries(ITEMS_QUERIES):
        client.get(reverse("finance:items"), {"q": "Position", "sortierung": "betrag"})
    with django_assert_num_queries(ITEMS_QUERIES):
        client.get(reverse("finance:items"))


@pytest.mark.parametrize("n", [3, 60])
def test_funding_source_list_queries_do_not_grow(role_client, django_assert_num_queries, n):
    client = role_client("verwaltung")
    for i in range(n):
        f.source(title=f"Programm {i}")
    client.get(reverse("finance:sources"))
    with django_assert_num_queries(SOURCES_QUERIES):
        client.get(reverse("finance:sources"), {"q": "Programm", "geber": "land"})
    with django_assert_num_queries(SOURCES_QUERIES):
        client.get(reverse("finance:sources"))


# Session, user, the user's roles (once, for rules and the menu), the municipality, and per page:
# lists: count + rows (+ budget sums and history).
LIST_QUERIES = {"finance:items": 6, "finance:sources": 6, "finance:budget": 8}


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_lists_need_the_same_queries_for_small_and_large_data(
    role_client, django_assert_num_queries, name
):
    client = role_client("verwaltung")
    measure = strategy.measure()
    school = School.objects.create(name="Schule Y", school_type="GS")
    f.cost_item(measure, school=school)
    f.source()
    f.budget_line()
    with django_assert_num_queries(LIST_QUERIES[name]):
        assert client.get(reverse(name)).status_code == 200

    for n in range(70):
        other = strategy.measure()
        item = f.cost_item(other, school=School.objects.create(name=f"S{n}", school_type="GS"))
        f.source().items.set([item])
        line = f.budget_line(year=2025 + n % 7)
        line.amount = 2000
        line.save()
    with django_assert_num_queries(LIST_QUERIES[name]):
        assert client.get(reverse(name)).status_code == 200
