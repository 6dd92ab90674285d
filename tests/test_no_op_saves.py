"""History says only what happened: a save that changes nothing writes no row, bumps no version."""

import pytest
from django.urls import reverse

from core.demo import ensure
from finance.forms import FundingSourceForm
from finance.models import PlanPeriod
from finance.services import plan_period_update
from strategy.forms import MeasureForm
from strategy.models import OrgUnit

from .finance import factories as finance_factories
from .strategy import factories as strategy_factories

pytestmark = pytest.mark.django_db


def unchanged_data(form):
    """The POST data a browser sends for `form` when the user changes nothing."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
        if value is False:
            data.pop(name)  # an unticked checkbox is not sent
    return data


def test_saving_a_measure_form_without_changes_writes_no_history_and_keeps_the_version(
    role_client,
):
    client = role_client("verwaltung")
    measure = strategy_factories.measure(progress=30)
    rows, version = measure.history.count(), measure.version
    data = unchanged_data(MeasureForm(instance=measure))

    response = client.post(reverse("strategy:measure_edit", args=[measure.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.version == version
    assert measure.history.count() == rows

    # A real change still writes one row and a new version.
    client.post(reverse("strategy:measure_edit", args=[measure.pk]), {**data, "progress": "40"})
    measure.refresh_from_db()
    assert (measure.progress, measure.version, measure.history.count()) == (
        40,
        version + 1,
        rows + 1,
    )


def test_a_funding_source_form_with_only_its_scope_changed_is_a_change(role_client):
    client = role_client("verwaltung")
    source = finance_factories.source()
    item = finance_factories.cost_item()
    url = reverse("finance:source_edit", args=[source.pk])
    data = unchanged_data(FundingSourceForm(instance=source))
    rows = source.history.count()

    assert client.post(url, data).status_code in (200, 302)
    source.refresh_from_db()
    assert (source.version, source.history.count()) == (1, rows), "no change, nothing written"

    response = client.post(
        url, {**data, "item_scope": "selected", "items": [str(item.pk)], "edited_version": "1"}
    )
    assert response.status_code in (200, 302)
    source.refresh_from_db()
    assert list(source.items.all()) == [item]
    assert source.version == 2
    assert source.history.count() > rows


def test_services_that_save_the_same_values_write_nothing():
    years = {"first_year": 2025, "last_year": 2030}
    period = plan_period_update(period=PlanPeriod(), data=years, expected_version=None)
    rows = period.history.count()
    again = plan_period_update(
        period=PlanPeriod.objects.get(), data=years, expected_version=period.version
    )
    assert (again.version, again.history.count()) == (period.version, rows)


def test_the_demo_helper_saves_only_on_change():
    unit, created = ensure(OrgUnit, {"short_name": "HA"}, name="Hauptamt")
    assert created
    rows = unit.history.count()
    ensure(OrgUnit, {"short_name": "HA"}, name="Hauptamt")
    assert unit.history.count() == rows
    ensure(OrgUnit, {"short_name": "H"}, name="Hauptamt")
    assert unit.history.count() == rows + 1
