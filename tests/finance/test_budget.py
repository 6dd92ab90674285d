"""Budget lines (finance.views.budget): create with htmx, German errors, who may, delete with
confirmation and history."""

import pytest
from django.urls import reverse

from finance.models import BudgetLine

from . import factories as f
from .helpers import euros, plan_table

pytestmark = pytest.mark.django_db


def test_create_a_budget_line_with_htmx_and_see_it_in_the_plan(role_client):
    client = role_client("verwaltung")
    f.cost_item(amount="8000", start_year=2025)
    f.period(2025, 2026)
    response = client.post(
        reverse("finance:budget_create"),
        {"year": "2025", "amount": "5000.50", "account": "21.10", "title": "Schul-IT"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert reverse("finance:budget") in response["HX-Location"]
    line = BudgetLine.objects.get()
    assert line.amount == 5000.5 and line.history.get().history_user == client.user
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    # Cents are never counted as budgeted: 5 000 € of 8 000 €, a gap of 3 000 €.
    assert [euros(c) for c in table.rows["budgeted"][:-1]] == [5000, 0]
    assert [euros(c) for c in table.rows["gap"][:-1]] == [3000, 0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "Der Betrag darf nicht negativ sein."),
        ({"amount": "viel"}, "amount", "Bitte eine Zahl eingeben."),
        ({"year": "1800"}, "year", "zwischen 1900 und 2200"),
        ({"year": ""}, "year", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_invalid_budget_line_says_why_in_german(role_client, changes, field, message):
    client = role_client("verwaltung")
    data = {"year": "2025", "amount": "5000", "account": "21.10", **changes}
    response = client.post(reverse("finance:budget_create"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("role", ["stadtrat", "ratsbuero", "ag_schule"])
def test_only_verwaltung_may_add_budget_lines(role_client, role):
    response = role_client(role).post(
        reverse("finance:budget_create"), {"year": "2025", "amount": "5000"}
    )
    assert response.status_code == 403
    assert not BudgetLine.objects.exists()


def test_delete_with_confirmation_and_history(role_client):
    client = role_client("verwaltung")
    line = f.budget_line(year=2026, amount="5000", account="21.10")
    confirm = client.get(
        reverse("finance:budget_delete", args=[line.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "wirklich löschen" in confirm
    response = client.post(
        reverse("finance:budget_delete", args=[line.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "HX-Location" in response
    assert not BudgetLine.objects.exists()
    page = client.get(reverse("finance:budget")).content.decode()
    assert "Änderungsverlauf der Haushaltsansätze" in page
    assert "gelöscht" in page
