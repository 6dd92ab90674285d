"""Cost items (finance.views.items): create/edit with htmx and without JavaScript, German errors,
edit conflicts, a cost item's page, the list's exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import CostItem

from ..strategy import factories as strategy
from . import factories as f
from .helpers import euros, item_post, plan_table

pytestmark = pytest.mark.django_db


def test_create_a_cost_item_with_htmx_and_see_it_in_the_plan(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    f.period(2025, 2030)
    response = client.get(reverse("finance:item_create"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<form" in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(
        reverse("finance:item_create"), item_post(measure), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert reverse("finance:items") in response["HX-Location"]
    item = CostItem.objects.get(key="tablets-neu")
    assert item.history.get().history_user == client.user
    # The list swapped in next shows the success message inside the content.
    page = client.get(reverse("finance:items"), headers={"HX-Request": "true"}).content.decode()
    assert "„Tablets“ wurde angelegt." in page
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    assert [euros(c) for c in table.rows["cost"][:-1]] == [45000, 0, 0, 0, 45000, 0]


def test_create_without_javascript_redirects(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    response = client.post(reverse("finance:item_create"), item_post(measure))
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:items")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "Der Betrag darf nicht negativ sein."),
        ({"end_year": "2020"}, "end_year", "Das Endjahr darf nicht vor dem Startjahr liegen."),
        ({"start_year": "1800"}, "start_year", "zwischen 1900 und 2200"),
        ({"escalation_pct": "150"}, "escalation_pct", "zwischen -100 und 100 Prozent"),
        ({"replace": "on", "useful_life": ""}, "useful_life", "Nutzungsdauer an"),
        ({"key": "kein gültiger Schlüssel"}, "key", "Kürzel"),
        ({"title": ""}, "title", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_invalid_cost_item_says_why_in_german_and_keeps_the_input(
    role_client, changes, field, message
):
    client = role_client("verwaltung")
    measure = strategy.measure()
    data = item_post(measure, **changes)
    response = client.post(reverse("finance:item_create"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    for name in ("title", "amount"):
        if data[name]:
            assert f'value="{data[name]}"' in html
    assert not CostItem.objects.exists()


def test_edit_conflict_keeps_the_input_and_shows_the_current_values(role_client, make_user):
    client = role_client("verwaltung")
    measure = strategy.measure()
    item = f.cost_item(measure, key="tablets", title="Tablets", amount="1000")
    # Someone else saves first.
    item.title = "Tablets (neu verhandelt)"
    item.version = 2
    item.save()
    data = item_post(measure, key="tablets", title="Meine Änderung", edited_version="1")
    response = client.post(reverse("finance:item_edit", args=[item.pk]), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bearbeitungskonflikt" in html
    assert "Tablets (neu verhandelt)" in html
    assert 'value="Meine Änderung"' in html
    item.refresh_from_db()
    assert item.title == "Tablets (neu verhandelt)"
    # Saving again on purpose (the form now carries the current version) works.
    data["edited_version"] = "2"
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Meine Änderung"


def test_item_detail_shows_costs_per_year_and_who_changed_what(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    f.period(2025, 2027)
    client.post(reverse("finance:item_create"), item_post(measure, amount="1000"))
    item = CostItem.objects.get()
    data = item_post(measure, amount="1500", edited_version="1")
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    html = client.get(reverse("finance:item_detail", args=[item.pk])).content.decode()
    assert "Änderungshistorie" in html
    assert "Betrag (€):</span> 1.000,00" in html
    assert "wird zu</span> 1.500,00" in html
    assert str(client.user) in html
    assert "1.500\xa0€" in html  # the 2025 cost


def test_items_export_neutralises_formulas(role_client):
    measure = strategy.measure()
    f.cost_item(measure, key="boese", title='=HYPERLINK("http://x")', notes="+1", amount="99.50")
    client = role_client("verwaltung")
    sheet = load_workbook(io.BytesIO(client.get(reverse("finance:items_xlsx")).content)).active
    assert sheet["A1"].value == "Schlüssel"
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["N2"].value == "'+1"
    assert float(sheet["G2"].value) == 99.5 and "€" in sheet["G2"].number_format
    text = client.get(reverse("finance:items_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";99,50;" in text
