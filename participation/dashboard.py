"""The participation panel on the dashboard.

Which consultations run today (with their number of goals) and who sits in the council today are
cached under the dashboard's data stamp and the day; whether a consultation is open right now is
decided per request, since consultations open and close at exact times. Only a councillor's own
votes are read each time, and only while a consultation is open."""

from datetime import datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from core import caching
from core.caching import cached

from .models import Consultation, Councillor, Vote

SHOWN = 5


def panel(request):
    """Open consultations (soonest deadline first) and, for councillors, goals still to vote on."""
    if not request.user.has_perm("participation.view"):
        return None
    today, now = timezone.localdate(), timezone.now()
    stamp = caching.request_stamp(request, "dashboard")
    todays = cached("participation-dashboard", stamp, lambda: running_on(today), today)
    open_consultations = [c for c in todays if c.opens_at <= now < c.closes_at][:SHOWN]
    to_vote = 0
    if open_consultations:
        councillors = cached(
            "participation-councillors", stamp, lambda: councillor_ids(today), today
        )
        councillor_id = councillors.get(request.user.pk)
        if councillor_id:
            voted = Vote.objects.filter(
                councillor_id=councillor_id, consultation__in=open_consultations
            ).count()
            to_vote = max(sum(c.goal_count for c in open_consultations) - voted, 0)
    return {
        "template": "participation/partials/dashboard_panel.html",
        "open_consultations": open_consultations,
        "to_vote": to_vote,
    }


def running_on(day):
    """Consultations open at some moment of `day`, by closing time, with `goal_count`."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return list(
        Consultation.objects.filter(opens_at__lt=end, closes_at__gt=start)
        .annotate(goal_count=Count("goals"))
        .order_by("closes_at", "pk")
    )


def councillor_ids(day):
    """{user id: councillor id} of the council on `day` (participation.rules.councillor_of)."""
    return dict(Councillor.objects.current(day).values_list("user_id", "pk"))
