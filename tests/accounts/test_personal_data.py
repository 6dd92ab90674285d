"""A person sees and exports the personal data held about them (GDPR Art. 15/20)."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import collect, history_authorship
from participation.models import Vote
from schools_wg import services as wg_services
from schools_wg.models import ActionItem, CalendarFeed, Member, Registration
from strategy.models import DeadlineFeed, FieldOfAction

from ..participation.helpers import (
    make_comment,
    make_consultation,
    make_councillor,
    make_faction,
    make_goal,
)
from ..schools_wg import factories as wg

pytestmark = pytest.mark.django_db


def test_my_data_lists_the_account(client, make_user):
    user = make_user("stadtrat", first_name="Kim", last_name="Muster", email="kim@example.org")
    client.force_login(user)
    html = client.get(reverse("accounts:my_data")).content.decode()
    assert "kim@example.org" in html
    assert "Stadtrat" in html
    assert "Benutzerkonto" in html


def test_export_is_json_of_the_same_data(client, make_user):
    user = make_user("ag_schule", email="ag@example.org", phone="03741 123")
    client.force_login(user)
    response = client.get(reverse("accounts:my_data_export"))
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten.json"'
    payload = json.loads(response.content)
    assert payload["user"] == user.username
    account = payload["sections"][0]["rows"][0]
    assert account["E-Mail"] == "ag@example.org"
    assert account["Telefon"] == "03741 123"


def test_privacy_notice_is_public_and_german(client):
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    assert "Datenschutzhinweise" in response.content.decode()


# --- the providers of the apps, together --------------------------------------------------------


def _section(payload_sections, title):
    return next(s for s in payload_sections if s["title"] == title)


def _fill(user, n):
    """n comments, n votes (one per goal), n session registrations, n action items for `user`."""
    councillor = make_councillor(user, make_faction())
    goals = [make_goal() for _ in range(n)]
    consultation = make_consultation(goals)
    for goal in goals:
        make_comment(consultation, user, goal=goal, text=f"Kommentar zu {goal.code}")
        Vote.objects.create(
            consultation=consultation,
            goal=goal,
            councillor=councillor,
            faction=councillor.memberships.first().faction,
            choice=Vote.Choice.YES,
        )
    member = wg.member(user, Member.Category.FACTION, faction=make_faction())
    for day in range(n):
        session = wg.session(days=day - n // 2)
        Registration.objects.create(
            session=session, member=member, status="confirmed", attended=day % 2 == 0
        )
        ActionItem.objects.create(session=session, title=f"Aufgabe {day}", owner=member)
    CalendarFeed.objects.create(user=user)
    DeadlineFeed.objects.create(user=user)


def _my_data_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    return len(queries)


def test_my_data_costs_the_same_queries_with_1_or_30_of_everything(client, make_user):
    few = make_user("stadtrat", "ag_schule")
    many = make_user("stadtrat", "ag_schule")
    _fill(few, 1)
    _fill(many, 30)
    assert _my_data_queries(client, few) == _my_data_queries(client, many)


def test_export_contains_every_apps_section_with_the_users_own_data(client, make_user):
    me = make_user("stadtrat", "ag_schule", first_name="Ida")
    other = make_user("stadtrat", "ag_schule", first_name="Olaf")
    _fill(me, 2)
    _fill(other, 3)
    client.force_login(me)
    payload = json.loads(client.get(reverse("accounts:my_data_export")).content)
    sections = payload["sections"]
    titles = [s["title"] for s in sections]
    assert titles == [
        "Benutzerkonto",
        "Kalenderadresse der Fristen",
        "Sitz im Stadtrat und Fraktionszugehörigkeiten",
        "Ihre Kommentare in Beteiligungsverfahren",
        "Ihre Stimmen",
        "Benachrichtigungen zu Beteiligungsverfahren",
        "Mitgliedschaften in der AG Schule",
        "Ihre Anmeldungen zu Sitzungen",
        "Persönliches Kalender-Abo",
        "Aufgaben in Ihrer Verantwortung",
        "Ihre Änderungen im Änderungsverlauf",
    ]
    assert len(_section(sections, "Ihre Kommentare in Beteiligungsverfahren")["rows"]) == 2
    assert len(_section(sections, "Ihre Stimmen")["rows"]) == 2
    registrations = _section(sections, "Ihre Anmeldungen zu Sitzungen")["rows"]
    assert [r["Anwesenheit"] for r in registrations] == ["anwesend", "abwesend"]
    assert len(_section(sections, "Aufgaben in Ihrer Verantwortung")["rows"]) == 2
    feed = _section(sections, "Persönliches Kalender-Abo")["rows"][0]
    assert feed["Persönliches Kalender-Abo eingerichtet"] == "ja"
    deadlines = _section(sections, "Kalenderadresse der Fristen")["rows"][0]
    assert deadlines["Kalenderadresse der Fristen eingerichtet"] == "ja"
    text = json.dumps(payload, ensure_ascii=False)
    # The secret feed address is never part of the export, neither is anyone else's data.
    assert CalendarFeed.objects.get(user=me).token not in text
    assert DeadlineFeed.objects.get(user=me).token not in text
    assert "Olaf" not in text
    assert "Kommentar zu" in text
    others_codes = {
        c["Ziel"]
        for c in _section(collect(other), "Ihre Kommentare in Beteiligungsverfahren")["rows"]
    }
    assert not any(code in text for code in others_codes)


def test_working_group_data_of_another_member_is_not_listed(make_user):
    me = make_user("ag_schule")
    other = make_user("ag_schule")
    mine = wg.member(me, Member.Category.PARENTS, organisation="Elternrat Kemmler")
    wg.member(other, Member.Category.TEACHERS, organisation="Lehrerkollegium Reusa")
    session = wg.session()
    wg_services.session_join(session_id=session.pk, member=mine)
    sections = collect(me)
    membership = _section(sections, "Mitgliedschaften in der AG Schule")["rows"]
    assert [m["Organisation"] for m in membership] == ["Elternrat Kemmler"]
    assert membership[0]["Kategorie"] == "Eltern"
    assert _section(sections, "Persönliches Kalender-Abo")["rows"][0] == {
        "Persönliches Kalender-Abo eingerichtet": "nein",
        "Erstellt am": None,
    }
    assert "Lehrerkollegium Reusa" not in str(sections)
    registrations = _section(sections, "Ihre Anmeldungen zu Sitzungen")["rows"]
    assert [r["Status"] for r in registrations] == ["nimmt teil"]


def test_history_authorship_counts_changes_per_kind_of_record(make_user):
    me = make_user("verwaltung")
    other = make_user("verwaltung")
    for n, author in enumerate([me, me, other]):
        field = FieldOfAction(code=f"HF {n}", title="Digitale Verwaltung")
        field._history_user = author
        field.save()
    field.title = "Digitale Verwaltung und Bürgerdienste"
    field._history_user = me
    field.save()
    school = wg.school()
    school.pupils = 300
    school._history_user = me
    school.save()

    rows = _section(collect(me), "Ihre Änderungen im Änderungsverlauf")["rows"]
    assert rows == [
        {"Art des Datensatzes": "Schulen", "Unter Ihrem Namen erfasste Änderungen": 1},
        {"Art des Datensatzes": "Handlungsfelder", "Unter Ihrem Namen erfasste Änderungen": 3},
    ]
    assert _section(collect(make_user("ratsbuero")), "Ihre Änderungen im Änderungsverlauf") == {
        "title": "Ihre Änderungen im Änderungsverlauf",
        "rows": [],
    }


def test_history_authorship_is_one_query(make_user, django_assert_num_queries):
    me = make_user("verwaltung")
    with django_assert_num_queries(1):
        history_authorship(me)


def test_comment_dates_are_local_iso_instants(make_user):
    me = make_user("stadtrat")
    make_councillor(me, make_faction())
    consultation = make_consultation()
    written = timezone.make_aware(timezone.datetime(2026, 12, 15, 18, 0)) - timedelta(days=1)
    make_comment(consultation, me, created_at=written)
    rows = _section(collect(me), "Ihre Kommentare in Beteiligungsverfahren")["rows"]
    assert rows[0]["Geschrieben am"] == "2026-12-14T18:00:00+01:00"


def test_my_data_page_shows_german_dates_and_the_export_iso(client, make_user):
    me = make_user("stadtrat")
    make_councillor(me, make_faction())
    consultation = make_consultation()
    written = timezone.make_aware(timezone.datetime(2026, 12, 14, 18, 5))
    make_comment(consultation, me, created_at=written)
    client.force_login(me)
    html = client.get(reverse("accounts:my_data")).content.decode()
    assert "14.12.2026, 18:05 Uhr" in html
    assert "2026-12-14T18:05" not in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", html)  # no ISO instant anywhere on the page
    payload = client.get(reverse("accounts:my_data_export")).content.decode()
    assert "2026-12-14T18:05:00+01:00" in payload
