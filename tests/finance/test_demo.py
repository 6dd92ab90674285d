"""The finance demo: idempotent, attached to the demo measures, and a real cliff after 2024."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from finance import demo, selectors
from finance.models import BudgetLine, CostItem, FundingSource
from schools_wg.models import School

from ..strategy import factories as strategy

pytestmark = pytest.mark.django_db


def _history_rows():
    return (
        CostItem.history.count(),
        FundingSource.history.count(),
        FundingSource.items.through.objects.count(),
        BudgetLine.history.count(),
    )


def test_demo_plan_shows_the_cliff_after_2024_and_is_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    schools = School.objects.count()
    assert schools == 19
    # Six or seven items per school, attached to the school measures by code.
    school_items = CostItem.objects.filter(school__isnull=False)
    assert school_items.count() >= 6 * schools
    assert set(school_items.values_list("measure__goal__field__title", flat=True)) == {
        "Digitale Schule"
    }
    assert CostItem.objects.get(key="koordinator-digitalisierung").measure.code == "M 6.3.1"

    fp = selectors.plan_for()
    assert fp.years == (2021, 2032)
    rows = {row.year: row for row in fp.rows}
    assert rows[2024].gap == 0
    assert rows[2025].gap > 0
    assert rows[2024].grants["digitalpakt"] == 0 and rows[2023].grants["digitalpakt"] > 0
    assert rows[2025].grants["itadminfoevo"] == 0 and rows[2024].grants["itadminfoevo"] > 0
    cliffs = {cliff.source_id: cliff for cliff in fp.cliffs}
    assert cliffs["itadminfoevo"].first_year_after == 2025
    assert cliffs["itadminfoevo"].recurring_per_year > 1_000_000
    assert cliffs["smart-city"].last_year == 2026

    # The school programmes fund only the schools' items, never the city's own.
    for key in ("digitalpakt", "itadminfoevo"):
        scope = FundingSource.objects.get(key=key).items.all()
        assert scope.exists() and not scope.filter(school__isnull=True).exists()
    for key in ("tablets-mandatstraeger", "hotspots-innenstadt"):
        granted = fp.plan.items[key].granted_by_source
        assert "digitalpakt" not in granted and "itadminfoevo" not in granted
    assert fp.plan.items["hotspots-innenstadt"].granted_by_source["smart-city"] == Decimal(55250)

    before = _history_rows()
    demo.seed()
    assert _history_rows() == before


def test_without_the_demo_measures_items_go_to_the_school_field_or_are_skipped():
    School.objects.create(name="Grundschule Reusa", school_type="GS", pupils=190, classrooms=9)
    School.objects.create(name="Lessing-Gymnasium", school_type="GYM", pupils=690, classrooms=34)
    demo.seed()  # no strategy at all: nothing to attach to, nothing created
    assert not CostItem.objects.exists()
    assert FundingSource.objects.count() == 3

    field = strategy.field(title="Digitale Schule")
    fallback = strategy.measure(strategy.goal(field))
    demo.seed()
    assert CostItem.objects.exists()
    assert set(CostItem.objects.values_list("measure", flat=True)) == {fallback.pk}
