"""The funding plan's key figures on the dashboard.

Computing the plan takes far longer than a page may, and the figures are the same for every
reader, so the rendered panel is cached under the dashboard's data stamp: the five adapter
queries and the engine run only after a change (or on a new day)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from core import caching
from core.caching import cached

from . import selectors

CLIFFS_SHOWN = 3
TEMPLATE = "finance/partials/dashboard_panel.html"


def panel(request):
    """Total cost, grants and gap over the plan years and the funding cliffs. None for users
    who may not read finance data and while no cost item exists."""
    if not request.user.has_perm("finance.view"):
        return None
    html = cached(
        "finance-dashboard", caching.request_stamp(request, "dashboard"), render, get_language()
    )
    return {"html": html} if html else None


def render() -> str:
    """The panel's HTML; "" without cost items."""
    figures = figures_of_the_plan()
    return render_to_string(TEMPLATE, {"panel": figures}) if figures else ""


def figures_of_the_plan():
    """The panel's context; None without cost items."""
    fp = selectors.plan_for()
    if not fp.item_count:
        return None
    return {
        "years": fp.years,
        "cost": fp.total("cost"),
        "grants": fp.total("grants_total"),
        "gap": fp.total("gap"),
        "coverage": fp.coverage_pct,
        "cliffs": fp.cliffs[:CLIFFS_SHOWN],
        "more_cliffs": max(0, len(fp.cliffs) - CLIFFS_SHOWN),
    }
