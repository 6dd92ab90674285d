"""Verwaltung maintains factions, councillors and consultations; the dashboards."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.dashboard import panel
from participation.models import Consultation, Councillor, Faction, Notification
from participation.services import vote_cast

from .helpers import make_consultation, make_councillor, make_faction, make_goal

pytestmark = pytest.mark.django_db


def test_create_consultation_keeps_input_on_error_and_saves(client, make_user):
    verwaltung = make_user("verwaltung")
    client.force_login(verwaltung)
    goals = [make_goal(), make_goal()]
    data = {
        "title": "Beteiligung Entwurf",
        "introduction": "Bitte um Stellungnahme.",
        "goals": [g.pk for g in goals],
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-11-30T18:00",
        "named_results": "on",
    }
    url = reverse("participation:consultation_create")
    html = client.post(url, data).content.decode()
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert 'value="Beteiligung Entwurf"' in html
    assert not Consultation.objects.exists()

    data["closes_at"] = "2026-12-15T18:00"
    response = client.post(url, data)
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == consultation.get_absolute_url()
    assert consultation.created_by == verwaltung and consultation.named_results
    assert (
        timezone.localtime(consultation.closes_at).strftime("%d.%m.%Y %H:%M") == "15.12.2026 18:00"
    )
    assert set(consultation.goals.all()) == set(goals)


def test_saving_an_open_consultation_announces_it(
    client, make_user, django_capture_on_commit_callbacks
):
    rat = make_user("stadtrat", email="rat@example.org")
    make_councillor(rat)
    client.force_login(make_user("verwaltung"))
    now = timezone.localtime()
    data = {
        "title": "Sofort",
        "goals": [make_goal().pk],
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:consultation_create"), data)
    assert Notification.objects.filter(user=rat, kind="opened").count() == 1


def test_close_now_ends_voting(client, make_user, councillor_user):
    consultation = make_consultation()
    client.force_login(make_user("verwaltung"))
    client.post(reverse("participation:consultation_close", kwargs={"pk": consultation.pk}))
    consultation.refresh_from_db()
    assert consultation.closes_at <= timezone.now()
    rat = councillor_user()
    client.force_login(rat)
    kwargs = {"pk": consultation.pk, "goal_pk": consultation.goals.first().pk}
    assert (
        client.post(reverse("participation:vote", kwargs=kwargs), {"choice": "yes"}).status_code
        == 403
    )


def test_open_now_starts_a_planned_consultation(client, make_user):
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=9)
    )
    client.force_login(make_user("verwaltung"))
    client.post(reverse("participation:consultation_open", kwargs={"pk": consultation.pk}))
    consultation.refresh_from_db()
    assert consultation.is_open


def test_add_councillor_and_change_faction_through_the_pages(client, make_user):
    client.force_login(make_user("verwaltung"))
    person = make_user("stadtrat", first_name="Petra", last_name="Pfeifer")
    a, b = make_faction("A"), make_faction("B")
    client.post(
        reverse("participation:councillor_create"),
        {"user": person.pk, "faction": a.pk, "valid_from": "2024-08-01"},
    )
    councillor = Councillor.objects.get(user=person)
    assert councillor.faction_on().short_name == "A"
    url = reverse("participation:councillor_faction", kwargs={"pk": councillor.pk})
    html = client.post(url, {"faction": b.pk, "valid_from": "2024-08-01"}).content.decode()
    assert "Der Wechsel muss nach dem Beginn der bisherigen Zugehörigkeit liegen." in html
    client.post(url, {"faction": b.pk, "valid_from": "2025-03-01"})
    assert councillor.faction_on().short_name == "B"
    assert councillor.faction_on(datetime.date(2025, 2, 28)).short_name == "A"
    page = client.get(reverse("participation:factions")).content.decode()
    assert "Petra Pfeifer" in page


def test_faction_form_saves(client, make_user):
    client.force_login(make_user("verwaltung"))
    client.post(
        reverse("participation:faction_create"),
        {"name": "Fraktion F", "short_name": "F", "seats": "4", "term_start": "2024-08-01"},
    )
    assert Faction.objects.get(short_name="F").seats == 4


def test_dashboards_show_deadlines_and_open_goals(client, rf, councillor_user):
    rat = councillor_user()
    soon = make_consultation(
        title="Bald zu Ende", closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    later = make_consultation(
        [make_goal(), make_goal()],
        title="Später",
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    vote_cast(consultation=later, goal=later.goals.first(), councillor=rat.councillor, choice="yes")
    client.force_login(rat)
    html = client.get(reverse("participation:index")).content.decode()
    assert html.index("Bald zu Ende") < html.index("Später")
    assert "Meine Stimmen" in html and "Ziele, zu denen Sie noch nicht abgestimmt haben" in html
    request = rf.get("/")
    request.user = rat
    data = panel(request)
    assert [c.title for c in data["open_consultations"]] == ["Bald zu Ende", "Später"]
    assert data["to_vote"] == 2  # one goal of "soon", one of "later"
    assert soon.is_open


def test_dashboard_lists_my_comments_and_closed_results(client, councillor_user):
    from participation.models import Vote

    from .helpers import make_closed_consultation, make_comment

    rat = councillor_user()
    other = councillor_user()
    running = make_consultation(title="Laufend")
    make_comment(running, rat, "Mein Beitrag zur Glasfaser.")
    make_comment(running, other, "Fremder Beitrag.")
    goal = make_goal(code="Z 9.1", title="Abgeschlossenes Ziel")
    closed = make_closed_consultation([goal], title="Beendete Beteiligung")
    for who, choice in ((rat, "yes"), (other, "no")):
        councillor = Councillor.objects.get(user=who)
        Vote.objects.create(
            consultation=closed,
            goal=goal,
            councillor=councillor,
            faction=councillor.faction_on(),
            choice=choice,
        )
    client.force_login(rat)
    html = client.get(reverse("participation:index")).content.decode()
    assert "Meine Kommentare" in html
    assert "Mein Beitrag zur Glasfaser." in html
    assert "Fremder Beitrag." not in html
    closed_part = html[html.index("Abgeschlossene Beteiligungen") :]
    assert "Beendete Beteiligung" in closed_part
    # Approval 1, rejection 1, abstention 0 in the result table.
    cells = re.findall(r"<td[^>]*>(\d+)</td>", closed_part[closed_part.index("Z 9.1") :])
    assert cells[:3] == ["1", "1", "0"]
