"""Archiving and restoring fields, goals and measures: who may, what it hides, what it keeps."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from core.dependents import dependents
from finance.forms import CostItemForm
from participation.forms import ConsultationForm
from schools_wg.forms import AgendaItemForm
from strategy import dashboard, services
from strategy.models import FieldOfAction, Goal, Measure, Milestone
from strategy.querysets import overdue_deadlines, upcoming_deadlines

from ..finance import factories as finance
from ..participation.helpers import make_closed_consultation, make_councillor, make_faction
from . import factories as f

pytestmark = pytest.mark.django_db

LEVELS = {"field": FieldOfAction, "goal": Goal, "measure": Measure}
OTHER_ROLES = ("stadtrat", "ag_schule", "ratsbuero")


def text(response):
    """The page as text, without tags."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def _tree_with_costs():
    """A field → goal → measure whose measure has a cost item (so each level is archived)."""
    measure = f.measure(planned_end=timezone.localdate() - timedelta(days=3))
    finance.cost_item(measure, amount="12345")
    return {"field": measure.goal.field, "goal": measure.goal, "measure": measure}


@pytest.mark.parametrize("level", LEVELS)
def test_verwaltung_archives_and_restores_at_each_level(role_client, level):
    client = role_client("verwaltung")
    obj = _tree_with_costs()[level]
    confirm = text(client.get(reverse(f"strategy:{level}_delete", args=[obj.pk])))
    assert "1 Kostenposition, 12.345\xa0€" in confirm
    assert "Archivieren" in confirm
    response = client.post(
        reverse(f"strategy:{level}_delete", args=[obj.pk]), {"reason": "Doppelt"}
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.is_archived and obj.archived_by == client.user and obj.archive_reason == "Doppelt"
    page = client.get(obj.get_absolute_url()).content.decode()
    assert "archiviert" in page and "Wiederherstellen" in page

    response = client.post(reverse(f"strategy:{level}_restore", args=[obj.pk]))
    assert response.status_code == 302 and response["Location"] == obj.get_absolute_url()
    obj.refresh_from_db()
    assert not obj.is_archived and obj.archived_by is None and obj.archive_reason == ""
    # The history has both steps, with the person and the reason.
    archived, restored = obj.history.order_by("history_id")[1:3]
    assert archived.archived_at is not None and archived.history_user == client.user
    assert archived.history_change_reason == "Archiviert: Doppelt"
    assert restored.archived_at is None
    assert restored.history_change_reason == "Aus dem Archiv wiederhergestellt"


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("level", LEVELS)
def test_other_roles_may_neither_archive_nor_restore(role_client, role, level):
    client = role_client(role)
    obj = _tree_with_costs()[level]
    assert client.post(reverse(f"strategy:{level}_delete", args=[obj.pk])).status_code == 403
    services.item_archive(item=obj)
    assert client.post(reverse(f"strategy:{level}_restore", args=[obj.pk])).status_code == 403
    obj.refresh_from_db()
    assert obj.is_archived
    page = client.get(obj.get_absolute_url()).content.decode()
    assert "archiviert" in page and "Wiederherstellen" not in page


@pytest.mark.parametrize("level", LEVELS)
def test_anonymous_is_sent_to_the_login(client, level):
    obj = _tree_with_costs()[level]
    services.item_archive(item=obj)
    for name in (f"strategy:{level}_delete", f"strategy:{level}_restore"):
        response = client.post(reverse(name, args=[obj.pk]))
        login = resolve_url(settings.LOGIN_URL)
        assert response.status_code == 302 and response["Location"].startswith(login)
    obj.refresh_from_db()
    assert obj.is_archived


def test_items_nothing_depends_on_are_still_deleted(role_client):
    client = role_client("verwaltung")
    measure = f.measure()
    f.milestone(measure)
    confirm = client.get(reverse("strategy:measure_delete", args=[measure.pk])).content.decode()
    assert "wirklich löschen" in confirm and "1 Meilenstein" in confirm
    client.post(reverse("strategy:measure_delete", args=[measure.pk]))
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Milestone.objects.filter(measure_id=measure.pk).exists()


def test_a_field_with_council_records_below_is_archived_with_counts(role_client, make_user):
    client = role_client("verwaltung")
    goal = f.goal()
    consultation = make_closed_consultation([goal])
    faction = make_faction()
    for _ in range(3):
        councillor = make_councillor(make_user("stadtrat"), faction)
        consultation.votes.create(goal=goal, councillor=councillor, faction=faction, choice="yes")
    texts = [d.text for d in dependents(goal.field)]
    assert "3 Stimmen" in texts and "1 Beteiligungsverfahren" in texts and "1 Ziel" in texts
    assert services.item_remove(item=goal.field, actor=client.user) == "archived"
    assert Goal.objects.filter(pk=goal.pk).exists() and consultation.votes.count() == 3
    # The goal is archived through its field.
    assert not Goal.objects.active().filter(pk=goal.pk).exists()
    assert Goal.objects.archived().filter(pk=goal.pk).exists()


def test_working_group_links_keep_a_measure(role_client):
    from schools_wg.models import AgendaItem, Session

    now = timezone.now()
    session = Session.objects.create(title="AG", starts_at=now, ends_at=now + timedelta(hours=1))
    measure = f.measure()
    AgendaItem.objects.create(session=session, title="Bericht", measure=measure)
    found = dependents(measure)
    assert any(d.permanent and "Tagesordnungspunkt" in d.text for d in found)
    assert services.item_remove(item=measure) == "archived"


def test_archived_items_leave_the_working_views(role_client):
    client = role_client("verwaltung")
    tree = _tree_with_costs()
    measure = tree["measure"]
    f.milestone(measure, due_date=timezone.localdate() - timedelta(days=1))
    f.milestone(measure, due_date=timezone.localdate() + timedelta(days=5))
    kept = f.measure(tree["goal"], title="Bleibt sichtbar")
    assert overdue_deadlines() and upcoming_deadlines(30)
    services.item_archive(item=measure, actor=client.user)

    assert overdue_deadlines() == [] and upcoming_deadlines(30) == []
    assert dashboard.figures()["lifecycle_counts"][0][2] == 1  # only the kept one is planned
    index = client.get(reverse("strategy:index")).content.decode()
    assert measure.title not in index
    goal_page = client.get(tree["goal"].get_absolute_url()).content.decode()
    assert kept.title in goal_page and measure.title not in goal_page
    assert measure.title not in client.get(reverse("strategy:timeline")).content.decode()
    assert measure.title not in client.get(reverse("strategy:deadlines")).content.decode()
    assert measure not in CostItemForm().fields["measure"].queryset
    assert measure in CostItemForm(instance=measure.cost_items.get()).fields["measure"].queryset
    assert measure not in AgendaItemForm().fields["measure"].queryset
    # With the filter, measures come back marked.
    rows = client.get(
        reverse("strategy:goal_measures", args=[tree["goal"].pk]) + "?archived=on",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert measure.title in rows and "archiviert" in rows
    # An archived goal is not offered for a new consultation.
    services.item_archive(item=tree["goal"], actor=client.user)
    assert tree["goal"] not in ConsultationForm().fields["goals"].queryset


def test_the_confirmation_needs_the_same_queries_for_more_dependents(role_client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = role_client("verwaltung")
    goal = f.goal()
    measure = f.measure(goal)
    consultation = make_closed_consultation([goal])
    faction = make_faction(seats=40)

    def add(n):
        for _ in range(n):
            councillor = make_councillor(make_user("stadtrat"), faction)
            consultation.votes.create(
                goal=goal, councillor=councillor, faction=faction, choice="no"
            )
            finance.cost_item(measure)
            f.milestone(measure)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("strategy:goal_delete", args=[goal.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries), text(response)

    add(1)
    few, _page = queries()
    add(20)
    many, page = queries()
    assert many == few
    assert "21 Stimmen" in page and "21 Kostenpositionen" in page and "21 Meilensteine" in page
