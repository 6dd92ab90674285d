"""German number and money formatting for templates: 1.234,56 €, 12,5 %."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def _to_decimal(value):
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _rounded(amount, decimals):
    """Round half up (away from zero), like the report: 94,74 → 95; number_format truncates."""
    return amount.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


@register.filter
def euro(value, decimals=0):
    """Format money the German way: `1.234 €` (default whole euros) or `1.234,56 €`."""
    amount = _to_decimal(value)
    if amount is None:
        return "–"
    amount = _rounded(amount, decimals)
    return f"{number_format(amount, int(decimals), use_l10n=True, force_grouping=True)}\u00a0€"


@register.filter
def number(value, decimals=0):
    """A grouped number in the active locale: 1.234 or 1.234,5."""
    amount = _to_decimal(value)
    if amount is None:
        return "–"
    amount = _rounded(amount, decimals)
    return number_format(amount, int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def percent(value, decimals=0):
    """A percentage the German way: `45,2 %`."""
    amount = _to_decimal(value)
    if amount is None:
        return "–"
    amount = _rounded(amount, decimals)
    return f"{number_format(amount, int(decimals), use_l10n=True)}\u00a0%"
