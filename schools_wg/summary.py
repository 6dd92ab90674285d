"""Read functions for other parts (the status report, the dashboard): the group at a glance.

Each returns plain data (dicts, lists, dataclasses), takes an optional day/period and runs a
small, fixed number of queries. Documented in docs/architecture.md ("schools_wg").
"""

from collections import OrderedDict

from django.utils import timezone

from participation.models import Faction

from . import parity
from .models import Member, Session


def members_by_category(on=None) -> "OrderedDict[str, list[Member]]":
    """Active members on `on` (default today) grouped by category label, in the motion's order.

    Every category appears, empty ones with an empty list.
    """
    members = Member.objects.active(on).for_list().order_by("user__last_name", "user__first_name")
    grouped = OrderedDict((label, []) for _value, label in Member.Category.choices)
    labels = dict(Member.Category.choices)
    for member in members:
        grouped[labels[member.category]].append(member)
    return grouped


def missing_categories(on=None) -> list[str]:
    """Category labels of the motion without any active member."""
    present = set(Member.objects.active(on).values_list("category", flat=True))
    return [label for value, label in Member.Category.choices if value not in present]


def current_factions(on=None):
    """Factions whose term includes the day."""
    day = on or timezone.localdate()
    return Faction.objects.filter(term_start__lte=day).exclude(term_end__lt=day)


def faction_representation(on=None) -> dict:
    """{"represented": [(faction, member)], "missing": [faction]} for the current factions."""
    reps = {
        m.faction_id: m
        for m in Member.objects.active(on).representatives().select_related("user", "faction")
    }
    represented, missing = [], []
    for faction in current_factions(on):
        if faction.pk in reps:
            represented.append((faction, reps[faction.pk]))
        else:
            missing.append(faction)
    return {"represented": represented, "missing": missing}


def sessions_held(since=None, until=None) -> list[dict]:
    """Sessions that have ended in the period, oldest first, with their attendance counts.

    Each: {"session", "starts_at", "attended", "registered", "waiting"}; `attended` counts the
    recorded attendance (None when Verwaltung has not recorded it yet).
    """
    sessions = Session.objects.past(until or timezone.now()).with_counts()
    if since is not None:
        sessions = sessions.filter(starts_at__gte=since)
    recorded = set(
        Session.objects.filter(registrations__attended__isnull=False).values_list("pk", flat=True)
    )
    result = [
        {
            "session": s,
            "starts_at": s.starts_at,
            "attended": s.attended_count if s.pk in recorded else None,
            "registered": s.confirmed_count,
            "waiting": s.waiting_count,
        }
        for s in sessions
    ]
    result.reverse()
    return result


def parity_overview(school_year=None, behind=5) -> dict:
    """The parity dashboard in short: per indicator the share of schools at standard and the
    spread, and the schools furthest behind (unmet standards, then distance).

    {"school_year", "school_years", "indicators": [IndicatorSummary], "furthest_behind":
    [SchoolResult]} — empty lists when no values have been entered.
    """
    result = parity.load(school_year)
    current = result.current
    return {
        "school_year": current.school_year if current else None,
        "school_years": result.school_years,
        "indicators": current.summaries if current else [],
        "furthest_behind": current.furthest_behind(behind) if current else [],
    }
