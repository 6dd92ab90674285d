"""List pages run an exact number of queries, the same for 10 and for 200 measures."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from strategy import dashboard, views
from strategy.models import FieldOfAction, Goal, Measure, Milestone, OrgUnit

pytestmark = pytest.mark.django_db

# Every page of the shell: session, user, the user's role groups (read once for the rules and
# the role names in the header), municipality name.
SHELL = 4
# The overview's data stamp; on a cache miss also the tree (fields, goals, measures with
# milestone counts) and the filter choices (fields, units).
OVERVIEW_CACHED_QUERIES = SHELL + 1
OVERVIEW_QUERIES = OVERVIEW_CACHED_QUERIES + 3 + 2
OVERVIEW_FILTERED_QUERIES = OVERVIEW_QUERIES + 1  # ids of the matching measures
# Goal, its measures with milestone counts; the shell's session, user and role groups.
GOAL_MEASURES_QUERIES = 3 + 2
DEADLINES_QUERIES = SHELL + 4  # overdue / upcoming milestones and measures
TIMELINE_QUERIES = SHELL + 3  # fields, measures, milestones
# overall progress, field count, goal count, lifecycle counts, overdue (2), next deadlines (2)
DASHBOARD_QUERIES = 8


def build(n_measures):
    """n measures over 3 fields × 2 goals, each with two milestones (one overdue, one soon)."""
    today = timezone.localdate()
    units = [OrgUnit.objects.create(name=f"Amt {i}") for i in range(3)]
    fields = [
        FieldOfAction.objects.create(code=f"HF {i}", title=f"Feld {i}", position=i)
        for i in range(3)
    ]
    goals = [
        Goal.objects.create(field=field, code=f"Z {field.pk}.{j}", title="Ziel", position=j)
        for field in fields
        for j in range(2)
    ]
    measures = Measure.objects.bulk_create(
        Measure(
            goal=goals[i % len(goals)],
            code=f"M {i}",
            title=f"Maßnahme {i}",
            lead_unit=units[i % 3],
            lifecycle="in_progress",
            progress=i % 100,
            planned_start=date(2024, 1, 1),
            planned_end=today + timedelta(days=(i % 60) - 20),
            actual_start=date(2024, 2, 1),
            position=i,
        )
        for i in range(n_measures)
    )
    Milestone.objects.bulk_create(
        Milestone(measure=m, title=f"MS {m.pk}-{k}", due_date=today + timedelta(days=d))
        for m in measures
        for k, d in enumerate((-5, 10))
    )


def tree(html):
    return html[html.index('<div id="tree"') : html.index("</main>")]


@pytest.fixture
def reader(client, make_user):
    client.force_login(make_user("stadtrat"))
    return client


@pytest.mark.parametrize("n", [10, 200])
def test_overview_queries(reader, django_assert_num_queries, n):
    build(n)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = reader.get(reverse("strategy:index"))
    html = response.content.decode()
    # Fields and goals with their figures; the measure rows load per goal on demand.
    assert html.count('class="tree-goal"') == Goal.objects.count()
    assert f"Insgesamt {n} Maßnahmen." in html
    assert 'href="/strategie/massnahme/' not in html
    with django_assert_num_queries(OVERVIEW_CACHED_QUERIES):
        again = reader.get(reverse("strategy:index")).content.decode()
    assert tree(again) == tree(html)


@pytest.mark.parametrize("n", [10, 200])
def test_filtered_overview_queries(reader, django_assert_num_queries, n):
    build(n)
    query = {"overdue": "on", "q": "Maßnahme"}
    with django_assert_num_queries(OVERVIEW_FILTERED_QUERIES):
        response = reader.get(reverse("strategy:index"), query)
    rows = response.content.decode().count('class="kern-link" href="/strategie/massnahme/')
    assert rows == min(Measure.objects.count(), views.FILTERED_PAGE_SIZE)
    with django_assert_num_queries(OVERVIEW_CACHED_QUERIES):
        reader.get(reverse("strategy:index"), query)
    unit = OrgUnit.objects.first()
    with django_assert_num_queries(OVERVIEW_FILTERED_QUERIES + 1):  # + the unit choice
        reader.get(reverse("strategy:index"), {"unit": unit.pk, "light": "not_rated"})


@pytest.mark.parametrize("n", [10, 200])
def test_goal_measures_queries(reader, django_assert_num_queries, n):
    build(n)
    goal = Goal.objects.first()
    with django_assert_num_queries(GOAL_MEASURES_QUERIES):
        response = reader.get(
            reverse("strategy:goal_measures", args=[goal.pk]), headers={"HX-Request": "true"}
        )
    rows = response.content.decode().count('class="kern-link" href="/strategie/massnahme/')
    assert rows == goal.measures.count() >= n // 6


@pytest.mark.parametrize("n", [10, 200])
def test_deadlines_queries(reader, django_assert_num_queries, n):
    build(n)
    with django_assert_num_queries(DEADLINES_QUERIES):
        response = reader.get(reverse("strategy:deadlines"), {"tage": 90})
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= n


@pytest.mark.parametrize("n", [10, 200])
def test_timeline_queries(reader, django_assert_num_queries, n):
    build(n)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = reader.get(reverse("strategy:timeline"))
    assert response.content.decode().count('class="tl-planned"') == n


@pytest.mark.parametrize("n", [10, 200])
def test_dashboard_panel_queries(make_user, django_assert_num_queries, n):
    build(n)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        data = dashboard.figures()
    assert data["overdue_count"] >= n
    assert len(data["next_deadlines"]) == dashboard.NEXT_DEADLINES
    # The panel renders them once per data stamp (plauen_digital/dashboard.py).
    user = make_user("ratsbuero")
    user.has_perm("strategy.view")  # the role lookup is cached on the user
    for queries in (1 + DASHBOARD_QUERIES, 1):
        request = RequestFactory().get("/")
        request.user = user
        with django_assert_num_queries(queries):
            html = dashboard.panel(request)["html"]
        assert f'<span class="num">{data["overdue_count"]}</span>' in html
