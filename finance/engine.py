"""The funding plan engine: what the strategy costs per year, what grants cover, what is left.

A pure module (no Django, no database): callers build a `Scenario` from whatever they store and
get a `Plan` back. The rules are the contract in ``docs/funding-model.md``; every number the
web page, the command line, the exports and the PDF show comes from `compute_plan`.

Money is `Decimal` throughout. Costs are rounded half up to whole euros per item and year; the
grant a source reports for a year is rounded down; caps and what later sources see are tracked
unrounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext

ONCE = "once"
ANNUAL = "annual"
RECURRENCES = (ONCE, ANNUAL)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_EURO = Decimal(1)
_TENTH = Decimal("0.1")
# Proportional scaling divides, so unrounded sums can land a hair below a whole euro
# (e.g. 20199.99999…9 instead of 20200). Reported grants are snapped to this grid before they
# are rounded down; no real grant is that close below a whole euro.
_GRANT_GRID = Decimal("1e-12")
# Enough digits for amounts up to ~10^12 € escalated over a century, with room for the fractions.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)


# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostItem:
    """A cost item (Kostenposition): an investment (`once`) or a running cost (`annual`)."""

    id: str
    category: str
    amount: Decimal
    start_year: int
    recurrence: str
    title: str = ""
    end_year: int | None = None
    useful_life: int | None = None
    replace: bool = False
    escalation_pct: Decimal = ZERO

    @property
    def is_recurring(self) -> bool:
        return self.recurrence == ANNUAL


@dataclass(frozen=True)
class FundingSource:
    """A funding source (Förderung): pays `rate_pct` % of eligible costs within its years."""

    id: str
    rate_pct: Decimal
    from_year: int
    to_year: int
    title: str = ""
    # None means every category; a set (even an empty one) only those.
    eligible_categories: frozenset[str] | None = None
    # None means every cost item of an eligible category; a set (even an empty one) only those.
    item_ids: frozenset[str] | None = None
    cap: Decimal | None = None
    # Per category, the most eligible cost the source accepts over all years.
    category_caps: Mapping[str, Decimal] = field(default_factory=dict)
    priority: int = 0

    @property
    def display_title(self) -> str:
        return self.title or self.id


@dataclass(frozen=True)
class Scenario:
    """Everything the plan needs: the years (first, last), costs, grants and the budget."""

    years: tuple[int, int]
    cost_items: tuple[CostItem, ...]
    funding_sources: tuple[FundingSource, ...]
    # Euros earmarked per year (Haushaltsansatz); a missing year has 0.
    budget: Mapping[int, Decimal] = field(default_factory=dict)


# --- Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    """One row of the plan. Euros are whole-euro ints, `coverage_pct` has one decimal."""

    year: int
    cost: int
    grants: dict[str, int]
    grants_total: int
    own_required: int
    budgeted: int
    gap: int
    coverage_pct: Decimal
    # The cost split by recurrence: investments and their replacements vs running costs.
    cost_once: int = 0
    cost_annual: int = 0

    def as_dict(self) -> dict:
        """The row in the JSON shape of ``docs/funding-model.md`` (euros as ints, coverage a
        float)."""
        return {
            "year": self.year,
            "cost": self.cost,
            "grants": dict(self.grants),
            "grants_total": self.grants_total,
            "own_required": self.own_required,
            "budgeted": self.budgeted,
            "gap": self.gap,
            "coverage_pct": float(self.coverage_pct),
        }


@dataclass(frozen=True)
class ItemResult:
    """What one cost item costs and receives, for per-measure totals (TCO, grants, own share).

    Grants per item are unrounded: sum them over the items of interest first, then round down
    with `floor_euros`, so per-measure figures never promise more than the plan does.
    """

    item_id: str
    category: str
    recurrence: str
    cost_by_year: dict[int, int]
    granted_by_year: dict[int, Decimal]
    granted_by_source: dict[str, Decimal]
    # Per source, what it granted on the item in each year it granted anything (unrounded):
    # for plan slices (a field, a measure) with a column per source and year.
    granted_by_source_year: dict[str, dict[int, Decimal]] = field(default_factory=dict)

    @property
    def cost_total(self) -> int:
        return sum(self.cost_by_year.values())

    @property
    def granted_total(self) -> Decimal:
        return sum(self.granted_by_year.values(), ZERO)

    @property
    def own_total(self) -> Decimal:
        """Cost over the plan's years minus what grants pay (unrounded)."""
        return self.cost_total - self.granted_total


@dataclass(frozen=True)
class Plan:
    """The computed plan: one `YearResult` per year and an `ItemResult` per cost item."""

    years: list[YearResult]
    items: dict[str, ItemResult]
    # Source ids in the order they were applied: (priority, id).
    source_order: tuple[str, ...]

    @property
    def first_year(self) -> int:
        return self.years[0].year

    @property
    def last_year(self) -> int:
        return self.years[-1].year

    def year(self, year: int) -> YearResult:
        if not self.first_year <= year <= self.last_year:
            raise KeyError(year)
        return self.years[year - self.first_year]

    def total(self, column: str) -> int:
        """The sum over all years of an integer column, e.g. ``plan.total("gap")``."""
        return sum(getattr(row, column) for row in self.years)

    def grant_total(self, source_id: str) -> int:
        """What a source reports over all years (sum of its yearly rounded-down grants)."""
        return sum(row.grants.get(source_id, 0) for row in self.years)


@dataclass(frozen=True)
class Cliff:
    """A funding cliff: a source ends while costs of items it funded go on.

    `recurring_cost_by_year` is the running (annual) cost of those items in every plan year after
    `last_year`; `replacement_cost_by_year` the re-purchases of funded investments (only filled
    when asked for).
    """

    source_id: str
    title: str
    last_year: int
    items: list[str]
    recurring_cost_by_year: dict[int, int]
    replacement_cost_by_year: dict[int, int] = field(default_factory=dict)

    @property
    def recurring_total(self) -> int:
        return sum(self.recurring_cost_by_year.values())


def floor_euros(value: Decimal) -> int:
    """Round an unrounded grant down to whole euros, ignoring division noise."""
    with localcontext(_CONTEXT):
        snapped = value.quantize(_GRANT_GRID)
        return int(snapped.to_integral_value(rounding=ROUND_FLOOR))


def round_cost(value: Decimal) -> int:
    """Round a cost half up (kaufmännisch) to whole euros."""
    with localcontext(_CONTEXT):
        return int(value.quantize(_EURO, rounding=ROUND_HALF_UP))


# --- Costs --------------------------------------------------------------------------------------


def due_years(item: CostItem, first: int, last: int) -> list[int]:
    """The years in first..last in which the item falls due (rule 1)."""
    if item.recurrence == ANNUAL:
        start = max(item.start_year, first)
        stop = last if item.end_year is None else min(item.end_year, last)
        return list(range(start, stop + 1))
    years = [item.start_year] if first <= item.start_year <= last else []
    life = item.useful_life
    if item.replace and life is not None and life > 0:
        stop = last if item.end_year is None else min(item.end_year, last)
        year = item.start_year + life
        if year < first:
            # Jump to the first replacement inside the horizon.
            year += (first - year + life - 1) // life * life
        while year <= stop:
            years.append(year)
            year += life
    return years


class _Escalation:
    """Cached (1 + pct/100)^n, built by multiplication: no Decimal power in the loops."""

    def __init__(self) -> None:
        self._factors: dict[Decimal, list[Decimal]] = {}

    def factor(self, pct: Decimal, n: int) -> Decimal:
        if not pct:
            return ONE
        factors = self._factors.get(pct)
        if factors is None:
            factors = self._factors[pct] = [ONE]
        if n >= len(factors):
            step = ONE + pct / HUNDRED
            while n >= len(factors):
                factors.append(factors[-1] * step)
        return factors[n]


def item_costs(
    item: CostItem, first: int, last: int, escalation: _Escalation | None = None
) -> dict[int, int]:
    """The item's rounded cost in each year it falls due within first..last."""
    escalation = escalation or _Escalation()
    with localcontext(_CONTEXT):
        return {
            year: int(
                (
                    item.amount * escalation.factor(item.escalation_pct, year - item.start_year)
                ).quantize(_EURO, rounding=ROUND_HALF_UP)
            )
            for year in due_years(item, first, last)
        }


# --- The plan -----------------------------------------------------------------------------------


def sorted_sources(sources: Iterable[FundingSource]) -> list[FundingSource]:
    """Sources in the order they are applied: ascending priority, ties by id."""
    return sorted(sources, key=lambda source: (source.priority, source.id))


class _SourceState:
    """A source prepared for the year loop: its items grouped by capped category."""

    def __init__(
        self,
        source: FundingSource,
        items: tuple[CostItem, ...],
        by_category: dict[str, list[int]],
    ) -> None:
        self.source = source
        self.rate = source.rate_pct / HUNDRED
        self.cap_left = source.cap
        scope = set(source.item_ids) if source.item_ids is not None else None
        # (category, item indices, capped?): one group per capped category, one for the rest.
        self.groups: list[tuple[str | None, list[int], bool]] = []
        uncapped: list[int] = []
        for category, indices in by_category.items():
            if (
                source.eligible_categories is not None
                and category not in source.eligible_categories
            ):
                continue
            if scope is not None:
                indices = [index for index in indices if items[index].id in scope]
            if not indices:
                continue
            if category in source.category_caps:
                self.groups.append((category, indices, True))
            else:
                uncapped.extend(indices)
        if uncapped:
            self.groups.append((None, sorted(uncapped), False))
        self.category_left = {
            category: Decimal(cap) for category, cap in source.category_caps.items()
        }
        self.granted_by_item: dict[int, Decimal] = {}
        self.granted_by_item_year: dict[int, dict[int, Decimal]] = {}

    def grant(self, remaining: list[Decimal], year: int | None = None) -> Decimal:
        """Apply the source to one year and return its unrounded grant.

        `remaining` holds, per item, its cost this year minus what earlier sources granted on
        it: the bases of rule 2a. It is reduced by what this source grants.
        """
        accepted: list[tuple[int, Decimal]] = []
        base_total = ZERO
        for category, indices, capped in self.groups:
            bases = [(index, base) for index in indices if (base := remaining[index]) > 0]
            if not bases:
                continue
            group_total = sum([base for _, base in bases], ZERO)
            if capped:
                assert category is not None  # a capped group names its category (for mypy)
                left = self.category_left[category]
                if group_total > left:
                    # Scale the bases down to what is left of the category cap (rule 2b).
                    self.category_left[category] = ZERO
                    if left <= 0:
                        continue
                    factor = left / group_total
                    bases = [(index, base * factor) for index, base in bases]
                    group_total = left
                else:
                    self.category_left[category] = left - group_total
            accepted.extend(bases)
            base_total += group_total
        if not accepted:
            return ZERO
        grant = self.rate * base_total
        share = self.rate
        if self.cap_left is not None:
            if grant > self.cap_left:
                # Scale every item's share so the grant equals what is left (rule 2c).
                left = max(self.cap_left, ZERO)
                share = self.rate * left / grant if grant else ZERO
                grant = left
            self.cap_left -= grant
        if not grant:
            return ZERO
        by_item = self.granted_by_item
        by_item_year = self.granted_by_item_year
        for index, base in accepted:
            amount = base * share
            remaining[index] -= amount
            by_item[index] = by_item.get(index, ZERO) + amount
            if year is not None and amount:
                by_item_year.setdefault(index, {})[year] = amount
        return grant


def compute_plan(scenario: Scenario) -> Plan:
    """Compute the funding plan of a scenario (rules 1–3 of ``docs/funding-model.md``)."""
    first, last = scenario.years
    if last < first:
        raise ValueError(f"years: last year {last} is before first year {first}")
    items = tuple(scenario.cost_items)
    sources = sorted_sources(scenario.funding_sources)
    # Results are keyed by id, so a duplicate would silently merge two entries.
    for kind, ids in (("cost item", [i.id for i in items]), ("source", [s.id for s in sources])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} id")
    years = list(range(first, last + 1))
    escalation = _Escalation()

    with localcontext(_CONTEXT):
        # Costs once per item and year; year-major Decimal lists for the grant loop.
        cost_by_item = [item_costs(item, first, last, escalation) for item in items]
        year_costs: list[list[Decimal]] = [[ZERO] * len(items) for _ in years]
        once_totals = [0] * len(years)
        annual_totals = [0] * len(years)
        for index, costs in enumerate(cost_by_item):
            totals = annual_totals if items[index].recurrence == ANNUAL else once_totals
            for year, cost in costs.items():
                totals[year - first] += cost
                year_costs[year - first][index] = Decimal(cost)

        # Items indexed by category, so a source only looks at the items it may fund.
        by_category: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            by_category.setdefault(item.category, []).append(index)
        states = [_SourceState(source, items, by_category) for source in sources]
        remaining_by_year: list[list[Decimal]] = []
        rows: list[YearResult] = []
        for offset, year in enumerate(years):
            remaining = list(year_costs[offset])
            grants: dict[str, int] = {}
            for state in states:
                source = state.source
                if source.from_year <= year <= source.to_year:
                    grants[source.id] = floor_euros(state.grant(remaining, year))
                else:
                    grants[source.id] = 0
            remaining_by_year.append(remaining)
            rows.append(
                _year_row(scenario, year, once_totals[offset], annual_totals[offset], grants)
            )

        item_results = {}
        for index, item in enumerate(items):
            item_results[item.id] = ItemResult(
                item_id=item.id,
                category=item.category,
                recurrence=item.recurrence,
                cost_by_year={year: cost_by_item[index].get(year, 0) for year in years},
                granted_by_year={
                    year: year_costs[offset][index] - remaining_by_year[offset][index]
                    for offset, year in enumerate(years)
                },
                granted_by_source={
                    state.source.id: state.granted_by_item[index]
                    for state in states
                    if index in state.granted_by_item
                },
                granted_by_source_year={
                    state.source.id: state.granted_by_item_year[index]
                    for state in states
                    if index in state.granted_by_item_year
                },
            )
    return Plan(years=rows, items=item_results, source_order=tuple(source.id for source in sources))


def _year_row(
    scenario: Scenario, year: int, cost_once: int, cost_annual: int, grants: dict[str, int]
) -> YearResult:
    """Rule 3: the columns of one year from the item costs and the reported grants."""
    cost = cost_once + cost_annual
    grants_total = sum(grants.values())
    own_required = cost - grants_total
    budget = scenario.budget.get(year)
    # Like grants, a budget is never counted as more than it is: cents are dropped.
    budgeted = floor_euros(Decimal(budget)) if budget is not None else 0
    gap = max(0, own_required - budgeted)
    if cost:
        covered = Decimal(grants_total + min(own_required, budgeted))
        coverage = (covered * HUNDRED / cost).quantize(_TENTH, rounding=ROUND_HALF_UP)
    else:
        coverage = Decimal("100.0")
    return YearResult(
        year=year,
        cost=cost,
        grants=grants,
        grants_total=grants_total,
        own_required=own_required,
        budgeted=budgeted,
        gap=gap,
        coverage_pct=coverage,
        cost_once=cost_once,
        cost_annual=cost_annual,
    )


def plan_rows(plan: Plan) -> list[dict]:
    """The plan as the JSON list of ``docs/funding-model.md``: one object per year."""
    return [row.as_dict() for row in plan.years]


def funding_cliffs(
    scenario: Scenario, plan: Plan, *, include_replacements: bool = False
) -> list[Cliff]:
    """Sources that end before the plan does while running costs of what they funded go on.

    For each source (in application order) whose `to_year` is before the plan's last year: the
    annual items it granted anything on, and their cost in each plan year after `to_year`. Only
    sources where that cost is not zero are listed. With `include_replacements`, re-purchases
    of funded one-off items after `to_year` are reported too (and also make a cliff).
    """
    first, last = plan.first_year, plan.last_year
    sources = {source.id: source for source in scenario.funding_sources}
    items = {item.id: item for item in scenario.cost_items}
    cliffs = []
    for source_id in plan.source_order:
        source = sources[source_id]
        if source.to_year >= last:
            continue
        after = range(max(source.to_year + 1, first), last + 1)
        recurring = dict.fromkeys(after, 0)
        replacements = dict.fromkeys(after, 0) if include_replacements else {}
        cliff_items = []
        for item_id, result in plan.items.items():
            if not result.granted_by_source.get(source_id):
                continue
            is_annual = items[item_id].recurrence == ANNUAL
            if not is_annual and not include_replacements:
                continue
            target = recurring if is_annual else replacements
            later = [result.cost_by_year[year] for year in after]
            if any(later):
                cliff_items.append(item_id)
                for year, cost in zip(after, later, strict=True):
                    target[year] += cost
        if cliff_items:
            cliffs.append(
                Cliff(
                    source_id=source_id,
                    title=source.display_title,
                    last_year=source.to_year,
                    items=cliff_items,
                    recurring_cost_by_year=recurring,
                    replacement_cost_by_year=replacements,
                )
            )
    return cliffs
