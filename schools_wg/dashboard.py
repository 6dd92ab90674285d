from . import parity
from .models import Member, School, Session


def panel(request):
    """The school working group's figures for the dashboard."""
    if not request.user.has_perm("schools_wg.view"):
        return None
    result = parity.load()
    current = result.current
    met = sum(s.met for s in current.summaries) if current else 0
    total = sum(s.with_standard for s in current.summaries) if current else 0
    return {
        "template": "schools_wg/partials/dashboard_panel.html",
        "school_count": School.objects.count(),
        "member_count": Member.objects.active().count(),
        "next_session": Session.objects.upcoming().first(),
        "school_year": current.school_year if current else None,
        "met": met,
        "total": total,
    }
