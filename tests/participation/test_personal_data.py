"""Council participation's part of "my data": seat, comments, votes, notifications (own only)."""

import datetime

import pytest
from django.utils import timezone

from participation import services
from participation.models import Notification, NotificationPreference, Vote
from participation.personal_data import personal_data

from .helpers import make_comment, make_consultation, make_councillor, make_faction, make_goal

pytestmark = pytest.mark.django_db


def _section(sections, title):
    return next(section for section in sections if section["title"] == title)


@pytest.fixture
def two_councillors(make_user):
    green = make_faction("GRÜNE", name="Fraktion Bündnis 90/Die Grünen")
    red = make_faction("SPD", name="SPD-Fraktion")
    me = make_user("stadtrat", first_name="Ida", last_name="Eigen")
    other = make_user("stadtrat", first_name="Olaf", last_name="Fremd")
    mine = make_councillor(me, green, valid_from=datetime.date(2024, 8, 1))
    services.councillor_change_faction(
        councillor=mine, faction=red, valid_from=datetime.date(2025, 3, 1)
    )
    make_councillor(other, red)
    goal = make_goal(code="Z 4.2")
    consultation = make_consultation([goal], title="Digitale Schule")
    make_comment(consultation, me, text="Meine Meinung zum WLAN.")
    make_comment(consultation, other, text="Fremder Beitrag.")
    withdrawn = make_comment(consultation, me, text="Zurückgezogen.")
    services.comment_withdraw(comment=withdrawn)
    services.vote_cast(
        consultation=consultation, goal=goal, councillor=me.councillor, choice=Vote.Choice.YES
    )
    services.vote_cast(
        consultation=consultation, goal=goal, councillor=other.councillor, choice=Vote.Choice.NO
    )
    NotificationPreference.objects.create(user=me, frequency="immediate")
    Notification.objects.create(
        user=me,
        key="opened:1",
        kind="opened",
        consultation=consultation,
        status="sent",
        sent_at=timezone.now(),
    )
    Notification.objects.create(user=me, key="closing:1", kind="closing", consultation=consultation)
    Notification.objects.create(
        user=other, key="opened:1", kind="opened", consultation=consultation
    )
    return me, other


def test_lists_the_councillors_own_participation_in_german(two_councillors):
    me, _other = two_councillors
    sections = personal_data(me)

    seat = _section(sections, "Sitz im Stadtrat und Fraktionszugehörigkeiten")["rows"]
    assert [row["Fraktion"] for row in seat] == [
        "Fraktion Bündnis 90/Die Grünen",
        "SPD-Fraktion",
    ]
    assert seat[0]["Mitglied ab"] == "2024-08-01"
    assert seat[0]["Mitglied bis"] == "2025-02-28"
    assert seat[1]["Mitglied bis"] is None

    comments = _section(sections, "Ihre Kommentare in Beteiligungsverfahren")["rows"]
    assert [(c["Kommentar"], c["Status"]) for c in comments] == [
        ("Meine Meinung zum WLAN.", "sichtbar"),
        ("Zurückgezogen.", "zurückgezogen"),
    ]
    assert comments[0]["Ziel"] == "Z 4.2"
    assert comments[0]["Beteiligung"] == "Digitale Schule"

    votes = _section(sections, "Ihre Stimmen")["rows"]
    assert len(votes) == 1
    assert votes[0]["Ziel"] == "Z 4.2"
    assert votes[0]["Stimme"] == "Zustimmung"
    assert votes[0]["Fraktion bei der Stimmabgabe"] == "SPD"

    notes = _section(sections, "Benachrichtigungen zu Beteiligungsverfahren")["rows"]
    assert notes[0] == {
        "E-Mail-Benachrichtigungen": "sofort",
        "Noch zu versendende Benachrichtigungen": 1,
        "Versendete Benachrichtigungen": 1,
    }
    assert [n["Status"] for n in notes[1:]] == ["gesendet", "ausstehend"]


def test_never_lists_another_councillors_data(two_councillors):
    me, other = two_councillors
    text = str(personal_data(me))
    assert "Fremder Beitrag." not in text
    assert "Ablehnung" not in text  # the other councillor's vote
    theirs = str(personal_data(other))
    assert "Meine Meinung zum WLAN." not in theirs
    assert "Zustimmung" not in theirs


def test_a_person_without_participation_gets_empty_sections(make_user):
    sections = personal_data(make_user("ag_schule"))
    assert [len(s["rows"]) for s in sections] == [0, 0, 0, 1]
    assert sections[-1]["rows"][0]["E-Mail-Benachrichtigungen"] == "tägliche Zusammenfassung"
