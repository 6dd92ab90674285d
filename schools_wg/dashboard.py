"""The school working group's panel on the dashboard.

Counts, parity figures and today's sessions are the same for every reader, so they are cached
under the dashboard's data stamp (and the day); which session is next is decided per request."""

from datetime import datetime, time

from django.utils import timezone

from core import caching
from core.caching import cached

from . import parity
from .models import Member, School, Session

# Sessions still running at the start of the day kept in the cache; more end on one day only
# in theory, and then the next one is read from the database.
SESSIONS_KEPT = 10


def panel(request):
    """The school working group's figures for the dashboard."""
    if not request.user.has_perm("schools_wg.view"):
        return None
    today = timezone.localdate()
    data = cached(
        "schools-wg-dashboard",
        caching.request_stamp(request, "dashboard"),
        lambda: figures(today),
        today,
    )
    now = timezone.now()
    sessions = data["sessions"]
    next_session = next((s for s in sessions if s.ends_at > now), None)
    if next_session is None and len(sessions) == SESSIONS_KEPT:
        next_session = Session.objects.upcoming(now).first()
    return {
        "template": "schools_wg/partials/dashboard_panel.html",
        "next_session": next_session,
        **{key: value for key, value in data.items() if key != "sessions"},
    }


def figures(day):
    """Schools, active members, standards met in the latest school year, sessions from `day` on."""
    result = parity.load()
    current = result.current
    start = timezone.make_aware(datetime.combine(day, time.min))
    return {
        "school_count": School.objects.count(),
        "member_count": Member.objects.active(day).count(),
        "school_year": current.school_year if current else None,
        "met": sum(s.met for s in current.summaries) if current else 0,
        "total": sum(s.with_standard for s in current.summaries) if current else 0,
        "sessions": list(Session.objects.upcoming(start)[:SESSIONS_KEPT]),
    }
