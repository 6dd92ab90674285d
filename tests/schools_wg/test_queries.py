"""Every page of the working group runs an exact number of queries, the same for 10 and for 200
rows (members, registrations, agenda and action items, schools, values, history)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from schools_wg.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Indicator,
    Member,
    Registration,
    School,
    SchoolMeasurement,
)

from . import factories as f

pytestmark = pytest.mark.django_db

YEARS = ("2023/24", "2024/25")

# The queries of each page, the same for any number of rows. Pages of the shell read the session,
# the user, the user's role groups and the municipality's name; the calendar files read no names.
PAGE_QUERIES = {
    "index": 13,
    "member_create": 9,
    "member_edit": 8,
    "member_anonymise": 6,
    "session_create": 4,
    "session_detail": 14,
    "session_edit": 5,
    "session_ics": 4,
    "session_minutes": 5,
    "session_attendance": 9,
    "calendar_feed": 5,
    "parity": 10,  # on a cache miss: stamp, school years, the evaluation (4)
    "standards": 6,
    "import": 5,
    "export": 5,
    "measurements": 7,
}
SHELL = 4
# The school with its evaluation, history and panels; the history's rows (30 at most, of the
# school and of its values) read nothing each (core/history.py).
SCHOOL_PAGE_QUERIES = 12


def build(n):
    """n members (every category), n schools with values of three indicators in two school
    years and standards, an upcoming and a past session with n registrations, n agenda and
    n action items each; one school with n members and n changes in its history."""
    since = timezone.localdate() - timedelta(days=30)
    group = Group.objects.get_or_create(name=roles.AG_SCHULE)[0]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"mitglied-{i}", first_name="Eva", last_name=f"Nr{i:03}")
        for i in range(n)
    )
    group.user_set.add(*users)
    schools = School.objects.bulk_create(
        School(name=f"Schule {i:03}", school_type=School.SchoolType.choices[i % 3][0])
        for i in range(n)
    )
    categories = [c for c in Member.Category.values if c != Member.Category.FACTION]
    members = Member.objects.bulk_create(
        Member(
            user=user,
            category=categories[i % len(categories)],
            school=schools[0] if i % 2 else None,
            started_on=since,
        )
        for i, user in enumerate(users)
    )
    indicators = [
        f.indicator("pupils_per_device"),
        f.indicator("bandwidth", direction=Indicator.Direction.HIGHER),
        f.indicator("last_renewal", value_type=Indicator.ValueType.DATE),
    ]
    for school_type, _label in School.SchoolType.choices:
        for indicator in indicators[:2]:
            f.standard(school_type, indicator, 5)
    SchoolMeasurement.objects.bulk_create(
        SchoolMeasurement(
            school=school,
            indicator=indicator,
            school_year=year,
            value=None if indicator.is_date else Decimal(i % 9 + 1),
            date_value=timezone.localdate() - timedelta(days=400) if indicator.is_date else None,
        )
        for i, school in enumerate(schools)
        for indicator in indicators
        for year in YEARS
    )
    school = schools[0]
    value = SchoolMeasurement.objects.filter(school=school, value__isnull=False).first()
    for i in range(n):  # n changes of the school and n of its values in its history
        school.pupils = i + 1
        school.save()
        value.value = Decimal(i + 1)
        value.save()
    upcoming, past = f.session(capacity=n), f.session(days=-7, capacity=n)
    for session in (upcoming, past):
        Registration.objects.bulk_create(
            Registration(session=session, member=m, status="confirmed") for m in members
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, title=f"Punkt {i}", position=i) for i in range(n)
        )
        ActionItem.objects.bulk_create(
            ActionItem(session=session, title=f"Aufgabe {i}", owner=members[i]) for i in range(n)
        )
    return {"members": members, "schools": schools, "upcoming": upcoming, "past": past}


def pages(data):
    member = data["members"][0]
    school = data["schools"][0]
    upcoming, past = data["upcoming"].pk, data["past"].pk
    feed = CalendarFeed.objects.create(user=member.user)
    return {
        "index": reverse("schools_wg:index"),
        "member_create": reverse("schools_wg:member_create"),
        "member_edit": reverse("schools_wg:member_edit", args=[member.pk]),
        "member_anonymise": reverse("schools_wg:member_anonymise", args=[member.pk]),
        "session_create": reverse("schools_wg:session_create"),
        "session_detail": reverse("schools_wg:session_detail", args=[upcoming]),
        "session_edit": reverse("schools_wg:session_edit", args=[upcoming]),
        "session_ics": reverse("schools_wg:session_ics", args=[upcoming]),
        "session_minutes": reverse("schools_wg:session_minutes", args=[past]),
        "session_attendance": reverse("schools_wg:session_attendance", args=[past]),
        "calendar_feed": reverse("schools_wg:calendar_feed", args=[feed.token]),
        "parity": reverse("schools_wg:parity"),
        "standards": reverse("schools_wg:standards"),
        "import": reverse("schools_wg:import"),
        "export": reverse("schools_wg:export"),
        "measurements": reverse("schools_wg:measurements", args=[school.pk]),
    }


@pytest.mark.parametrize("n", [10, 200])
def test_every_page_runs_the_same_queries_for_any_number_of_rows(
    role_client, django_assert_num_queries, n
):
    client = role_client("verwaltung")
    urls = pages(build(n))
    client.get(reverse("schools_wg:index"))  # the session exists
    cache.clear()
    assert set(urls) == set(PAGE_QUERIES)
    for name, url in urls.items():
        with django_assert_num_queries(PAGE_QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name


@pytest.mark.parametrize("n", [10, 200])
def test_parity_matrix_for_htmx_queries(role_client, django_assert_num_queries, n):
    client = role_client("ratsbuero")
    build(n)
    cache.clear()
    with django_assert_num_queries(SHELL + 5):  # the matrix only: no trend
        response = client.get(reverse("schools_wg:parity"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<table" in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_member_pages_queries(role_client, django_assert_num_queries, n):
    """A member's calendar settings, the session page and joining it (htmx)."""
    data = build(n)
    client = role_client("ag_schule")
    f.member(client.user)
    CalendarFeed.objects.create(user=client.user)
    client.get(reverse("schools_wg:index"))
    with django_assert_num_queries(SHELL + 2):  # membership, feed
        assert client.get(reverse("schools_wg:calendar")).status_code == 200
    session = reverse("schools_wg:session_detail", args=[data["upcoming"].pk])
    with django_assert_num_queries(SHELL + 6):
        assert client.get(session).status_code == 200
    rsvp = reverse("schools_wg:session_rsvp", args=[data["upcoming"].pk])
    with django_assert_num_queries(SHELL + 15):  # permission, seat (locked), session section
        response = client.post(rsvp, {"action": "join"}, headers={"HX-Request": "true"})
    assert "Warteliste" in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_school_page_queries(role_client, django_assert_num_queries, n):
    """n changes of the school and n of one of its values in its history, n members."""
    client = role_client("ratsbuero")
    school = build(n)["schools"][0]
    client.get(reverse("schools_wg:index"))
    with django_assert_num_queries(SCHOOL_PAGE_QUERIES):
        response = client.get(reverse("schools_wg:school_detail", args=[school.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Eva Nr") == n // 2
