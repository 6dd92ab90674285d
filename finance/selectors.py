"""The funding plan of the database as the pages, the dashboard, the measure panel and the status
report read it, and what other apps read of finance: import it from here (docs/architecture.md,
"One way for each thing"; the rules in docs/funding-model.md).

    plan_for(field=None, measure=None, school=None, source=None) -> FinancePlan
    measure_summary(measure) -> MeasureSummary | None
    plan_stamp() -> str   (changes whenever anything the plan or its filter choices read does)
    sources_funding_nothing() -> list[FundingSource]

The engine always computes the whole strategy (caps are shared by everything a source funds);
a filtered plan is a *slice* of it: the cost, grants and own share of the selected items, and
the budget attributed in proportion to their own share (budget lines are not tied to measures),
so the slices' gaps add up to the whole plan's gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse

from core import caching

from . import adapter
from .adapter import (
    ITEM_FIELDS,
    SOURCE_FIELDS,
    build_inputs,
    item_row,
    load_inputs,
    plan_years,
    source_row,
)
from .engine import HUNDRED, Cliff, Plan, YearResult, compute_plan, floor_euros, funding_cliffs
from .models import CostItem, FundingSource
from .scenario import CATEGORIES

__all__ = [
    "CATEGORIES",
    "ITEM_FIELDS",
    "SOURCE_FIELDS",
    "build_inputs",
    "item_row",
    "load_inputs",
    "measure_summary",
    "plan_for",
    "plan_stamp",
    "plan_years",
    "slice_rows",
    "source_row",
    "sources_funding_nothing",
]

_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class MeasureRef:
    pk: int
    code: str
    title: str
    url: str = ""


def _measure_url_pattern() -> str:
    """The measure page URL with a placeholder: one reverse() for any number of measures."""
    return reverse("strategy:measure_detail", kwargs={"pk": 987654321}).replace("987654321", "{}")


@dataclass(frozen=True)
class CliffView:
    """A funding cliff (Förderklippe) as the pages show it."""

    source_id: str
    source_pk: int | None
    title: str
    last_year: int
    recurring_cost_by_year: dict[int, int]
    measures: list[MeasureRef]
    item_keys: list[str]

    @property
    def first_year_after(self) -> int:
        return self.last_year + 1

    @property
    def recurring_per_year(self) -> int:
        """The running cost in the first plan year after the source ends."""
        if not self.recurring_cost_by_year:
            return 0
        return self.recurring_cost_by_year[min(self.recurring_cost_by_year)]

    @property
    def recurring_total(self) -> int:
        return sum(self.recurring_cost_by_year.values())


@dataclass(frozen=True)
class SourceColumn:
    key: str
    pk: int | None
    title: str


@dataclass(frozen=True)
class FieldSummary:
    field_id: int
    cost: int
    grants: int
    own_required: int
    gap: int


@dataclass
class FinancePlan:
    """The plan (or a slice of it) with everything the pages and the report show."""

    inputs: adapter.Inputs
    plan: Plan
    rows: list[YearResult]
    sources: list[SourceColumn]
    cliffs: list[CliffView]
    keys: list[str] | None = None
    field_summaries: dict[int, FieldSummary] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        return self.keys is not None

    @property
    def years(self) -> tuple[int, int]:
        return self.inputs.scenario.years

    @property
    def item_count(self) -> int:
        return len(self.inputs.items) if self.keys is None else len(self.keys)

    def total(self, column: str) -> int:
        return sum(getattr(row, column) for row in self.rows)

    def grant_total(self, key: str) -> int:
        return sum(row.grants.get(key, 0) for row in self.rows)

    @property
    def coverage_pct(self) -> Decimal:
        """Coverage over all years (rule 3 applied to the sums)."""
        return _coverage(self.total("cost"), self.total("grants_total"), self._covered_own())

    def _covered_own(self) -> int:
        return sum(min(row.own_required, row.budgeted) for row in self.rows)


def _coverage(cost: int, grants: int, covered_own: int) -> Decimal:
    if not cost:
        return Decimal("100.0")
    return (Decimal(grants + covered_own) * HUNDRED / cost).quantize(_TENTH, ROUND_HALF_UP)


def slice_rows(plan: Plan, keys) -> list[YearResult]:
    """The plan's rows for only the cost items `keys` (see the module docstring).

    The budget is shared out in proportion to the slices' unrounded own shares (cost less the
    grants before rounding down): those add up to the plan's exactly, so complementary slices
    never get more budget together than the plan has (rounded shares could, by a euro)."""
    results = [plan.items[key] for key in keys if key in plan.items]
    whole_own = _unrounded_own_by_year(plan)
    rows = []
    for full in plan.years:
        year = full.year
        cost_once = cost_annual = 0
        unrounded: dict[str, Decimal] = dict.fromkeys(plan.source_order, Decimal(0))
        for result in results:
            cost = result.cost_by_year.get(year, 0)
            if result.recurrence == "annual":
                cost_annual += cost
            else:
                cost_once += cost
            for source_id, by_year in result.granted_by_source_year.items():
                amount = by_year.get(year)
                if amount:
                    unrounded[source_id] += amount
        grants = {source_id: floor_euros(amount) for source_id, amount in unrounded.items()}
        cost = cost_once + cost_annual
        grants_total = sum(grants.values())
        own = cost - grants_total
        own_unrounded = cost - sum(unrounded.values())
        if full.own_required > 0 and own > 0 and whole_own[year] > 0 and own_unrounded > 0:
            usable = min(full.budgeted, full.own_required)
            share = Decimal(usable) * own_unrounded / whole_own[year]
            budgeted = min(own, floor_euros(share))
        else:
            budgeted = 0
        gap = max(0, own - budgeted)
        rows.append(
            YearResult(
                year=year,
                cost=cost,
                grants=grants,
                grants_total=grants_total,
                own_required=own,
                budgeted=budgeted,
                gap=gap,
                coverage_pct=_coverage(cost, grants_total, min(own, budgeted)),
                cost_once=cost_once,
                cost_annual=cost_annual,
            )
        )
    return rows


def _unrounded_own_by_year(plan: Plan) -> dict[int, Decimal]:
    """Per year, the whole plan's cost less its grants before rounding down."""
    own = {row.year: Decimal(row.cost) for row in plan.years}
    for result in plan.items.values():
        for by_year in result.granted_by_source_year.values():
            for year, amount in by_year.items():
                if year in own:
                    own[year] -= amount
    return own


def _cliff_views(inputs: adapter.Inputs, plan: Plan, cliffs: list[Cliff], keys) -> list[CliffView]:
    wanted = None if keys is None else set(keys)
    url_pattern = _measure_url_pattern()
    views = []
    for cliff in cliffs:
        item_keys = [k for k in cliff.items if wanted is None or k in wanted]
        if not item_keys:
            continue
        if wanted is None:
            recurring = dict(cliff.recurring_cost_by_year)
        else:
            recurring = dict.fromkeys(cliff.recurring_cost_by_year, 0)
            for key in item_keys:
                for year in recurring:
                    recurring[year] += plan.items[key].cost_by_year.get(year, 0)
        if not any(recurring.values()):
            continue
        measures: dict[int, MeasureRef] = {}
        for key in item_keys:
            info = inputs.items[key]
            if info.measure_id not in measures:
                measures[info.measure_id] = MeasureRef(
                    info.measure_id,
                    info.measure_code,
                    info.measure_title,
                    url_pattern.format(info.measure_id),
                )
        source = inputs.sources.get(cliff.source_id)
        views.append(
            CliffView(
                source_id=cliff.source_id,
                source_pk=source.pk if source else None,
                title=cliff.title,
                last_year=cliff.last_year,
                recurring_cost_by_year=recurring,
                measures=sorted(measures.values(), key=lambda m: m.code),
                item_keys=item_keys,
            )
        )
    return views


def _field_summaries(inputs: adapter.Inputs, plan: Plan) -> dict[int, FieldSummary]:
    by_field: dict[int, list[str]] = {}
    for key, info in inputs.items.items():
        by_field.setdefault(info.field_id, []).append(key)
    summaries = {}
    for field_id, keys in by_field.items():
        rows = slice_rows(plan, keys)
        summaries[field_id] = FieldSummary(
            field_id=field_id,
            cost=sum(r.cost for r in rows),
            grants=sum(r.grants_total for r in rows),
            own_required=sum(r.own_required for r in rows),
            gap=sum(r.gap for r in rows),
        )
    return summaries


def plan_for(
    field=None, measure=None, school=None, source=None, *, inputs=None, summaries=False
) -> FinancePlan:
    """The plan of the database, whole or sliced by field, measure, school or source.

    Filters are model instances or pks and combine (all must match). `summaries=True` adds the
    per-field totals (cost, grants, own share, gap over the plan years) for the status report.
    Queries: five (finance/adapter.py), whatever the amount of data.
    """
    inputs = inputs or adapter.load_inputs()
    plan = compute_plan(inputs.scenario)
    keys = inputs.select(field=field, measure=measure, school=school, source=source)
    rows = plan.years if keys is None else slice_rows(plan, keys)
    cliffs = _cliff_views(inputs, plan, funding_cliffs(inputs.scenario, plan), keys)
    columns = [
        SourceColumn(
            key=key,
            pk=inputs.sources[key].pk if key in inputs.sources else None,
            title=inputs.sources[key].title if key in inputs.sources else key,
        )
        for key in plan.source_order
    ]
    result = FinancePlan(
        inputs=inputs, plan=plan, rows=list(rows), sources=columns, cliffs=cliffs, keys=keys
    )
    if summaries:
        result.field_summaries = _field_summaries(inputs, plan)
    return result


def plan_stamp() -> str:
    """One query: the stamp of the cached plan page (registry part "finance.plan" in
    core/caching.py, which lists the tables the plan and its filter read)."""
    return caching.stamp("finance.plan")


@dataclass
class MeasureSummary:
    """A measure's cost of ownership over the plan years, what grants pay and its gap."""

    plan: FinancePlan
    items: list[CostItem]

    @property
    def tco(self) -> int:
        return self.plan.total("cost")

    @property
    def grants(self) -> int:
        return self.plan.total("grants_total")

    @property
    def own_required(self) -> int:
        return self.plan.total("own_required")

    @property
    def gap(self) -> int:
        return self.plan.total("gap")


def measure_summary(measure) -> MeasureSummary | None:
    """The finance section of a measure's page; None when it has no cost items."""
    items = list(CostItem.objects.of_measure(measure).select_related("school"))
    if not items:
        return None
    return MeasureSummary(plan=plan_for(measure=measure), items=items)


def sources_funding_nothing() -> list[FundingSource]:
    """Programmes limited to a selection of items or categories that is empty (plan warning)."""
    selected = FundingSource.Scope.SELECTED
    sources = FundingSource.objects.annotate(selected_items=Count("items")).filter(
        Q(item_scope=selected, selected_items=0)
        | Q(category_scope=selected, eligible_categories=[])
    )
    return list(sources.order_by("priority", "key"))
