"""The finance sections of the measure and school pages (finance.panels)."""

import pytest
from django.urls import reverse

from finance import selectors
from schools_wg.models import School

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db


def test_measure_page_shows_costs_grants_gap_and_the_cliff(role_client):
    measure = strategy.measure(code="M 2.3.2")
    f.example_in_db(measure)
    html = role_client("stadtrat").get(reverse("strategy:measure_detail", args=[measure.pk]))
    html = html.content.decode()
    whole = selectors.plan_for()
    assert 'data-testid="finance-measure-panel"' in html
    assert f"{whole.total('cost'):,}".replace(",", ".") + "\xa0€" in html
    assert "Förderende: laufende Kosten ab 2025 ohne Förderung" in html
    assert "WLAN und Verkabelung" in html
    other = strategy.measure()
    html = role_client("stadtrat").get(reverse("strategy:measure_detail", args=[other.pk]))
    assert 'data-testid="finance-measure-panel"' not in html.content.decode()


def test_school_page_lists_its_cost_items(role_client):
    school = School.objects.create(name="Grundschule Reusa", school_type="GS", pupils=190)
    f.cost_item(school=school, title="Reusa: Tablets", amount="25650")
    f.cost_item(
        school=school,
        title="Reusa: Support",
        amount="28500",
        recurrence="annual",
        category="support",
    )
    html = role_client("ag_schule").get(reverse("schools_wg:school_detail", args=[school.pk]))
    html = html.content.decode()
    assert 'data-testid="finance-school-panel"' in html
    assert "Reusa: Tablets" in html and "28.500\xa0€" in html
