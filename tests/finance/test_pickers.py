"""The programme's item picker (grouped checkboxes with a search) and derived cost item keys."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import CostItem, FundingSource

from ..strategy import factories as strategy
from . import factories as f
from .helpers import item_post

pytestmark = pytest.mark.django_db


def _source_post(**changes):
    data = {
        "key": "pakt",
        "title": "DigitalPakt",
        "provider": "bund",
        "status": "bewilligt",
        "rate_pct": "90",
        "from_year": "2021",
        "to_year": "2024",
        "priority": "1",
        "category_scope": "all",
        # Ticked items count only for a programme limited to its selection (explicit scope).
        "item_scope": "selected" if "items" in changes else "all",
    }
    data.update(changes)
    return data


def test_item_picker_groups_the_items_by_measure_with_a_search_box(role_client):
    client = role_client("verwaltung")
    first, second = strategy.measure(), strategy.measure()
    a = f.cost_item(first, title="Tablets")
    b = f.cost_item(second, title="WLAN")
    c = f.cost_item(first, title="Beamer")
    html = client.get(reverse("finance:source_create")).content.decode()
    assert "<select" not in html.split('name="items"')[0].rsplit("<fieldset", 1)[-1]
    assert 'data-filter-target="id_items"' in html  # the search box over the list
    groups = re.findall(
        r'<fieldset class="checkbox-picker__group".*?<legend[^>]*>(.*?)</legend>(.*?)</fieldset>',
        html,
        re.S,
    )
    labels = {legend: re.findall(r'name="items" value="(\d+)"', body) for legend, body in groups}
    assert labels == {
        f"{first.goal.field.code} · {first.code} {first.title}": [str(c.pk), str(a.pk)],
        f"{second.goal.field.code} · {second.code} {second.title}": [str(b.pk)],
    }


def test_item_picker_saves_the_checked_items_and_shows_them_checked(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    a, b, c = (f.cost_item(measure) for _ in range(3))
    response = client.post(reverse("finance:source_create"), _source_post(items=[a.pk, c.pk]))
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert set(source.items.all()) == {a, c}
    edit = client.get(reverse("finance:source_edit", args=[source.pk])).content.decode()
    checked = set(re.findall(r'name="items" value="(\d+)" id="[^"]+" checked', edit))
    assert checked == {str(a.pk), str(c.pk)}
    assert "2 ausgewählt" in edit
    # Unticking one and ticking another saves exactly the ticked ones.
    data = _source_post(items=[b.pk], edited_version=str(source.version))
    assert client.post(reverse("finance:source_edit", args=[source.pk]), data).status_code == 302
    assert list(source.items.all()) == [b]


def test_item_picker_refuses_an_unknown_item_in_german(role_client):
    client = role_client("verwaltung")
    response = client.post(reverse("finance:source_create"), _source_post(items=["999999"]))
    assert response.status_code in (200, 422)
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not FundingSource.objects.exists()


def test_item_picker_renders_in_a_constant_number_of_queries(role_client):
    client = role_client("verwaltung")
    client.get(reverse("finance:source_create"))  # warm the session and caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("finance:source_create")).status_code == 200
        return len(ctx.captured_queries)

    measure = strategy.measure()
    f.cost_item(measure)
    few = count()
    for _ in range(4):
        other = strategy.measure()
        for _ in range(5):
            f.cost_item(other)
    assert count() == few


def test_cost_item_key_is_derived_from_measure_and_category(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    code = measure.code.replace(".", "-").replace(" ", "-").lower()
    for _ in range(3):
        response = client.post(reverse("finance:item_create"), item_post(measure, key=""))
        assert response.status_code == 302
    keys = list(CostItem.objects.order_by("pk").values_list("key", flat=True))
    assert keys == [f"{code}-devices", f"{code}-devices-2", f"{code}-devices-3"]


def test_a_typed_key_is_kept_and_a_taken_one_refused(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    response = client.post(reverse("finance:item_create"), item_post(measure, key="eigener"))
    assert response.status_code == 302
    assert CostItem.objects.get().key == "eigener"
    response = client.post(reverse("finance:item_create"), item_post(measure, key="eigener"))
    assert 'id="id_key_error"' in response.content.decode()
    assert CostItem.objects.count() == 1


def test_editing_an_item_keeps_its_key(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    item = f.cost_item(measure, key="alt", title="Alt")
    data = item_post(measure, key="alt", title="Neu", edited_version=str(item.version))
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert (item.key, item.title) == ("alt", "Neu")


def test_the_key_field_comes_last_and_is_optional(role_client):
    html = role_client("verwaltung").get(reverse("finance:item_create")).content.decode()
    names = re.findall(r'<(?:input|select|textarea)[^>]*name="(\w+)"', html)
    visible = [
        n for n in names if n not in ("csrfmiddlewaretoken", "edited_version", "language", "next")
    ]
    assert visible[-1] == "key"
    assert "abgeleitet" in html
