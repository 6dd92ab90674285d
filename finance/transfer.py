"""Scenario files ↔ database: export the plan inputs, import a scenario (all or nothing).

A scenario knows cost items, funding sources, the budget per year and the plan period; it does
not know measures or schools. Imported cost items are therefore attached to one measure: the one
given, or a placeholder field of action / goal / measure "Importierte Kostenpositionen" (code
IMP) that is created on first use and can be re-assigned item by item afterwards.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from strategy.models import FieldOfAction, Goal, Measure

from . import adapter
from .engine import ANNUAL, Scenario
from .models import MONEY, PERCENT, BudgetLine, CostItem, FundingSource, PlanPeriod
from .scenario import ScenarioError, scenario_to_dict

PLACEHOLDER_CODE = "IMP"
PLACEHOLDER_TITLE = "Importierte Kostenpositionen"
IMPORTED_BUDGET_TITLE = "Aus Szenario importiert"


def export_scenario() -> dict:
    """The database's plan inputs as a scenario dict (docs/funding-model.md shape)."""
    return scenario_to_dict(adapter.load_inputs().scenario)


def placeholder_measure() -> Measure:
    """The measure imported cost items are attached to when no measure is given."""
    field, _ = FieldOfAction.objects.get_or_create(
        code=PLACEHOLDER_CODE, defaults={"title": PLACEHOLDER_TITLE, "position": 999}
    )
    goal, _ = Goal.objects.get_or_create(
        field=field, code=PLACEHOLDER_CODE, defaults={"title": PLACEHOLDER_TITLE}
    )
    measure, _ = Measure.objects.get_or_create(
        goal=goal, code=PLACEHOLDER_CODE, defaults={"title": PLACEHOLDER_TITLE}
    )
    return measure


def _fits(entry: str, field: str, value: Decimal | None, places: int) -> Decimal | None:
    """Refuse values the database would round (the plan would change)."""
    if value is None:
        return None
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ScenarioError(
            f'{entry}: Feld "{field}" hat mehr als {places} Nachkommastellen.',
            entry=entry,
            field=field,
        )
    return value


def _check(obj, entry: str, exclude=()):
    """Model validation with the German messages, as a ScenarioError naming entry and field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        name = {"key": "id"}.get(field, field)
        raise ScenarioError(
            f'{entry}: Feld "{name}": {" ".join(messages)}', entry=entry, field=name
        ) from None


def import_scenario(scenario: Scenario, *, measure: Measure | None = None, replace=False) -> dict:
    """Write a (validated) scenario into the database. All or nothing.

    Refuses (ScenarioError) when the database already holds finance data and `replace` is not
    set, or when a value does not fit the database. Returns counts of what was created.
    """
    with transaction.atomic():
        if not replace and (
            CostItem.objects.exists()
            or FundingSource.objects.exists()
            or BudgetLine.objects.exists()
        ):
            raise ScenarioError(
                "Die Datenbank enthält schon Kostenpositionen, Förderprogramme oder "
                "Haushaltsansätze. Mit --replace werden sie ersetzt."
            )
        if replace:
            for model in (FundingSource, CostItem, BudgetLine):
                for obj in model.objects.all():
                    obj.delete()  # one by one, so the history records each deletion
        measure = measure or placeholder_measure()

        items = {}
        for item in scenario.cost_items:
            entry = f'Kostenposition "{item.id}"'
            annual = item.recurrence == ANNUAL
            obj = CostItem(
                measure=measure,
                key=item.id,
                title=item.title or item.id,
                category=item.category,
                kind=CostItem.Kind.CONSUMPTIVE if annual else CostItem.Kind.INVESTIVE,
                amount=_fits(entry, "amount", item.amount, MONEY["decimal_places"]),
                start_year=item.start_year,
                recurrence=item.recurrence,
                end_year=item.end_year,
                # The engine ignores these for running costs and replacements without a life.
                useful_life=None if annual else item.useful_life,
                replace=bool(item.replace and not annual and item.useful_life),
                escalation_pct=_fits(
                    entry, "escalation_pct", item.escalation_pct, PERCENT["decimal_places"]
                ),
            )
            _check(obj, entry, exclude=["measure"])
            obj.save()
            items[item.id] = obj

        for source in scenario.funding_sources:
            entry = f'Förderung "{source.id}"'
            caps = {}
            for category, cap in source.category_caps.items():
                _fits(entry, f"category_caps.{category}", cap, MONEY["decimal_places"])
                caps[category] = str(cap)
            obj = FundingSource(
                key=source.id,
                title=source.title or source.id,
                rate_pct=_fits(entry, "rate_pct", source.rate_pct, PERCENT["decimal_places"]),
                category_scope=(
                    FundingSource.Scope.ALL
                    if source.eligible_categories is None
                    else FundingSource.Scope.SELECTED
                ),
                eligible_categories=sorted(source.eligible_categories or ()),
                item_scope=(
                    FundingSource.Scope.ALL
                    if source.item_ids is None
                    else FundingSource.Scope.SELECTED
                ),
                from_year=source.from_year,
                to_year=source.to_year,
                cap=_fits(entry, "cap", source.cap, MONEY["decimal_places"]),
                category_caps=caps,
                priority=source.priority,
                status=FundingSource.Status.APPROVED,
            )
            _check(obj, entry)
            obj.save()
            if source.item_ids is not None:
                obj.items.set([items[key] for key in sorted(source.item_ids)])

        for year, amount in sorted(scenario.budget.items()):
            entry = f'Haushaltsansatz "{year}"'
            obj = BudgetLine(
                year=year,
                amount=_fits(entry, "budget", amount, MONEY["decimal_places"]),
                title=IMPORTED_BUDGET_TITLE,
            )
            _check(obj, entry)
            obj.save()

        first, last = scenario.years
        period = PlanPeriod.objects.order_by("pk").first() or PlanPeriod()
        period.first_year, period.last_year = first, last
        period.save()
    return {
        "cost_items": len(scenario.cost_items),
        "funding_sources": len(scenario.funding_sources),
        "budget_lines": len(scenario.budget),
    }
