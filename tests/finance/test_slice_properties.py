"""Properties of plan slices (finance.selectors.slice_rows) on random scenarios (no database)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from finance.engine import compute_plan, floor_euros
from finance.selectors import slice_rows

from .test_engine import scenarios


@settings(deadline=None, max_examples=100)
@given(scenarios(), st.randoms(use_true_random=False))
def test_two_complementary_slices_add_up_to_the_plan(scenario, random):
    plan = compute_plan(scenario)
    keys = [item.id for item in scenario.cost_items]
    chosen = {key for key in keys if random.random() < 0.5}
    parts = [
        slice_rows(plan, [k for k in keys if k in chosen]),
        slice_rows(plan, [k for k in keys if k not in chosen]),
    ]
    for index, row in enumerate(plan.years):
        a, b = parts[0][index], parts[1][index]
        assert a.cost + b.cost == row.cost
        assert a.cost_once + b.cost_once == row.cost_once
        for source_id, grant in row.grants.items():
            # Rounded down per slice: never more than the plan, at most one euro less per slice.
            assert grant - 2 < a.grants[source_id] + b.grants[source_id] <= grant
        for part in (a, b):
            assert part.grants_total <= part.cost
            assert part.own_required == part.cost - part.grants_total
            assert 0 <= part.budgeted <= max(part.own_required, 0)
            assert part.gap == max(0, part.own_required - part.budgeted)
            assert Decimal(0) <= part.coverage_pct <= Decimal(100)
        assert a.budgeted + b.budgeted <= row.budgeted
        # Rounding: each slice loses < 1 € per source of grants and < 1 € of budget.
        assert row.gap <= a.gap + b.gap <= row.gap + 2 * (len(row.grants) + 1)


@settings(deadline=None, max_examples=50)
@given(scenarios())
def test_per_source_and_year_grants_match_the_reported_grants(scenario):
    plan = compute_plan(scenario)
    for row in plan.years:
        for source_id, reported in row.grants.items():
            total = sum(
                (
                    result.granted_by_source_year.get(source_id, {}).get(row.year, Decimal(0))
                    for result in plan.items.values()
                ),
                Decimal(0),
            )
            assert floor_euros(total) == reported


def test_complementary_slices_never_get_more_budget_together_than_the_plan():
    # Each item costs 1 € and gets 0,50 € (rounded down to 0 per slice, 1 € for the plan): the
    # plan's own share is 1 €, each slice's 1 € too; the one budget euro must not go to both.
    from .test_engine import item, plan, source

    whole = plan(
        items=[item(id="a", amount="1"), item(id="b", amount="1")],
        sources=[source(rate_pct="50")],
        budget={2023: "1"},
    )
    row = whole.years[0]
    assert (row.grants_total, row.own_required, row.budgeted) == (1, 1, 1)
    a, b = slice_rows(whole, ["a"])[0], slice_rows(whole, ["b"])[0]
    assert (a.own_required, b.own_required) == (1, 1)
    assert a.budgeted + b.budgeted <= row.budgeted
    assert slice_rows(whole, ["a", "b"])[0].budgeted == row.budgeted  # the whole is the plan
