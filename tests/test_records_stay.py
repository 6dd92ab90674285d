"""Issue 11, defects 1 and 2 on the demo data: removing strategy items keeps the council's
records and results, and never makes a programme pay for more."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance import selectors as finance
from finance.models import CostItem, FundingSource
from participation.models import Comment, Consultation, Vote
from participation.results import goal_results
from strategy.models import Goal, Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", stdout=io.StringIO())


def _results(consultation, goal):
    result = goal_results(consultation, [goal.pk])[goal.pk]
    return result.totals, [(f.faction.pk, f.tally) for f in result.factions]


def test_deleting_goal_z_1_1_keeps_its_votes_comments_and_the_closed_result(demo, role_client):
    client = role_client("verwaltung")
    goal = Goal.objects.get(code="Z 1.1")
    closed = Consultation.objects.closed().get(goals=goal)
    before = _results(closed, goal)
    assert Vote.objects.filter(goal=goal).count() == 36
    assert Comment.objects.filter(goal=goal).count() == 4
    url = reverse("strategy:goal_delete", args=[goal.pk])

    confirm = client.get(url).content.decode()
    assert "36 Stimmen" in confirm and "4 Kommentare" in confirm
    assert "1 Beteiligungsverfahren" in confirm
    assert "kann nicht gelöscht werden" in confirm and "Archivieren" in confirm
    measures = Measure.objects.filter(goal=goal).count()
    assert f"{measures} Maßnahmen" in confirm
    items = CostItem.objects.filter(measure__goal=goal)
    if items.exists():  # the demo's E-Akte measures carry costs
        assert f"{items.count()} Kostenposition" in confirm

    response = client.post(url, {"reason": "Beschluss des Stadtrats vom 1. Dezember"})
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()

    goal.refresh_from_db()
    assert goal.is_archived and goal.archived_by == client.user
    assert goal.archive_reason == "Beschluss des Stadtrats vom 1. Dezember"
    assert Vote.objects.filter(goal=goal).count() == 36
    assert Comment.objects.filter(goal=goal).count() == 4
    assert _results(closed, goal) == before
    # The closed consultation still shows the goal and its result on /beteiligung/.
    page = client.get(reverse("participation:consultation", args=[closed.pk])).content.decode()
    assert goal.title in page
    assert goal.title in client.get(reverse("participation:index")).content.decode()
    # The goal's own page says it is archived; the history records who did it and why.
    detail = client.get(goal.get_absolute_url()).content.decode()
    assert "archiviert" in detail and "Beschluss des Stadtrats" in detail
    latest = goal.history.first()
    assert latest.history_user == client.user and latest.archived_at is not None
    # Out of the working overview, back with the filter.
    assert goal.title not in client.get(reverse("strategy:index")).content.decode()
    shown = client.get(reverse("strategy:index"), {"archived": "on"}).content.decode()
    assert goal.title in shown and "archived-marker" in shown


def test_deleting_the_measure_of_a_programmes_only_item_does_not_raise_its_grants(
    demo, role_client
):
    client = role_client("verwaltung")
    digitalpakt = FundingSource.objects.get(key="digitalpakt")
    only = digitalpakt.items.order_by("key").first()
    # The situation: the programme limited to one cost item.
    digitalpakt.items.set([only])
    grants = finance.plan_for().grant_total("digitalpakt")
    assert grants > 0
    measure = only.measure

    # The measure has costs: "deleting" it archives it, the costs stay planned.
    confirm = client.get(reverse("strategy:measure_delete", args=[measure.pk])).content.decode()
    assert "Kostenposition" in confirm and "€" in confirm
    client.post(reverse("strategy:measure_delete", args=[measure.pk]))
    measure.refresh_from_db()
    assert measure.is_archived
    assert CostItem.objects.filter(pk=only.pk).exists()
    assert finance.plan_for().grant_total("digitalpakt") == grants

    # Deleting the cost item itself: the programme then funds nothing, never everything.
    confirm = client.get(reverse("finance:item_delete", args=[only.pk])).content.decode()
    assert "DigitalPakt" in confirm and "fördert dann nichts" in confirm
    assert client.post(reverse("finance:item_delete", args=[only.pk])).status_code == 302
    digitalpakt.refresh_from_db()
    assert digitalpakt.item_scope == FundingSource.Scope.SELECTED
    assert list(digitalpakt.items.all()) == []
    assert finance.plan_for().grant_total("digitalpakt") == 0
    plan = client.get(reverse("finance:index")).content.decode()
    assert "fördert nichts" in plan and digitalpakt.title in plan
    # The programme's history records the change, who caused it and why.
    latest = digitalpakt.history.first()
    assert latest.history_user == client.user
    assert only.title in latest.history_change_reason
    assert list(latest.items.all()) == []
