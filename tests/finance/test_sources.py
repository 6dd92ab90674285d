"""Funding programmes (finance.views.sources): German errors, categories, caps and scope."""

import pytest
from django.urls import reverse

from finance.models import FundingSource

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rate_pct": "120"}, "rate_pct", "Der Satz muss zwischen 0 und 100 Prozent liegen."),
        ({"rate_pct": "-1"}, "rate_pct", "Der Satz muss zwischen 0 und 100 Prozent liegen."),
        ({"to_year": "2020"}, "to_year", "Das letzte förderfähige Jahr darf nicht vor dem ersten"),
        ({"cap": "-1"}, "cap", "Der Betrag darf nicht negativ sein."),
        ({"cap_devices": "-1"}, "cap_devices", "Der Betrag darf nicht negativ sein."),
    ],
)
def test_invalid_funding_source_says_why_in_german(role_client, changes, field, message):
    client = role_client("verwaltung")
    data = {
        "key": "pakt",
        "title": "DigitalPakt",
        "provider": "bund",
        "status": "bewilligt",
        "rate_pct": "90",
        "from_year": "2021",
        "to_year": "2024",
        "priority": "1",
        **changes,
    }
    response = client.post(reverse("finance:source_create"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not FundingSource.objects.exists()


def test_funding_source_with_categories_caps_and_scope(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    tablets = f.cost_item(measure, key="tablets")
    response = client.post(
        reverse("finance:source_create"),
        {
            "key": "pakt",
            "title": "DigitalPakt",
            "provider": "bund",
            "status": "bewilligt",
            "file_number": "SAB-1",
            "rate_pct": "90",
            "from_year": "2021",
            "to_year": "2024",
            "category_scope": "selected",
            "eligible_categories": ["network", "devices"],
            "item_scope": "selected",
            "items": [tablets.pk],
            "cap_devices": "25000",
            "priority": "1",
        },
    )
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert source.eligible_categories == ["network", "devices"]
    assert source.category_caps == {"devices": "25000"}
    assert list(source.items.all()) == [tablets]
    edit = client.get(reverse("finance:source_edit", args=[source.pk])).content.decode()
    assert 'name="cap_devices" value="25000"' in edit
    detail = client.get(reverse("finance:source_detail", args=[source.pk])).content.decode()
    assert "Endgeräte: 25.000\xa0€" in detail
    assert "angelegt" in detail or "erstellt" in detail  # history entry
