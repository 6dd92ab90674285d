"""The funding plan's key figures on the dashboard: five queries, whatever the size."""

from . import services

CLIFFS_SHOWN = 3


def panel(request):
    """Total cost, grants and gap over the plan years and the funding cliffs. None for users
    who may not read finance data and while no cost item exists."""
    if not request.user.has_perm("finance.view"):
        return None
    fp = services.plan_for()
    if not fp.item_count:
        return None
    return {
        "template": "finance/partials/dashboard_panel.html",
        "years": fp.years,
        "cost": fp.total("cost"),
        "grants": fp.total("grants_total"),
        "gap": fp.total("gap"),
        "coverage": fp.coverage_pct,
        "cliffs": fp.cliffs[:CLIFFS_SHOWN],
        "more_cliffs": max(0, len(fp.cliffs) - CLIFFS_SHOWN),
    }
