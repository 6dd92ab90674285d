"""The strategy's panel on the dashboard.

The same for every reader and eight queries to build, so the rendered panel is cached under the
dashboard's data stamp (which includes the day, for the overdue counts and the deadlines)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from core import caching

from .models import FieldOfAction, Goal, Measure, Milestone
from .querysets import upcoming_deadlines

HORIZON_DAYS = 90
NEXT_DEADLINES = 5
TEMPLATE = "strategy/partials/dashboard_panel.html"


def panel(request):
    """Overall progress, measures by lifecycle, overdue count and the next deadlines.

    None for users who may not read the strategy.
    """
    if not request.user.has_perm("strategy.view"):
        return None
    html = caching.cached(
        "strategy-dashboard",
        caching.request_stamp(request, "dashboard"),
        lambda: render_to_string(TEMPLATE, {"panel": figures()}),
        get_language(),
    )
    return {"html": html}


def figures():
    """The panel's figures (eight queries); archived items are not part of the work."""
    return {
        "overall_progress": Goal.objects.active().overall_progress(),
        "field_count": FieldOfAction.objects.active().count(),
        "goal_count": Goal.objects.active().count(),
        "lifecycle_counts": Measure.objects.active().counts_by_lifecycle(),
        "overdue_count": Milestone.objects.active().overdue().count()
        + Measure.objects.active().overdue().count(),
        "next_deadlines": upcoming_deadlines(HORIZON_DAYS, limit=NEXT_DEADLINES),
        "horizon": HORIZON_DAYS,
    }
