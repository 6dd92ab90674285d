"""The finance panel of the dashboard (finance.dashboard)."""

import pytest
from django.urls import reverse

from finance import selectors

from . import factories as f

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_gap_and_the_cliffs(role_client):
    f.example_in_db()
    html = role_client("ratsbuero").get(reverse("dashboard")).content.decode()
    gap = selectors.plan_for().total("gap")
    assert gap == 18213 + 19101 + 65016
    assert "102.330\xa0€" in html
    assert "Förderende: laufende Kosten ab 2025 ohne Förderung" in html


def test_dashboard_has_no_finance_panel_without_cost_items(role_client):
    html = role_client("ratsbuero").get(reverse("dashboard")).content.decode()
    assert 'id="panel-finance"' not in html
