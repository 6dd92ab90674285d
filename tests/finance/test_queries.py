"""Every finance page runs an exact number of queries, the same for 10 and for 200 rows (cost
items, funding programmes, budget lines, measures, schools, each with its history)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
from schools_wg.models import School
from strategy.models import FieldOfAction, Goal, Measure

pytestmark = pytest.mark.django_db

# Every page of the shell: session, user, the user's role groups, municipality name.
SHELL = 4
# The plan: the data stamp; on a cache miss the five adapter queries (finance/adapter.py), the
# filter's four choice lists and the programmes funding nothing.
PLAN_CACHED = SHELL + 1
PLAN = PLAN_CACHED + 5 + 4 + 1
# A filtered plan: the filter's four chosen objects, then as above.
PLAN_FILTERED = PLAN + 4
# Exports of the plan: the five adapter queries (+ the four chosen objects when filtered).
PLAN_EXPORT = 3 + 5
ITEMS_EXPORT = 3 + 1  # the cost items with measure, field and school
# Lists: the count and the page's rows (+ the budget's sums per year and its history).
LIST = SHELL + 2
BUDGET = LIST + 2
# Details: the object, the five adapter queries, its history (a programme: + its items; a cost
# item: + the names of the school and measure its history shows).
ITEM_DETAIL = SHELL + 1 + 5 + 1 + 2
SOURCE_DETAIL = SHELL + 2 + 5 + 1
# Forms (whole pages): the object, the choices of its selects; the period the stored row and
# the cost items' start years.
PERIOD_FORM = SHELL + 1
ITEM_FORM_NEW = SHELL + 2  # measures, schools
ITEM_FORM = ITEM_FORM_NEW + 1
SOURCE_FORM_NEW = SHELL + 1  # the cost items to choose from
SOURCE_FORM = SOURCE_FORM_NEW + 2  # the programme, its selected items
BUDGET_FORM_NEW = SHELL
BUDGET_FORM = BUDGET_FORM_NEW + 1
# Delete confirmations: the object and what depends on it.
ITEM_DELETE = SHELL + 1 + 1
SOURCE_DELETE = SHELL + 1 + 1
BUDGET_DELETE = SHELL + 1


def build(n):
    """n measures over 3 fields × 2 goals, n/2 schools, n cost items (half at a school), n
    programmes (each limited to two items), n budget lines; every item and line changed once,
    so the histories have changes (also of a foreign key) to show."""
    fields = [
        FieldOfAction.objects.create(code=f"HF {i}", title=f"Feld {i}", position=i)
        for i in range(3)
    ]
    goals = [
        Goal.objects.create(field=fld, code=f"Z {fld.pk}.{j}", title="Ziel", position=j)
        for fld in fields
        for j in range(2)
    ]
    measures = [
        Measure.objects.create(
            goal=goals[i % len(goals)], code=f"M {i}", title=f"Maßnahme {i}", position=i
        )
        for i in range(n)
    ]
    schools = [School.objects.create(name=f"Schule {i}", school_type="GS") for i in range(n // 2)]
    items = []
    for i in range(n):
        item = CostItem.objects.create(
            measure=measures[i],
            key=f"item-{i}",
            title=f"Kostenposition {i}",
            category=("devices", "network", "licences")[i % 3],
            amount=Decimal(1000 + i),
            start_year=2025 + i % 5,
            recurrence="annual" if i % 2 else "once",
        )
        item.title = f"Kostenposition {i} (geändert)"
        item.school = schools[i // 2] if i % 2 else None
        item.save()
        items.append(item)
    for i in range(n):
        source = FundingSource.objects.create(
            key=f"programm-{i}",
            title=f"Förderprogramm {i}",
            rate_pct=Decimal(50),
            from_year=2025,
            to_year=2026 + i % 4,
            item_scope=FundingSource.Scope.SELECTED,
            priority=i,
        )
        source.items.set([items[i], items[(i + 1) % n]])
    for i in range(n):
        line = BudgetLine.objects.create(year=2025 + i % 7, amount=Decimal(500), account=f"{i}")
        line.amount = Decimal(600)
        line.save()
    PlanPeriod.objects.create(first_year=2025, last_year=2034)
    source = FundingSource.objects.get(key="programm-1")
    return {
        "item": items[1],
        "source": source,
        "line": BudgetLine.objects.order_by("pk")[1],
        "filters": {
            "field": fields[1].pk,
            "measure": items[3].measure_id,
            "school": items[3].school_id,
            "source": source.pk,
        },
    }


@pytest.fixture
def manager(role_client):
    client = role_client("verwaltung")
    client.get(reverse("finance:items"))  # the session, once
    return client


def _pages(data):
    item, source, line = data["item"].pk, data["source"].pk, data["line"].pk
    return {
        "finance:items": (reverse("finance:items"), {}, LIST),
        "finance:items search": (
            reverse("finance:items"),
            {"q": "Kosten", "kategorie": "devices", "sortierung": "betrag", "seite": 2},
            LIST,
        ),
        "finance:sources": (reverse("finance:sources"), {}, LIST),
        "finance:sources search": (
            reverse("finance:sources"),
            {"q": "Programm", "status": "beantragt", "sortierung": "satz"},
            LIST,
        ),
        "finance:budget": (reverse("finance:budget"), {}, BUDGET),
        "finance:budget page 2": (reverse("finance:budget"), {"seite": 2}, BUDGET),
        "finance:item_detail": (reverse("finance:item_detail", args=[item]), {}, ITEM_DETAIL),
        "finance:source_detail": (
            reverse("finance:source_detail", args=[source]),
            {},
            SOURCE_DETAIL,
        ),
        "finance:plan_csv": (reverse("finance:plan_csv"), {}, PLAN_EXPORT),
        "finance:plan_xlsx": (reverse("finance:plan_xlsx"), data["filters"], PLAN_EXPORT + 4),
        "finance:items_csv": (reverse("finance:items_csv"), {}, ITEMS_EXPORT),
        "finance:items_xlsx": (reverse("finance:items_xlsx"), {}, ITEMS_EXPORT),
        "finance:period_edit": (reverse("finance:period_edit"), {}, PERIOD_FORM),
        "finance:item_create": (reverse("finance:item_create"), {}, ITEM_FORM_NEW),
        "finance:item_edit": (reverse("finance:item_edit", args=[item]), {}, ITEM_FORM),
        "finance:item_delete": (reverse("finance:item_delete", args=[item]), {}, ITEM_DELETE),
        "finance:source_create": (reverse("finance:source_create"), {}, SOURCE_FORM_NEW),
        "finance:source_edit": (reverse("finance:source_edit", args=[source]), {}, SOURCE_FORM),
        "finance:source_delete": (
            reverse("finance:source_delete", args=[source]),
            {},
            SOURCE_DELETE,
        ),
        "finance:budget_create": (reverse("finance:budget_create"), {}, BUDGET_FORM_NEW),
        "finance:budget_edit": (reverse("finance:budget_edit", args=[line]), {}, BUDGET_FORM),
        "finance:budget_delete": (
            reverse("finance:budget_delete", args=[line]),
            {},
            BUDGET_DELETE,
        ),
    }


@pytest.mark.parametrize("n", [10, 200])
def test_every_page_needs_the_same_queries_for_10_and_200_rows(
    manager, django_assert_num_queries, n
):
    data = build(n)
    for name, (url, query, expected) in _pages(data).items():
        with django_assert_num_queries(expected, info=name):
            response = manager.get(url, query)
        assert response.status_code == 200, name


@pytest.mark.parametrize("n", [10, 200])
def test_the_plan_page_needs_the_same_queries_for_10_and_200_rows(
    manager, django_assert_num_queries, n
):
    data = build(n)
    cache.clear()
    url = reverse("finance:index")
    with django_assert_num_queries(PLAN):
        assert manager.get(url).status_code == 200
    with django_assert_num_queries(PLAN_CACHED):
        assert manager.get(url).status_code == 200
    with django_assert_num_queries(PLAN_FILTERED):
        assert manager.get(url, data["filters"]).status_code == 200
    with django_assert_num_queries(PLAN_CACHED + 4):
        assert manager.get(url, data["filters"]).status_code == 200
