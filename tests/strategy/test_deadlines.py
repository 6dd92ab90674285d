"""Overdue = due date passed and not done; deadlines ahead; grouped by lead unit. Frozen clock."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from strategy.models import Measure, Milestone
from strategy.querysets import deadlines_by_unit, overdue_deadlines, upcoming_deadlines

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-24 10:00 +0100", tick=False):
        yield


@pytest.fixture
def data():
    hauptamt = f.org_unit("Hauptamt")
    schulamt = f.org_unit("Schulverwaltungsamt")
    running = f.measure(
        lead_unit=hauptamt,
        lifecycle="in_progress",
        planned_start=date(2025, 1, 1),
        planned_end=date(2026, 11, 23),  # yesterday: overdue
    )
    ends_today = f.measure(
        lead_unit=schulamt, lifecycle="in_progress", planned_end=TODAY
    )  # due today: not overdue
    done = f.measure(
        lead_unit=hauptamt, lifecycle="completed", progress=100, planned_end=date(2026, 1, 1)
    )
    cancelled = f.measure(lifecycle="cancelled", planned_end=date(2026, 1, 1))
    ms = {
        "late": f.milestone(running, title="Späte Abnahme", due_date=date(2026, 11, 1)),
        "late_done": f.milestone(
            running, title="Erledigt", due_date=date(2026, 11, 1), done_on=date(2026, 11, 2)
        ),
        "soon": f.milestone(ends_today, title="Bald", due_date=date(2026, 12, 15)),
        "later": f.milestone(ends_today, title="Später", due_date=date(2027, 2, 1)),
    }
    return {
        "running": running,
        "ends_today": ends_today,
        "done": done,
        "cancelled": cancelled,
        **ms,
    }


def test_overdue_querysets(frozen, data):
    assert set(Measure.objects.overdue()) == {data["running"]}
    assert set(Milestone.objects.overdue()) == {data["late"]}
    assert data["running"].is_overdue(TODAY)
    assert not data["ends_today"].is_overdue(TODAY)
    assert not data["done"].is_overdue(TODAY) and not data["cancelled"].is_overdue(TODAY)


def test_overdue_changes_when_the_clock_moves(data):
    with time_machine.travel("2026-11-25 10:00 +0100", tick=False):
        assert set(Measure.objects.overdue()) == {data["running"], data["ends_today"]}
    with time_machine.travel("2026-10-01 10:00 +0100", tick=False):
        assert not Measure.objects.overdue().exists()
        assert not Milestone.objects.overdue().exists()


def test_upcoming_within_30_and_90_days(frozen, data):
    in_30 = {(d.kind, d.title) for d in upcoming_deadlines(30)}
    assert in_30 == {("measure", data["ends_today"].title), ("milestone", "Bald")}
    in_90 = {d.title for d in upcoming_deadlines(90)}
    assert "Später" in in_90
    assert [d.title for d in overdue_deadlines()] == ["Späte Abnahme", data["running"].title]


def test_grouped_by_lead_unit(frozen, data):
    groups = deadlines_by_unit(30)
    assert [str(g.unit) for g in groups] == ["Hauptamt", "Schulverwaltungsamt"]
    assert {d.title for d in groups[0].overdue} == {"Späte Abnahme", data["running"].title}
    assert groups[0].upcoming == []
    assert {d.title for d in groups[1].upcoming} == {"Bald", data["ends_today"].title}


def test_deadlines_page_links_each_row(frozen, data, role_client):
    client = role_client("ratsbuero")
    html = client.get(reverse("strategy:deadlines")).content.decode()
    assert "Hauptamt" in html and "Schulverwaltungsamt" in html
    assert data["running"].get_absolute_url() in html
    assert f"#milestone-{data['late'].pk}" in html
    assert "Später" not in html
    assert "Später" in client.get(reverse("strategy:deadlines") + "?tage=90").content.decode()


def test_ics_feed_lists_open_deadlines(frozen, data, role_client):
    response = role_client("stadtrat").get(reverse("strategy:deadlines_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert any("Späte Abnahme" in s for s in events)
    assert any("Später" in s for s in events)
    assert not any("Erledigt" in s for s in events)
    uids = [str(e["uid"]) for e in events.values()]
    assert len(uids) == len(set(uids))
    late = next(e for s, e in events.items() if "Späte Abnahme" in s)
    assert late.decoded("dtstart") == date(2026, 11, 1)


def test_ics_feed_needs_login(client):
    response = client.get(reverse("strategy:deadlines_ics"))
    assert response.status_code == 302
