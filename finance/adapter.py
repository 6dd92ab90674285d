"""From the database to the engine: the plan inputs as an engine `Scenario`, in five queries.

    inputs = load_inputs()                      # the whole strategy
    keys = inputs.select(field=hf2)             # cost item keys of a part of it
    sub = inputs.sub_scenario(keys)             # a scenario of only those items (caps restart!)

The plan of the database is always computed on the whole scenario, because caps and category
caps are shared by all items a source funds; a part of the strategy is a *slice* of that plan
(finance/selectors.py). `sub_scenario` is for exporting or trying out a part on its own.

Queries (whatever the number of rows): cost items with their measure and field ids, funding
sources, the sources' item scopes, the budget summed per year, the plan period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from .engine import CostItem as EngineItem
from .engine import FundingSource as EngineSource
from .engine import Scenario
from .models import BudgetLine, CostItem, FundingSource, PlanPeriod

DEFAULT_PLAN_YEARS = 10


@dataclass(frozen=True)
class ItemInfo:
    """What the pages need to know about a cost item besides its engine inputs."""

    pk: int
    key: str
    title: str
    category: str
    recurrence: str
    kind: str
    measure_id: int
    measure_code: str
    measure_title: str
    field_id: int
    school_id: int | None


@dataclass(frozen=True)
class SourceInfo:
    pk: int
    key: str
    title: str
    status: str
    provider: str


@dataclass
class Inputs:
    """The engine scenario of the database plus the metadata of its items and sources."""

    scenario: Scenario
    items: dict[str, ItemInfo] = field(default_factory=dict)
    sources: dict[str, SourceInfo] = field(default_factory=dict)

    def select(self, *, field=None, measure=None, school=None, source=None) -> list[str] | None:
        """The keys of the cost items matching all given filters (objects or pks); None: all."""
        if field is None and measure is None and school is None and source is None:
            return None

        def pk(value):
            return getattr(value, "pk", value)

        keys = []
        scope = self._source_scope(pk(source)) if source is not None else None
        for key, info in self.items.items():
            if field is not None and info.field_id != pk(field):
                continue
            if measure is not None and info.measure_id != pk(measure):
                continue
            if school is not None and info.school_id != pk(school):
                continue
            if scope is not None and key not in scope:
                continue
            keys.append(key)
        return keys

    def _source_scope(self, source_pk) -> set[str]:
        """Cost items the source may fund (its scope and categories), whatever the years."""
        source = next(
            (
                s
                for s in self.scenario.funding_sources
                if self.sources.get(s.id) and self.sources[s.id].pk == source_pk
            ),
            None,
        )
        if source is None:
            return set()
        return {
            item.id
            for item in self.scenario.cost_items
            if (source.eligible_categories is None or item.category in source.eligible_categories)
            and (source.item_ids is None or item.id in source.item_ids)
        }

    def sub_scenario(self, keys) -> Scenario:
        """A scenario of only these cost items; sources whose scope falls away are dropped."""
        if keys is None:
            return self.scenario
        wanted = set(keys)
        sources = []
        for source in self.scenario.funding_sources:
            if source.item_ids is not None:
                scope = source.item_ids & wanted
                if not scope:
                    continue  # it can fund none of these items
                source = _replace(source, item_ids=frozenset(scope))
            sources.append(source)
        return Scenario(
            years=self.scenario.years,
            cost_items=tuple(i for i in self.scenario.cost_items if i.id in wanted),
            funding_sources=tuple(sources),
            budget=self.scenario.budget,
        )


def _replace(source: EngineSource, **changes) -> EngineSource:
    from dataclasses import replace

    return replace(source, **changes)


def plan_years(item_start_years=(), period=None, this_year=None) -> tuple[int, int]:
    """The plan period: the stored one, else from the earliest start year (or this year) on.

    `period` and `this_year` are for a plan as of a past date (the status report): the period
    record of that date, or False for "none existed", and the year of that date."""
    if period is None:
        period = PlanPeriod.objects.order_by("pk").first()
    if period:
        return period.first_year, period.last_year
    this_year = this_year or timezone.localdate().year
    first = min(item_start_years, default=this_year)
    first = min(first, this_year)
    return first, max(first, this_year) + DEFAULT_PLAN_YEARS - 1


# What the plan reads of a cost item and of a funding source: the one list for `load_inputs`
# (from the database) and for the status report (rows rebuilt from the history, `item_row`,
# `source_row`).
ITEM_FIELDS = (
    "key",
    "title",
    "category",
    "kind",
    "amount",
    "start_year",
    "recurrence",
    "end_year",
    "useful_life",
    "replace",
    "escalation_pct",
    "measure_id",
    "school_id",
)
# The item's measure and its field, read with the item (`load_inputs`) or given (`item_row`).
ITEM_MEASURE_FIELDS = ("measure__code", "measure__title", "measure__goal__field_id")
SOURCE_FIELDS = (
    "key",
    "title",
    "status",
    "provider",
    "rate_pct",
    "category_scope",
    "eligible_categories",
    "item_scope",
    "from_year",
    "to_year",
    "cap",
    "category_caps",
    "priority",
)


def item_row(item, *, measure_code: str, measure_title: str, field_id: int) -> dict:
    """A cost item (a model instance, e.g. as of a past date) as `load_inputs` reads its row."""
    return {
        "pk": item.pk,
        **{name: getattr(item, name) for name in ITEM_FIELDS},
        "measure__code": measure_code,
        "measure__title": measure_title,
        "measure__goal__field_id": field_id,
    }


def source_row(source) -> dict:
    """A funding source (a model instance) as `load_inputs` reads its row."""
    return {"pk": source.pk, **{name: getattr(source, name) for name in SOURCE_FIELDS}}


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def load_inputs() -> Inputs:
    """The whole database as an engine scenario (five queries)."""
    item_rows = list(
        CostItem.objects.order_by("pk").values("pk", *ITEM_FIELDS, *ITEM_MEASURE_FIELDS)
    )
    source_rows = list(
        FundingSource.objects.order_by("priority", "key").values("pk", *SOURCE_FIELDS)
    )
    scopes: dict[int, set[str]] = {}
    through = FundingSource.items.through.objects.values_list("fundingsource_id", "costitem__key")
    for source_pk, item_key in through:
        scopes.setdefault(source_pk, set()).add(item_key)
    budget = BudgetLine.objects.by_year()
    years = plan_years(row["start_year"] for row in item_rows)
    return build_inputs(item_rows, source_rows, scopes, budget, years)


def build_inputs(item_rows, source_rows, scopes, budget, years) -> Inputs:
    """The engine inputs from rows as `load_inputs` reads them (the status report passes rows
    rebuilt from the history): cost items with `measure__code`, `measure__title` and
    `measure__goal__field_id`, sources ordered by priority and key, {source pk: {item key}},
    {year: budget}, (first year, last year)."""
    items, item_info = [], {}
    for row in item_rows:
        items.append(
            EngineItem(
                id=row["key"],
                title=row["title"],
                category=row["category"],
                amount=row["amount"],
                start_year=row["start_year"],
                recurrence=row["recurrence"],
                end_year=row["end_year"],
                useful_life=row["useful_life"],
                replace=row["replace"],
                escalation_pct=row["escalation_pct"],
            )
        )
        item_info[row["key"]] = ItemInfo(
            pk=row["pk"],
            key=row["key"],
            title=row["title"],
            category=row["category"],
            recurrence=row["recurrence"],
            kind=row["kind"],
            measure_id=row["measure_id"],
            measure_code=row["measure__code"],
            measure_title=row["measure__title"],
            field_id=row["measure__goal__field_id"],
            school_id=row["school_id"],
        )
    sources, source_info = [], {}
    for row in source_rows:
        # Explicit scopes: "only the selected" with nothing selected funds nothing.
        scope = scopes.get(row["pk"], set())
        selected = FundingSource.Scope.SELECTED
        sources.append(
            EngineSource(
                id=row["key"],
                title=row["title"],
                rate_pct=row["rate_pct"],
                eligible_categories=(
                    frozenset(row["eligible_categories"] or ())
                    if row["category_scope"] == selected
                    else None
                ),
                item_ids=frozenset(scope) if row["item_scope"] == selected else None,
                from_year=row["from_year"],
                to_year=row["to_year"],
                cap=row["cap"],
                category_caps={
                    category: _decimal(value)
                    for category, value in (row["category_caps"] or {}).items()
                },
                priority=row["priority"],
            )
        )
        source_info[row["key"]] = SourceInfo(
            pk=row["pk"],
            key=row["key"],
            title=row["title"],
            status=row["status"],
            provider=row["provider"],
        )
    scenario = Scenario(
        years=years,
        cost_items=tuple(items),
        funding_sources=tuple(sources),
        budget={year: amount for year, amount in budget.items()},
    )
    return Inputs(scenario=scenario, items=item_info, sources=source_info)


def build_scenario(*, field=None, measure=None, school=None, source=None) -> Scenario:
    """The database as a scenario, or the part of it matching the filters (see sub_scenario)."""
    inputs = load_inputs()
    return inputs.sub_scenario(
        inputs.select(field=field, measure=measure, school=school, source=source)
    )
