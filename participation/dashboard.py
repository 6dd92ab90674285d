from django.utils import timezone

from .models import Consultation, Vote
from .rules import councillor_of


def panel(request):
    """Open consultations (soonest deadline first) and, for councillors, goals still to vote on."""
    if not request.user.has_perm("participation.view"):
        return None
    open_consultations = list(
        Consultation.objects.open_at(timezone.now()).order_by("closes_at", "pk")[:5]
    )
    to_vote = 0
    councillor = councillor_of(request.user)
    if councillor and open_consultations:
        goal_slots = Consultation.goals.through.objects.filter(
            consultation__in=open_consultations
        ).count()
        voted = Vote.objects.filter(
            councillor=councillor, consultation__in=open_consultations
        ).count()
        to_vote = max(goal_slots - voted, 0)
    return {
        "template": "participation/partials/dashboard_panel.html",
        "open_consultations": open_consultations,
        "to_vote": to_vote,
    }
