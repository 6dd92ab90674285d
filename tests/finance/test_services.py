"""The database adapter, plan slices, cliffs per measure, the read functions for the report."""

from decimal import Decimal

import pytest

from finance import adapter, selectors
from finance.engine import compute_plan, floor_euros
from finance.scenario import load_scenario_file
from schools_wg.models import School

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db


def _two_fields():
    """Two fields with a measure each, a school; items funded by one capped source."""
    hf1, hf2 = strategy.field(), strategy.field()
    m1, m2 = strategy.measure(strategy.goal(hf1)), strategy.measure(strategy.goal(hf2))
    school = School.objects.create(name="Grundschule Test", school_type="GS", pupils=200)
    f.period(2024, 2028)
    f.cost_item(m1, key="a-once", amount="30000", start_year=2024, useful_life=3, replace=True)
    f.cost_item(
        m1,
        key="a-run",
        category="support",
        amount="10000",
        start_year=2024,
        recurrence="annual",
        escalation_pct="3",
    )
    f.cost_item(m2, key="b-once", amount="50000", start_year=2024, school=school)
    f.cost_item(
        m2,
        key="b-run",
        category="support",
        amount="7000.40",
        start_year=2025,
        recurrence="annual",
        school=school,
    )
    capped = f.source(
        key="pakt",
        rate_pct="90",
        from_year=2024,
        to_year=2025,
        cap="60000",
        category_caps={"devices": "70000"},
    )
    f.source(
        key="land",
        rate_pct="50",
        from_year=2024,
        to_year=2026,
        eligible_categories=["support"],
        priority=2,
    )
    f.budget_line(year=2024, amount="20000")
    f.budget_line(year=2024, amount="5000", account="2")
    f.budget_line(year=2026, amount="8000")
    return hf1, hf2, m1, m2, school, capped


def test_the_adapter_builds_the_engine_scenario(django_assert_num_queries):
    hf1, hf2, m1, m2, school, capped = _two_fields()
    with django_assert_num_queries(5):
        inputs = adapter.load_inputs()
    scenario = inputs.scenario
    assert scenario.years == (2024, 2028)
    assert scenario.budget == {2024: Decimal("25000"), 2026: Decimal("8000")}
    items = {item.id: item for item in scenario.cost_items}
    assert items["a-once"].useful_life == 3 and items["a-once"].replace
    assert items["a-run"].escalation_pct == Decimal("3")
    pakt = next(s for s in scenario.funding_sources if s.id == "pakt")
    assert pakt.cap == Decimal("60000")
    assert pakt.category_caps == {"devices": Decimal("70000")}
    assert pakt.item_ids is None
    assert inputs.items["b-once"].school_id == school.pk
    assert inputs.items["a-run"].field_id == hf1.pk


def test_the_adapter_needs_the_same_queries_for_much_more_data(django_assert_num_queries):
    _two_fields()
    measure = strategy.measure()
    for n in range(60):
        f.cost_item(measure, key=f"more-{n}", amount=n * 100 + 1)
    extra = f.source(key="scoped", item_scope="selected")
    extra.items.set(measure.cost_items.all()[:20])
    for n in range(10):
        f.budget_line(year=2024 + n % 5, amount=100)
    with django_assert_num_queries(5):
        inputs = adapter.load_inputs()
    assert len(inputs.scenario.cost_items) == 64
    assert len(next(s for s in inputs.scenario.funding_sources if s.id == "scoped").item_ids) == 20


def test_without_a_stored_period_the_plan_starts_at_the_earliest_item():
    f.cost_item(start_year=2019)
    first, last = adapter.plan_years([2019])
    assert first == 2019
    assert last - max(first, 2019) >= 0


def test_the_whole_plan_is_the_engines_plan():
    f.example_in_db()
    fp = selectors.plan_for()
    expected = compute_plan(load_scenario_file(f.EXAMPLE))
    assert [row.as_dict() for row in fp.rows] == [row.as_dict() for row in expected.years]
    assert not fp.filtered


def test_slices_by_field_add_up_to_the_whole_plan():
    hf1, hf2, *_ = _two_fields()
    whole = selectors.plan_for()
    parts = [selectors.plan_for(field=hf1), selectors.plan_for(field=hf2)]
    for index, row in enumerate(whole.rows):
        slices = [part.rows[index] for part in parts]
        assert sum(s.cost for s in slices) == row.cost
        assert sum(s.cost_once for s in slices) == row.cost_once
        assert sum(s.cost_annual for s in slices) == row.cost_annual
        # Grants are rounded down per slice: together never more than the plan, at most 1 € less.
        for source_id, amount in row.grants.items():
            total = sum(s.grants[source_id] for s in slices)
            assert amount - len(slices) < total <= amount
        # The budget is attributed in proportion to the own share; gaps add up (± rounding).
        assert abs(sum(s.gap for s in slices) - row.gap) <= len(slices)
        assert sum(s.budgeted for s in slices) <= row.budgeted
        for s in slices:
            assert s.own_required == s.cost - s.grants_total
            assert s.gap == max(0, s.own_required - s.budgeted)


def test_slice_grants_come_from_the_whole_plan_not_a_recomputed_one():
    hf1, hf2, m1, m2, school, capped = _two_fields()
    whole = selectors.plan_for()
    part = selectors.plan_for(measure=m1)
    # The cap of 60 000 is shared by both measures' items: the slice gets its items' share.
    unrounded = sum(
        (whole.plan.items[key].granted_by_source["pakt"] for key in ("a-once", "a-run")),
        Decimal(0),
    )
    years = len(part.rows)
    assert floor_euros(unrounded) - years <= part.grant_total("pakt") <= floor_euros(unrounded)
    alone = compute_plan(whole.inputs.sub_scenario(["a-once", "a-run"]))
    assert alone.grant_total("pakt") > part.grant_total("pakt")


def test_filters_by_school_and_source_and_their_combination():
    hf1, hf2, m1, m2, school, capped = _two_fields()
    inputs = adapter.load_inputs()
    assert inputs.select(school=school) == ["b-once", "b-run"]
    assert inputs.select(source=capped) == ["a-once", "a-run", "b-once", "b-run"]
    land = inputs.sources["land"].pk
    assert inputs.select(source=land) == ["a-run", "b-run"]
    assert inputs.select(source=land, field=hf1) == ["a-run"]
    assert inputs.select(measure=m1.pk) == ["a-once", "a-run"]
    assert selectors.plan_for(school=school).total("cost") == sum(
        selectors.plan_for().plan.items[key].cost_total for key in ("b-once", "b-run")
    )


def test_a_scoped_source_whose_items_are_filtered_away_is_dropped_from_a_sub_scenario():
    measure = strategy.measure()
    a = f.cost_item(measure, key="a")
    f.cost_item(measure, key="b")
    scoped = f.source(key="scoped", item_scope="selected")
    scoped.items.set([a])
    inputs = adapter.load_inputs()
    assert [s.id for s in inputs.sub_scenario(["b"]).funding_sources] == []
    assert [s.item_ids for s in inputs.sub_scenario(["a", "b"]).funding_sources] == [
        frozenset({"a"})
    ]


def test_cliffs_name_the_source_its_last_year_and_the_measures_carrying_them():
    hf1, hf2, m1, m2, school, capped = _two_fields()
    fp = selectors.plan_for()
    by_source = {cliff.source_id: cliff for cliff in fp.cliffs}
    land = by_source["land"]
    assert land.last_year == 2026
    assert land.first_year_after == 2027
    items = fp.plan.items
    assert land.recurring_cost_by_year == {
        year: items["a-run"].cost_by_year[year] + items["b-run"].cost_by_year[year]
        for year in (2027, 2028)
    }
    assert land.recurring_per_year == land.recurring_cost_by_year[2027]
    assert [m.pk for m in land.measures] == sorted([m1.pk, m2.pk], key=lambda pk: pk)
    # The capped source funded only one-off items here in its years? It funded the support too.
    assert by_source["pakt"].last_year == 2025
    # A measure sees only its own share of a cliff.
    mine = selectors.plan_for(measure=m1).cliffs
    assert {c.source_id for c in mine} == {"pakt", "land"}
    assert (
        next(c for c in mine if c.source_id == "land").recurring_cost_by_year[2027]
        == (items["a-run"].cost_by_year[2027])
    )


def test_per_field_summaries_for_the_status_report():
    hf1, hf2, *_ = _two_fields()
    fp = selectors.plan_for(summaries=True)
    summaries = fp.field_summaries
    assert set(summaries) == {hf1.pk, hf2.pk}
    assert sum(s.cost for s in summaries.values()) == fp.total("cost")
    part = selectors.plan_for(field=hf2)
    assert summaries[hf2.pk].gap == part.total("gap")
    assert summaries[hf2.pk].grants == part.total("grants_total")


def test_measure_summary_tco_grants_and_gap():
    hf1, hf2, m1, *_ = _two_fields()
    summary = selectors.measure_summary(m1)
    assert [item.key for item in summary.items] == ["a-once", "a-run"]
    whole = selectors.plan_for()
    assert (
        summary.tco == whole.plan.items["a-once"].cost_total + whole.plan.items["a-run"].cost_total
    )
    assert summary.grants == summary.plan.total("grants_total")
    assert summary.own_required == summary.tco - summary.grants
    assert summary.gap <= summary.own_required
    assert selectors.measure_summary(strategy.measure()) is None


def test_engine_reports_grants_per_source_and_year_for_each_item():
    _two_fields()
    plan = selectors.plan_for().plan
    for row in plan.years:
        for source_id, reported in row.grants.items():
            unrounded = sum(
                (
                    result.granted_by_source_year.get(source_id, {}).get(row.year, Decimal(0))
                    for result in plan.items.values()
                ),
                Decimal(0),
            )
            assert floor_euros(unrounded) == reported
    for result in plan.items.values():
        for source_id, by_year in result.granted_by_source_year.items():
            assert sum(by_year.values(), Decimal(0)) == result.granted_by_source[source_id]
