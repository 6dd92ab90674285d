"""Every strategy page runs an exact number of queries, the same for 10 and for 200 rows."""

from datetime import date, timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from strategy import dashboard
from strategy.models import DeadlineFeed, FieldOfAction, Goal, Measure, Milestone, OrgUnit
from strategy.views import detail, overview

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
# Detail pages: the object (with its parents and units), its list, its history and the names of
# the related objects in the history (one query per related model, core/history.py).
# Field: goals with progress and measure counts; history; lead unit names.
FIELD_DETAIL_QUERIES = SHELL + 1 + 1 + 1 + 1
# Goal: measures with milestone counts; the discussion panel (participation's consultations);
# history; field and unit names.
GOAL_DETAIL_QUERIES = SHELL + 1 + 1 + 1 + 1 + 2
# Measure: milestones; its history with goal and unit names; the milestones' history with the
# measure's name; the cost panel (finance).
MEASURE_DETAIL_QUERIES = SHELL + 1 + 1 + 1 + 2 + 1 + 1 + 1
# Edit forms: the object, and the org unit choices where the form has a unit.
EDIT_QUERIES = {"field": SHELL + 2, "goal": SHELL + 2, "measure": SHELL + 2, "milestone": SHELL + 1}
# New-item forms: the parent, the codes for the suggested one, the org unit choices.
CREATE_QUERIES = {
    "field": SHELL + 2,
    "goal": SHELL + 3,
    "measure": SHELL + 3,
    "milestone": SHELL + 1,
}
# Delete/archive confirmations: the object and one count per kind of dependent
# (settings.DEPENDENTS_PROVIDERS): goals, measures, milestones below; consultations, votes,
# comments, moderation entries; cost items; action items; agenda items.
DELETE_QUERIES = {
    "field": SHELL + 1 + 3 + 4 + 1 + 2,
    "goal": SHELL + 1 + 2 + 4 + 1 + 2,
    "measure": SHELL + 1 + 1 + 1 + 2,
    "milestone": SHELL + 1 + 1,
}
# Downloads have no shell: session, user, role groups.
DOWNLOAD_SHELL = 3
DEADLINES_ICS_QUERIES = DOWNLOAD_SHELL + 4  # overdue / upcoming milestones and measures
DEADLINE_FEED_QUERIES = 2 + 4  # the feed with its user, the user's role groups; the deadlines
DEADLINE_FEED_SETTINGS_QUERIES = SHELL + 1  # the user's feed
EXPORT_QUERIES = DOWNLOAD_SHELL + 1  # measures with goal, field and lead unit
IMPORT_QUERIES = SHELL  # the upload form
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
    assert rows == min(Measure.objects.count(), overview.FILTERED_PAGE_SIZE)
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


def deep(n):
    """A field with n goals, its first goal with n measures, whose first has n milestones; n
    org units; history rows for every item (the measure page shows the milestones' too)."""
    today = timezone.localdate()
    units = bulk_create_with_history([OrgUnit(name=f"Amt {i}") for i in range(n)], OrgUnit)
    field = FieldOfAction.objects.create(code="HF 1", title="Feld", lead_unit=units[0])
    goals = bulk_create_with_history(
        [
            Goal(field=field, code=f"Z 1.{i}", title=f"Ziel {i}", position=i, owner_unit=units[i])
            for i in range(n)
        ],
        Goal,
    )
    measures = bulk_create_with_history(
        [
            Measure(
                goal=goals[0],
                code=f"M 1.0.{i}",
                title=f"Maßnahme {i}",
                position=i,
                lead_unit=units[i],
                planned_end=today + timedelta(days=i - 5),
            )
            for i in range(n)
        ],
        Measure,
    )
    bulk_create_with_history(
        [
            Milestone(measure=measures[0], title=f"MS {i}", due_date=today + timedelta(days=i - 5))
            for i in range(n)
        ],
        Milestone,
    )
    for obj in (field, goals[0], measures[0]):
        obj.title += " (geändert)"
        obj.save()
    return {
        "field": field,
        "goal": goals[0],
        "measure": measures[0],
        "milestone": Milestone.objects.filter(measure=measures[0]).first(),
    }


@pytest.fixture
def manager(client, make_user):
    client.force_login(make_user("verwaltung"))
    return client


@pytest.mark.parametrize("n", [10, 200])
def test_field_detail_queries(reader, django_assert_num_queries, n):
    field = deep(n)["field"]
    with django_assert_num_queries(FIELD_DETAIL_QUERIES):
        html = reader.get(field.get_absolute_url()).content.decode()
    assert html.count('href="/strategie/ziel/') >= n


@pytest.mark.parametrize("n", [10, 200])
def test_goal_detail_queries(reader, django_assert_num_queries, n):
    goal = deep(n)["goal"]
    with django_assert_num_queries(GOAL_DETAIL_QUERIES):
        html = reader.get(goal.get_absolute_url()).content.decode()
    assert html.count('href="/strategie/massnahme/') >= n


@pytest.mark.parametrize("n", [10, 200])
def test_measure_detail_queries(reader, django_assert_num_queries, n):
    tree = deep(n)
    measure = tree["measure"]
    # The history shows the newest detail.HISTORY_LIMIT entries of the measure and its
    # milestones; the newest is the measure's own move to another goal and unit, so the names of
    # goals and units are looked up (one query each) at every size.
    measure.goal = Goal.objects.exclude(pk=measure.goal_id).first()
    measure.lead_unit = OrgUnit.objects.exclude(pk=measure.lead_unit_id).first()
    measure.save()
    with django_assert_num_queries(MEASURE_DETAIL_QUERIES):
        html = reader.get(measure.get_absolute_url()).content.decode()
    assert html.count('id="milestone-') == n
    # The history lists the milestones' creation too (up to detail.HISTORY_LIMIT entries).
    assert html.count("MS ") >= n + min(n, detail.HISTORY_LIMIT - 2)


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("level", ["field", "goal", "measure", "milestone"])
def test_edit_form_queries(manager, django_assert_num_queries, n, level):
    obj = deep(n)[level]
    with django_assert_num_queries(EDIT_QUERIES[level]):
        response = manager.get(reverse(f"strategy:{level}_edit", args=[obj.pk]))
    assert response.status_code == 200
    if level != "milestone":
        assert response.content.decode().count("<option") >= n


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("level", ["field", "goal", "measure", "milestone"])
def test_create_form_queries(manager, django_assert_num_queries, n, level):
    tree = deep(n)
    parent = {"field": None, "goal": "field", "measure": "goal", "milestone": "measure"}[level]
    args = [tree[parent].pk] if parent else []
    with django_assert_num_queries(CREATE_QUERIES[level]):
        response = manager.get(reverse(f"strategy:{level}_create", args=args))
    assert response.status_code == 200
    if level == "goal":
        assert f'value="Z 1.{n}"' in response.content.decode()  # the next free code


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("level", ["field", "goal", "measure", "milestone"])
def test_delete_confirmation_queries(manager, django_assert_num_queries, n, level):
    obj = deep(n)[level]
    with django_assert_num_queries(DELETE_QUERIES[level]):
        response = manager.get(reverse(f"strategy:{level}_delete", args=[obj.pk]))
    assert response.status_code == 200
    if level == "measure":
        assert f"{n} Meilensteine" in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_deadline_calendar_queries(reader, django_assert_num_queries, n):
    deep(n)
    with django_assert_num_queries(DEADLINES_ICS_QUERIES):
        body = reader.get(reverse("strategy:deadlines_ics")).content.decode()
    assert body.count("BEGIN:VEVENT") == 2 * n


@pytest.mark.parametrize("n", [10, 200])
def test_deadline_feed_queries(make_user, django_assert_num_queries, n):
    deep(n)
    feed = DeadlineFeed.objects.create(user=make_user("stadtrat"))
    with django_assert_num_queries(DEADLINE_FEED_QUERIES):
        body = Client().get(reverse("strategy:deadline_feed", args=[feed.token])).content
    assert body.decode().count("BEGIN:VEVENT") == 2 * n


@pytest.mark.parametrize("n", [10, 200])
def test_deadline_feed_settings_queries(reader, django_assert_num_queries, n):
    deep(n)
    with django_assert_num_queries(DEADLINE_FEED_SETTINGS_QUERIES):
        response = reader.get(reverse("strategy:deadline_feed_settings"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_export_queries(reader, django_assert_num_queries, n, name):
    deep(n)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = reader.get(reverse(f"strategy:{name}"))
    assert response.status_code == 200
    if name == "export_csv":
        assert response.content.decode("utf-8-sig").count("Maßnahme ") == n


@pytest.mark.parametrize("n", [10, 200])
def test_import_page_queries(manager, django_assert_num_queries, n):
    deep(n)
    with django_assert_num_queries(IMPORT_QUERIES):
        response = manager.get(reverse("strategy:import"))
    assert response.status_code == 200
