"""The participation panel on a strategy goal page (settings.DETAIL_PANELS["strategy.goal"])."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from core.panels import detail_panels
from participation.panels import goal_panel

from .helpers import make_closed_consultation, make_comment, make_consultation, make_goal

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/strategie/")
    request.user = user
    request.htmx = False
    return request


def test_no_panel_without_consultations(make_user):
    assert goal_panel(request_for(make_user("stadtrat")), make_goal()) is None


def test_no_panel_for_an_upcoming_consultation_only(make_user):
    now = timezone.now()
    goal = make_goal()
    make_consultation([goal], opens_at=now + datetime.timedelta(days=1))
    assert goal_panel(request_for(make_user("stadtrat")), goal) is None


def test_panel_shows_the_running_consultation_with_thread_and_forms(make_user, councillor_user):
    goal = make_goal()
    closed = make_closed_consultation([goal], title="Frühere Beteiligung")
    running = make_consultation([goal], title="Laufende Beteiligung")
    make_comment(running, councillor_user(first_name="Ines", last_name="Ebert"), "Sehr gut!")
    user = councillor_user()
    request = request_for(user)
    (panel,) = detail_panels("strategy.goal", request, goal)
    assert panel["template"] == "participation/partials/goal_panel.html"
    assert panel["current"] == running
    assert panel["consultations"] == [running, closed]
    html = render_to_string(panel["template"], {"panel": panel, "request": request, "user": user})
    assert "Laufende Beteiligung" in html and "Frühere Beteiligung" in html
    assert "Sehr gut!" in html and "Ines Ebert" in html
    assert 'name="choice"' in html and "Kommentar veröffentlichen" in html
    assert f"/beteiligung/{running.pk}/ziele/{goal.pk}/abstimmen/" in html


def test_panel_for_readers_has_no_forms(make_user):
    goal = make_goal()
    make_consultation([goal])
    user = make_user("ag_schule")
    request = request_for(user)
    panel = goal_panel(request, goal)
    html = render_to_string(panel["template"], {"panel": panel, "request": request, "user": user})
    assert 'name="choice"' not in html and "Kommentar veröffentlichen" not in html
    assert "Ergebnis nach Fraktionen" in html
