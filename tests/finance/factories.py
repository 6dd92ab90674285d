"""Small builders for finance objects in tests, and the worked example in the database."""

from decimal import Decimal
from pathlib import Path

from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
from finance.scenario import load_scenario_file
from finance.transfer import import_scenario

from ..strategy import factories as strategy

EXAMPLE = Path(__file__).parent / "data" / "funding-example.json"
_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


def cost_item(measure=None, **kw):
    n = _next()
    kw.setdefault("key", f"item-{n}")
    kw.setdefault("title", f"Kostenposition {n}")
    kw.setdefault("category", "devices")
    kw.setdefault("amount", Decimal("1000"))
    kw.setdefault("start_year", 2025)
    kw.setdefault("recurrence", "once")
    return CostItem.objects.create(measure=measure or strategy.measure(), **kw)


def source(**kw):
    n = _next()
    kw.setdefault("key", f"source-{n}")
    kw.setdefault("title", f"Förderprogramm {n}")
    kw.setdefault("rate_pct", Decimal("50"))
    kw.setdefault("from_year", 2025)
    kw.setdefault("to_year", 2026)
    if kw.get("eligible_categories"):
        kw.setdefault("category_scope", FundingSource.Scope.SELECTED)
    return FundingSource.objects.create(**kw)


def budget_line(**kw):
    kw.setdefault("year", 2025)
    kw.setdefault("amount", Decimal("1000"))
    return BudgetLine.objects.create(**kw)


def period(first=2025, last=2030):
    return PlanPeriod.objects.create(first_year=first, last_year=last)


def example_in_db(measure=None):
    """The worked example of docs/funding-model.md, imported under `measure` (or a placeholder)."""
    import_scenario(load_scenario_file(EXAMPLE), measure=measure)
