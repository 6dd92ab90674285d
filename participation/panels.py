"""The participation section of a goal's page in the strategy (settings.DETAIL_PANELS)."""

from django.utils import timezone

from .discussion import discussion_context
from .models import Consultation


def goal_panel(request, goal):
    """Consultations containing `goal` and, for the running one (or else the latest closed one),
    the comment thread, the comment and vote forms and the results. None if there is nothing."""
    if not request.user.has_perm("participation.view"):
        return None
    now = timezone.now()
    consultations = list(
        Consultation.objects.containing(goal).filter(opens_at__lte=now).order_by("-closes_at")
    )
    if not consultations:
        return None
    running = [c for c in consultations if c.is_open_at(now)]
    current = running[0] if running else consultations[0]
    context = discussion_context(request, current, goal)
    context.update(
        {
            "template": "participation/partials/goal_panel.html",
            "consultations": consultations,
            "current": current,
            "now": now,
        }
    )
    return context
