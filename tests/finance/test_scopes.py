"""Scopes never widen: what a programme funds is explicit ("all eligible" / "only the selected
ones"), and a selection that empties funds nothing until someone chooses again."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance import adapter, selectors, transfer
from finance.models import FundingSource
from finance.scenario import parse_scenario, scenario_to_dict

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db


def _grants(key):
    return selectors.plan_for().grant_total(key)


def _two_items():
    measure = strategy.measure()
    f.period(2025, 2025)
    a = f.cost_item(measure, key="a", amount="1000", category="devices")
    b = f.cost_item(measure, key="b", amount="3000", category="network")
    return a, b


def test_all_and_selected_scopes_fund_what_they_say():
    a, _b = _two_items()
    every = f.source(key="every", rate_pct="50", from_year=2025, to_year=2025)
    only = f.source(key="only", rate_pct="10", from_year=2025, to_year=2025, priority=1)
    only.item_scope = FundingSource.Scope.SELECTED
    only.save()
    only.items.set([a])
    assert _grants("every") == 2000
    assert _grants("only") == 50  # 10 % of what the first left of a (500)
    # Categories: "only the selected ones" with none selected funds nothing.
    every.category_scope = FundingSource.Scope.SELECTED
    every.eligible_categories = []
    every.save()
    assert _grants("every") == 0
    assert [s.key for s in selectors.sources_funding_nothing()] == ["every"]


def test_a_selection_that_empties_funds_nothing_and_says_so(role_client):
    client = role_client("verwaltung")
    a, _b = _two_items()
    source = f.source(key="pakt", title="Pakt", rate_pct="50", from_year=2025, to_year=2025)
    source.item_scope = FundingSource.Scope.SELECTED
    source.save()
    source.items.set([a])
    assert _grants("pakt") == 500
    assert client.post(reverse("finance:item_delete", args=[a.pk])).status_code == 302
    source.refresh_from_db()
    assert source.item_scope == FundingSource.Scope.SELECTED
    assert _grants("pakt") == 0  # not 1 500 € as "all items" would pay
    # Engine input: an empty set, not None ("all").
    (engine_source,) = adapter.load_inputs().scenario.funding_sources
    assert engine_source.item_ids == frozenset()
    plan = client.get(reverse("finance:index")).content.decode()
    assert "Das Förderprogramm „Pakt“ fördert nichts" in plan
    detail = client.get(reverse("finance:source_detail", args=[source.pk])).content.decode()
    assert "keine ausgewählt: fördert nichts" in detail
    latest = source.history.first()
    assert latest.history_user == client.user
    assert latest.history_change_reason == f"Kostenposition „{a.title}“ gelöscht"
    assert source.version == 2  # an open edit form of the programme sees the change


def _source_post(**changes):
    data = {
        "key": "pakt",
        "title": "Pakt",
        "provider": "bund",
        "status": "bewilligt",
        "rate_pct": "50",
        "from_year": "2025",
        "to_year": "2025",
        "category_scope": "all",
        "item_scope": "all",
        "priority": "0",
    }
    data.update(changes)
    return data


def test_the_form_needs_a_choice_for_only_the_selected_ones(role_client):
    client = role_client("verwaltung")
    a, _b = _two_items()
    form = client.get(reverse("finance:source_create")).content.decode()
    assert 'name="item_scope"' in form and 'name="category_scope"' in form
    assert "nur ausgewählte" in form and "alle förderfähigen" in form
    response = client.post(
        reverse("finance:source_create"),
        _source_post(item_scope="selected", category_scope="selected", title="Mein Programm"),
    )
    assert response.status_code == 422  # the form again, with the errors beside the fields
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens eine Kostenposition" in html
    assert "Bitte wählen Sie mindestens eine Kategorie" in html
    assert 'value="Mein Programm"' in html  # the input is kept
    assert not FundingSource.objects.exists()
    # "all" with a stale choice keeps nothing of it.
    response = client.post(
        reverse("finance:source_create"),
        _source_post(items=[a.pk], eligible_categories=["devices"]),
    )
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert list(source.items.all()) == [] and source.eligible_categories == []
    assert source.funds_all_items and source.funds_all_categories


def test_scenario_files_keep_their_format_and_never_widen_a_scope():
    a, _b = _two_items()
    nothing = f.source(key="nothing", rate_pct="50", from_year=2025, to_year=2025)
    nothing.item_scope = FundingSource.Scope.SELECTED
    nothing.save()
    some = f.source(key="some", rate_pct="50", from_year=2025, to_year=2025, priority=1)
    some.item_scope = FundingSource.Scope.SELECTED
    some.save()
    some.items.set([a])
    exported = scenario_to_dict(adapter.load_inputs().scenario)
    # The file format reads [] as "all": a programme funding nothing is left out.
    assert [s["id"] for s in exported["funding_sources"]] == ["some"]
    assert exported["funding_sources"][0]["item_ids"] == ["a"]
    # Importing: missing lists are "all", given ones "only the selected".
    scenario = parse_scenario(exported)
    transfer.import_scenario(scenario, replace=True)
    imported = FundingSource.objects.get(key="some")
    assert imported.item_scope == FundingSource.Scope.SELECTED
    assert imported.category_scope == FundingSource.Scope.ALL
    assert [i.key for i in imported.items.all()] == ["a"]


def _confirm_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_cost_item_confirmation_needs_the_same_queries_for_more_programmes(role_client):
    client = role_client("verwaltung")
    a, _b = _two_items()
    f.source(key="s0").items.set([a])
    url = reverse("finance:item_delete", args=[a.pk])
    few = _confirm_queries(client, url)
    for n in range(1, 12):
        f.source(key=f"s{n}").items.set([a])
    assert _confirm_queries(client, url) == few
    html = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
    assert html.count("verliert diese Position aus seiner Auswahl") == 12
