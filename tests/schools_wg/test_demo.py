"""Demo data of the working group (issue 5, item 5): every category of the motion, faction
representatives from the demo councillors with one faction left out, past sessions with minutes and
attendance, upcoming ones with registrations, and unequal parity values over three school years."""

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import demo as accounts_demo
from participation import demo as participation_demo
from participation.models import Councillor
from schools_wg import demo, summary
from schools_wg.models import Member, Registration, School, SchoolMeasurement, Session

pytestmark = pytest.mark.django_db


def wg_rows():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("schools_wg").get_models()
    }


@pytest.fixture
def seeded():
    accounts_demo.seed()
    participation_demo.seed()
    demo.seed()


def test_demo_is_complete_and_idempotent(seeded):
    first = wg_rows()
    demo.seed()
    assert wg_rows() == first

    # Every category of the motion has a fictional member; pupils keep no contact data.
    assert summary.missing_categories() == []
    for pupil in Member.objects.active().filter(category=Member.Category.PUPILS):
        assert pupil.user.email == "" and pupil.user.phone == ""

    # Faction representatives are demo councillors; exactly one faction has none.
    representation = summary.faction_representation()
    assert len(representation["missing"]) == 1
    assert representation["represented"]
    for _faction, member in representation["represented"]:
        assert Councillor.objects.filter(user=member.user).exists()
    assert any(m.user.username == "stadtrat" for _f, m in representation["represented"])


def test_demo_sessions_have_minutes_attendance_and_registrations(seeded):
    now = timezone.now()
    past = Session.objects.filter(ends_at__lt=now)
    upcoming = Session.objects.filter(starts_at__gt=now)
    assert past.count() >= 2 and upcoming.count() >= 2
    for session in past:
        assert session.minutes
        registrations = Registration.objects.filter(session=session)
        assert registrations.filter(attended=True).exists()
        assert registrations.filter(attended=False).exists()
    for session in upcoming:
        assert Registration.objects.filter(session=session, attended__isnull=True).exists()
    # The small online session is full and has people waiting.
    assert Registration.objects.filter(session__in=upcoming, status="waiting").exists()


def test_demo_parity_values_show_inequality_over_three_school_years(seeded):
    assert School.objects.count() == 19
    years = sorted(set(SchoolMeasurement.objects.values_list("school_year", flat=True)))
    assert len(years) == 3
    overview = summary.parity_overview()
    assert overview["school_year"] == years[-1]
    shares = [row.share for row in overview["indicators"] if row.share is not None]
    # Real inequality: no indicator is met by every school, and some schools lag well behind.
    assert shares and all(share < 100 for share in shares)
    assert any(row.minimum != row.maximum for row in overview["indicators"])
    assert overview["furthest_behind"][0].unmet >= 3
