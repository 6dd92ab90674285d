"""The funding plan engine against the rules of docs/funding-model.md (no Django needed)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.engine import (
    CostItem,
    FundingSource,
    Plan,
    Scenario,
    compute_plan,
    due_years,
    floor_euros,
    funding_cliffs,
    plan_rows,
    round_cost,
)
from finance.scenario import CATEGORIES, parse_scenario, parse_scenario_json, scenario_to_dict
from tests.services import require

SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "funding-example.json"
LOCAL_EXAMPLE = Path(__file__).resolve().parent / "data" / "funding-example.json"


def example_data() -> dict:
    """The worked example: the shared contract file, or the copy kept with the tests."""
    path = SHARED_EXAMPLE if SHARED_EXAMPLE.exists() else LOCAL_EXAMPLE
    return json.loads(path.read_text(encoding="utf-8"))


def item(id="i", category="devices", amount="1000", start_year=2023, recurrence="once", **extra):
    """A cost item with sensible defaults; amounts as strings, as in scenario files."""
    if "escalation_pct" in extra:
        extra["escalation_pct"] = Decimal(extra["escalation_pct"])
    return CostItem(
        id=id,
        category=category,
        amount=Decimal(amount),
        start_year=start_year,
        recurrence=recurrence,
        **extra,
    )


def source(id="S", rate_pct="100", from_year=2000, to_year=2100, **extra):
    """A funding source; by default it pays everything, always, without a cap."""
    if extra.get("cap") is not None:
        extra["cap"] = Decimal(extra["cap"])
    if "category_caps" in extra:
        extra["category_caps"] = {k: Decimal(v) for k, v in extra["category_caps"].items()}
    for key in ("eligible_categories", "item_ids"):
        if key in extra:
            extra[key] = frozenset(extra[key])
    return FundingSource(
        id=id, rate_pct=Decimal(rate_pct), from_year=from_year, to_year=to_year, **extra
    )


def plan(items=(), sources=(), years=(2023, 2023), budget=None) -> Plan:
    budget = {year: Decimal(value) for year, value in (budget or {}).items()}
    return compute_plan(
        Scenario(
            years=years, cost_items=tuple(items), funding_sources=tuple(sources), budget=budget
        )
    )


def costs(plan: Plan) -> dict[int, int]:
    return {row.year: row.cost for row in plan.years}


def grants(plan: Plan, source_id: str = "S") -> dict[int, int]:
    return {row.year: row.grants[source_id] for row in plan.years}


# --- The worked example -------------------------------------------------------------------------

# The table of docs/funding-model.md: year, cost, F1, F2, own required, budgeted, gap, coverage.
EXPECTED = [
    (2023, 205_600, 141_300, 19_800, 44_500, 45_000, 0, 100.0),
    (2024, 32_350, 0, 20_200, 12_150, 15_000, 0, 100.0),
    (2025, 33_213, 0, 0, 33_213, 15_000, 18_213, 45.2),
    (2026, 34_101, 0, 0, 34_101, 15_000, 19_101, 44.0),
    (2027, 80_016, 0, 0, 80_016, 15_000, 65_016, 18.7),
]


@pytest.fixture(scope="module")
def example() -> Scenario:
    return parse_scenario(example_data())


def test_the_local_copy_of_the_example_matches_the_shared_one():
    # CI has shared/ beside the clone; locally without it this skips (and fails with CI=true).
    require(SHARED_EXAMPLE.exists(), f"the shared contract file {SHARED_EXAMPLE} is not available")
    assert json.loads(LOCAL_EXAMPLE.read_text(encoding="utf-8")) == json.loads(
        SHARED_EXAMPLE.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda row: str(row[0]))
def test_worked_example_to_the_euro(example, expected):
    year, cost, f1, f2, own, budgeted, gap, coverage = expected
    row = {r["year"]: r for r in plan_rows(compute_plan(example))}[year]
    assert row == {
        "year": year,
        "cost": cost,
        "grants": {"F1": f1, "F2": f2},
        "grants_total": f1 + f2,
        "own_required": own,
        "budgeted": budgeted,
        "gap": gap,
        "coverage_pct": coverage,
    }


def test_worked_example_json_shape(example):
    rows = plan_rows(compute_plan(example))
    assert [row["year"] for row in rows] == [2023, 2024, 2025, 2026, 2027]
    for row in rows:
        assert list(row) == [
            "year",
            "cost",
            "grants",
            "grants_total",
            "own_required",
            "budgeted",
            "gap",
            "coverage_pct",
        ]
        assert all(type(row[key]) is int for key in row if key not in ("grants", "coverage_pct"))
        assert all(type(value) is int for value in row["grants"].values())
        assert type(row["coverage_pct"]) is float
    # The output is plain JSON (no Decimal left in it).
    assert json.loads(json.dumps(rows)) == rows


def test_worked_example_totals_and_item_detail(example):
    result = compute_plan(example)
    assert result.total("cost") == 385_280
    assert result.total("grants_total") == 181_300
    assert result.grant_total("F1") == 141_300
    assert result.grant_total("F2") == 40_000
    # Grants cover 47 % of the five years' cost.
    assert round(100 * result.total("grants_total") / result.total("cost")) == 47
    first = result.year(2023)
    assert (first.cost_once, first.cost_annual) == (177_000, 28_600)
    assert result.year(2027).cost_once == 45_000

    tablets = result.items["tablets"]
    assert tablets.cost_by_year == {2023: 45_000, 2024: 0, 2025: 0, 2026: 0, 2027: 45_000}
    assert tablets.cost_total == 90_000
    assert tablets.granted_total == Decimal(22_500)  # 90 % of the 25 000 devices cap
    assert tablets.own_total == Decimal(67_500)
    assert tablets.granted_by_source == {"F1": Decimal(22_500)}
    support = result.items["it-support"]
    assert floor_euros(support.granted_total) == 40_000
    assert support.cost_by_year[2025] == 23_340
    assert result.items["glasfaser"].granted_total == 0


def test_worked_example_funding_cliff(example):
    result = compute_plan(example)
    (cliff,) = funding_cliffs(example, result)
    assert cliff.source_id == "F2"
    assert cliff.title == "ITAdminFöVO"
    assert cliff.last_year == 2024
    assert cliff.items == ["it-support"]
    assert cliff.recurring_cost_by_year == {2025: 23_340, 2026: 24_040, 2027: 24_761}
    assert cliff.recurring_total == 72_141


def test_funding_cliffs_with_replacements(example):
    cliffs = funding_cliffs(example, compute_plan(example), include_replacements=True)
    assert [cliff.source_id for cliff in cliffs] == ["F1", "F2"]
    f1 = cliffs[0]
    assert f1.items == ["tablets"]  # the display and WLAN last 8 years, beyond 2027
    assert f1.replacement_cost_by_year == {2025: 0, 2026: 0, 2027: 45_000}
    assert f1.recurring_total == 0


def test_no_cliff_when_the_source_runs_to_the_end_or_funded_nothing():
    items = [item("run", "support", "1000", recurrence="annual")]
    scenario_years = (2023, 2026)
    running = source("S", to_year=2026)
    late = source("L", eligible_categories=["devices"], to_year=2024)
    scenario = Scenario(scenario_years, tuple(items), (running, late))
    assert funding_cliffs(scenario, compute_plan(scenario)) == []


# --- Rule 1: costs ------------------------------------------------------------------------------


def test_costs_round_half_up_per_item_and_year():
    # 2.5 and 0.5 would become 2 and 0 with banker's rounding.
    result = plan([item("a", amount="2.5"), item("b", amount="0.5"), item("c", amount="0.49")])
    assert result.items["a"].cost_by_year == {2023: 3}
    assert result.items["b"].cost_by_year == {2023: 1}
    assert result.items["c"].cost_by_year == {2023: 0}
    assert result.years[0].cost == 4  # the sum of the rounded costs, not the rounded sum


def test_escalation_compounds_and_rounds_half_up():
    # 10 × 1.05^n = 10, 10.5, 11.025, 11.57625, 12.1550625
    result = plan([item(amount="10", recurrence="annual", escalation_pct="5")], years=(2023, 2027))
    assert costs(result) == {2023: 10, 2024: 11, 2025: 11, 2026: 12, 2027: 12}


def test_escalation_counts_from_the_start_year_not_the_plan():
    result = plan(
        [item(amount="1000", start_year=2020, recurrence="annual", escalation_pct="10")],
        years=(2022, 2023),
    )
    assert costs(result) == {2022: 1210, 2023: 1331}


def test_escalation_also_applies_to_replacements():
    result = plan(
        [item(amount="1000", useful_life=2, replace=True, escalation_pct="10")],
        years=(2023, 2025),
    )
    assert costs(result) == {2023: 1000, 2024: 0, 2025: 1210}


def test_annual_item_runs_from_start_to_end_year():
    result = plan(
        [item(amount="100", start_year=2024, end_year=2025, recurrence="annual")],
        years=(2023, 2026),
    )
    assert costs(result) == {2023: 0, 2024: 100, 2025: 100, 2026: 0}


def test_replacement_every_useful_life_until_end_year():
    once = item(start_year=2020, useful_life=2, replace=True, end_year=2024)
    assert due_years(once, 2020, 2030) == [2020, 2022, 2024]
    result = plan([once], years=(2020, 2027))
    assert [year for year, cost in costs(result).items() if cost] == [2020, 2022, 2024]


def test_once_item_with_end_year_before_its_replacement_is_bought_once():
    tablets = item(start_year=2023, useful_life=4, replace=True, end_year=2026)
    result = plan([tablets], years=(2023, 2028))
    assert costs(result) == {2023: 1000, 2024: 0, 2025: 0, 2026: 0, 2027: 0, 2028: 0}


def test_no_replacement_without_replace_or_useful_life():
    assert due_years(item(useful_life=2), 2023, 2030) == [2023]
    assert due_years(item(replace=True), 2023, 2030) == [2023]


def test_replacements_of_an_item_bought_before_the_plan():
    once = item(start_year=2015, useful_life=3, replace=True)
    assert due_years(once, 2020, 2025) == [2021, 2024]


def test_round_cost_helper():
    assert round_cost(Decimal("1.5")) == 2
    assert round_cost(Decimal("2.5")) == 3
    assert round_cost(Decimal("2.4999")) == 2


# --- Rule 2: grants -----------------------------------------------------------------------------


def test_reported_grants_round_down_and_caps_track_the_unrounded_amounts():
    # 33.33 % of 1 001 = 333.6333: reported 333; the cap (500) is reduced by 333.6333.
    result = plan(
        [item(amount="1001", recurrence="annual")],
        [source(rate_pct="33.33", cap="500")],
        years=(2023, 2024),
    )
    assert grants(result) == {2023: 333, 2024: 166}  # 500 − 333.6333 = 166.3667
    assert result.items["i"].granted_total == Decimal(500)


def test_grants_only_within_the_eligibility_window():
    result = plan(
        [item(amount="100", recurrence="annual")],
        [source(from_year=2024, to_year=2025)],
        years=(2023, 2026),
    )
    assert grants(result) == {2023: 0, 2024: 100, 2025: 100, 2026: 0}


def test_eligible_categories_limit_what_a_source_funds():
    items = [item("d", "devices", "100"), item("n", "network", "200"), item("s", "staff", "400")]
    only = plan(items, [source(eligible_categories=["devices", "staff"])])
    assert grants(only) == {2023: 500}
    every = plan(items, [source()])
    assert grants(every) == {2023: 700}
    # Explicit scopes: an empty selection funds nothing, it never means "all".
    nothing = plan(items, [source(eligible_categories=[])])
    assert grants(nothing) == {2023: 0}
    assert grants(plan(items, [source(item_ids=[])])) == {2023: 0}


def test_item_ids_scope_a_source_to_named_items():
    items = [item("a", amount="100"), item("b", amount="200"), item("c", "network", "400")]
    result = plan(items, [source(item_ids=["b", "c"], eligible_categories=["devices"])])
    assert grants(result) == {2023: 200}  # c is in scope but not of an eligible category
    assert result.items["b"].granted_total == 200
    assert result.items["a"].granted_total == 0


def test_category_cap_is_consumed_over_several_years():
    result = plan(
        [
            item(amount="15000", recurrence="annual"),
            item("n", "network", "1000", recurrence="annual"),
        ],
        [source(category_caps={"devices": "25000"})],
        years=(2023, 2025),
    )
    # devices: 15 000, then the 10 000 left, then nothing; network is not capped.
    assert grants(result) == {2023: 16_000, 2024: 11_000, 2025: 1_000}


def test_category_cap_scales_the_bases_of_its_items_proportionally():
    items = [item("a", amount="30000"), item("b", amount="10000")]
    result = plan(items, [source(rate_pct="50", category_caps={"devices": "20000"})])
    assert grants(result) == {2023: 10_000}
    assert result.items["a"].granted_total == Decimal(7_500)
    assert result.items["b"].granted_total == Decimal(2_500)


def test_zero_category_cap_means_nothing_of_that_category():
    items = [item("a", amount="500"), item("n", "network", "300")]
    result = plan(items, [source(category_caps={"devices": "0"})])
    assert grants(result) == {2023: 300}
    assert result.items["a"].granted_by_source == {}


def test_cap_scales_every_items_share_proportionally():
    items = [item("a", amount="8000"), item("b", amount="12000")]
    result = plan(
        items + [item("c", amount="100", start_year=2024)],
        [source(cap="10000")],
        years=(2023, 2024),
    )
    assert grants(result) == {2023: 10_000, 2024: 0}  # the cap is used up
    assert result.items["a"].granted_total == Decimal(4_000)
    assert result.items["b"].granted_total == Decimal(6_000)


def test_a_later_source_sees_what_the_earlier_one_left():
    items = [item(amount="10000")]
    result = plan(items, [source("S1", "50", priority=1), source("S2", "50", priority=2)])
    assert grants(result, "S1") == {2023: 5_000}
    assert grants(result, "S2") == {2023: 2_500}
    # With S1 capped, S2 sees the larger remainder.
    capped = plan(
        items, [source("S1", "50", priority=1, cap="3000"), source("S2", "50", priority=2)]
    )
    assert grants(capped, "S1") == {2023: 3_000}
    assert grants(capped, "S2") == {2023: 3_500}


def test_the_later_source_sees_unrounded_amounts():
    # S1 grants 333.3333… on each of three items; S2 pays the rest, exactly 2 000 in all.
    items = [item(f"i{n}", amount="1000") for n in range(3)]
    result = plan(items, [source("S1", cap="1000", priority=1), source("S2", priority=2)])
    assert grants(result, "S1") == {2023: 1_000}
    assert grants(result, "S2") == {2023: 2_000}
    assert result.years[0].own_required == 0


def test_sources_in_ascending_priority_then_by_id():
    items = [item(amount="10000")]
    # Listed B before A with the same priority: A goes first.
    tie = plan(items, [source("B", "60"), source("A", "60")])
    assert tie.source_order == ("A", "B")
    assert (grants(tie, "A"), grants(tie, "B")) == ({2023: 6_000}, {2023: 2_400})
    assert list(tie.years[0].grants) == ["A", "B"]
    # A lower priority wins over the id.
    ranked = plan(items, [source("A", "60", priority=2), source("Z", "60", priority=-1)])
    assert ranked.source_order == ("Z", "A")
    assert (grants(ranked, "Z"), grants(ranked, "A")) == ({2023: 6_000}, {2023: 2_400})


def test_a_source_never_pays_more_than_the_cost():
    items = [item(amount="1000")]
    result = plan(items, [source("S1", "100"), source("S2", "100")])
    assert grants(result, "S1") == {2023: 1_000}
    assert grants(result, "S2") == {2023: 0}


def test_floor_euros_ignores_division_noise_only():
    assert floor_euros(Decimal("1999.99999999999999999999")) == 2000
    assert floor_euros(Decimal("1999.999")) == 1999
    assert floor_euros(Decimal("0.5")) == 0


# --- Rule 3: the yearly columns -----------------------------------------------------------------


def test_empty_budget_leaves_the_whole_own_share_as_gap():
    result = plan([item(amount="1000")], [source(rate_pct="40")])
    row = result.years[0]
    assert (row.cost, row.grants_total, row.own_required, row.budgeted, row.gap) == (
        1000,
        400,
        600,
        0,
        600,
    )
    assert row.coverage_pct == Decimal("40.0")


def test_budget_beyond_the_own_share_is_no_negative_gap():
    row = plan([item(amount="1000")], budget={2023: "5000"}).years[0]
    assert (row.gap, row.coverage_pct) == (0, Decimal("100.0"))


def test_budget_cents_are_not_counted():
    row = plan([item(amount="1000")], budget={2023: "100.99"}).years[0]
    assert (row.budgeted, row.gap) == (100, 900)


def test_zero_cost_year_is_fully_covered():
    result = plan([item(amount="1000", start_year=2024)], years=(2023, 2024))
    row = result.years[0]
    assert (row.cost, row.grants_total, row.own_required, row.gap) == (0, 0, 0, 0)
    assert row.coverage_pct == Decimal("100.0")
    assert row.as_dict()["coverage_pct"] == 100.0
    empty = plan()
    assert empty.years[0].coverage_pct == Decimal("100.0")


def test_coverage_rounds_half_up_to_one_decimal():
    # (0 + 1) / 16 = 6.25 % → 6.3 (banker's rounding would give 6.2).
    row = plan([item(amount="16")], budget={2023: "1"}).years[0]
    assert row.coverage_pct == Decimal("6.3")
    assert row.as_dict()["coverage_pct"] == 6.3


def test_reversed_years_and_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        plan(years=(2024, 2023))
    with pytest.raises(ValueError, match="duplicate cost item id"):
        plan([item("a"), item("a")])
    with pytest.raises(ValueError, match="duplicate source id"):
        plan([item("a")], [source("S"), source("S")])


def test_plan_year_lookup():
    result = plan([item(amount="5")], years=(2023, 2025))
    assert result.year(2024).year == 2024
    with pytest.raises(KeyError):
        result.year(2022)
    with pytest.raises(KeyError):
        result.year(2026)


# --- Properties ---------------------------------------------------------------------------------

FIRST_YEARS = st.integers(2020, 2025)
AMOUNTS = st.integers(0, 50_000_00).map(lambda cents: Decimal(cents) / 100)
PERCENT = st.integers(0, 10_000).map(lambda hundredths: Decimal(hundredths) / 100)


@st.composite
def scenarios(draw) -> Scenario:
    """Valid scenarios with everything the rules know: replacements, caps, scopes, windows."""
    first = draw(FIRST_YEARS)
    last = first + draw(st.integers(0, 7))
    categories = list(CATEGORIES)
    items = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(st.integers(first - 3, last + 1))
        recurrence = draw(st.sampled_from(["once", "annual"]))
        items.append(
            CostItem(
                id=f"item{number}",
                title=draw(st.sampled_from(["", "Tablets für Klasse 5"])),
                category=draw(st.sampled_from(categories[:4])),
                amount=draw(AMOUNTS),
                start_year=start,
                recurrence=recurrence,
                end_year=draw(st.none() | st.integers(start, last + 2)),
                useful_life=draw(st.none() | st.integers(1, 5)),
                replace=draw(st.booleans()),
                escalation_pct=draw(st.integers(0, 100).map(lambda tenths: Decimal(tenths) / 10)),
            )
        )
    ids = [cost_item.id for cost_item in items]
    sources = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(first - 2, last + 1))
        capped = draw(st.lists(st.sampled_from(categories[:4]), unique=True, max_size=2))
        sources.append(
            FundingSource(
                id=f"F{number}",
                title=draw(st.sampled_from(["", "DigitalPakt"])),
                rate_pct=draw(PERCENT),
                eligible_categories=draw(
                    st.none()
                    | st.lists(
                        st.sampled_from(categories[:5]), unique=True, min_size=1, max_size=3
                    ).map(frozenset)
                ),
                item_ids=(
                    frozenset(draw(st.lists(st.sampled_from(ids), unique=True, min_size=1)))
                    if ids and draw(st.booleans())
                    else None
                ),
                from_year=start,
                to_year=start + draw(st.integers(0, 4)),
                cap=draw(st.none() | AMOUNTS),
                category_caps={category: draw(AMOUNTS) for category in capped},
                priority=draw(st.integers(-1, 2)),
            )
        )
    budget = draw(st.dictionaries(st.integers(first - 1, last + 1), AMOUNTS, max_size=4))
    return Scenario((first, last), tuple(items), tuple(sources), budget)


@settings(deadline=None, max_examples=200)
@given(scenarios())
def test_plan_invariants(scenario):
    result = compute_plan(scenario)
    assert [row.year for row in result.years] == list(
        range(scenario.years[0], scenario.years[1] + 1)
    )
    for row in result.years:
        assert 0 <= row.grants_total <= row.cost
        assert all(grant >= 0 for grant in row.grants.values())
        assert row.grants_total == sum(row.grants.values())
        assert row.own_required == row.cost - row.grants_total
        assert row.gap >= 0
        assert row.gap == max(0, row.own_required - row.budgeted)
        assert Decimal(0) <= row.coverage_pct <= Decimal(100)
        assert row.cost == row.cost_once + row.cost_annual
        assert row.cost == sum(detail.cost_by_year[row.year] for detail in result.items.values())
    for funding in scenario.funding_sources:
        if funding.cap is not None:
            assert result.grant_total(funding.id) <= funding.cap
        for row in result.years:
            if not funding.from_year <= row.year <= funding.to_year:
                assert row.grants[funding.id] == 0
    for detail in result.items.values():
        for year, granted in detail.granted_by_year.items():
            assert 0 <= granted <= detail.cost_by_year[year] + Decimal("1e-20")


@settings(deadline=None, max_examples=100)
@given(scenarios())
def test_category_caps_limit_the_accepted_cost(scenario):
    # Whatever a source grants on a capped category is at most rate × that category's cap.
    result = compute_plan(scenario)
    categories = {cost_item.id: cost_item.category for cost_item in scenario.cost_items}
    for funding in scenario.funding_sources:
        for category, cap in funding.category_caps.items():
            granted = sum(
                (
                    detail.granted_by_source.get(funding.id, Decimal(0))
                    for item_id, detail in result.items.items()
                    if categories[item_id] == category
                ),
                Decimal(0),
            )
            assert granted <= funding.rate_pct / 100 * cap + Decimal("1e-20")


@settings(deadline=None, max_examples=100)
@given(scenarios())
def test_round_trip_through_dict_and_json_gives_the_same_plan(scenario):
    again = parse_scenario(scenario_to_dict(scenario))
    assert again == scenario
    via_json = parse_scenario_json(json.dumps(scenario_to_dict(scenario)))
    assert plan_rows(compute_plan(via_json)) == plan_rows(compute_plan(scenario))
