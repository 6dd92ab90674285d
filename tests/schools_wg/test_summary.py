"""The read functions the status report calls (schools_wg.summary)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from schools_wg import summary
from schools_wg.models import Indicator, Member, Registration, School

from . import factories as f

pytestmark = pytest.mark.django_db


def test_members_categories_and_factions():
    # Category labels come in the active language (German by default).
    a, b = f.faction("A", name="Fraktion A"), f.faction("B", name="Fraktion B")
    rep = f.member(category=Member.Category.FACTION, faction=a)
    f.member(category=Member.Category.FACTION, faction=a, deputy_of=rep)
    parent = f.member(category=Member.Category.PARENTS)
    today = timezone.localdate()
    f.member(
        category=Member.Category.TEACHERS,
        started_on=today - timedelta(days=100),
        ended_on=today - timedelta(days=1),
    )
    grouped = summary.members_by_category()
    assert list(grouped)[0] == "Kreisschülerrat"
    assert grouped["Eltern"] == [parent]
    assert len(grouped["Fraktionsvertretung"]) == 2
    assert "Lehrkräfte" in summary.missing_categories()  # the teacher's membership has ended
    assert "Eltern" not in summary.missing_categories()
    representation = summary.faction_representation()
    assert representation["represented"] == [(a, rep)]
    assert representation["missing"] == [b]


def test_sessions_held_with_attendance_counts():
    held = f.session(days=-10, title="Gehalten")
    not_recorded = f.session(days=-3, title="Ohne Anwesenheit")
    f.session(days=5, title="Kommt noch")
    for attended in (True, True, False):
        Registration.objects.create(
            session=held, member=f.member(), status="confirmed", attended=attended
        )
    Registration.objects.create(session=not_recorded, member=f.member(), status="confirmed")
    rows = summary.sessions_held()
    assert [(r["session"].title, r["attended"], r["registered"]) for r in rows] == [
        ("Gehalten", 2, 3),
        ("Ohne Anwesenheit", None, 1),
    ]
    since = timezone.now() - timedelta(days=5)
    assert [r["session"].title for r in summary.sessions_held(since=since)] == ["Ohne Anwesenheit"]


def test_parity_overview():
    assert summary.parity_overview()["school_year"] is None
    indicator = f.indicator("wlan_share", Indicator.Direction.HIGHER)
    f.standard(School.SchoolType.GS, indicator, 90)
    good, poor = f.school("Gut"), f.school("Schwach")
    f.measure_value(good, indicator, "2025/26", 100)
    f.measure_value(poor, indicator, "2025/26", 30)
    overview = summary.parity_overview()
    assert overview["school_year"] == "2025/26"
    (wlan,) = overview["indicators"]
    assert (wlan.met, wlan.with_standard, wlan.share) == (1, 2, D("50.0"))
    assert [r.school.name for r in overview["furthest_behind"]] == ["Schwach"]
