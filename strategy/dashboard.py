"""The strategy's panel on the dashboard: a constant number of queries, whatever the size."""

from .models import FieldOfAction, Goal, Measure, Milestone
from .querysets import upcoming_deadlines

HORIZON_DAYS = 90
NEXT_DEADLINES = 5


def panel(request):
    """Overall progress, measures by lifecycle, overdue count and the next deadlines.

    None for users who may not read the strategy.
    """
    if not request.user.has_perm("strategy.view"):
        return None
    return {
        "template": "strategy/partials/dashboard_panel.html",
        "overall_progress": Goal.objects.overall_progress(),
        "field_count": FieldOfAction.objects.count(),
        "goal_count": Goal.objects.count(),
        "lifecycle_counts": Measure.objects.counts_by_lifecycle(),
        "overdue_count": Milestone.objects.overdue().count() + Measure.objects.overdue().count(),
        "next_deadlines": upcoming_deadlines(HORIZON_DAYS, limit=NEXT_DEADLINES),
        "horizon": HORIZON_DAYS,
    }
