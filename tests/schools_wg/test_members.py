"""Membership: one active representative per faction, deputies, contact details, gaps."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schools_wg.models import Member

from . import factories as f

pytestmark = pytest.mark.django_db
REP = Member.Category.FACTION


def test_database_refuses_a_second_open_representative_of_a_faction():
    faction = f.faction("A")
    f.member(category=REP, faction=faction)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.member(category=REP, faction=faction)


def test_a_deputy_and_a_former_representative_do_not_count():
    faction = f.faction("A")
    today = timezone.localdate()
    f.member(
        category=REP,
        faction=faction,
        started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=1),
    )
    rep = f.member(category=REP, faction=faction)
    f.member(category=REP, faction=faction, deputy_of=rep)
    assert Member.objects.representatives().active().get(faction=faction) == rep


def test_database_requires_the_faction_exactly_for_representatives():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.member(category=REP)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.member(category=Member.Category.PARENTS, faction=f.faction("B"))


def _post_member(client, **data):
    payload = {"category": "faction", "started_on": timezone.localdate().isoformat()}
    payload.update(data)
    return client.post(reverse("schools_wg:member_create"), payload)


def test_form_names_the_taken_faction_in_german(role_client):
    client = role_client("verwaltung")
    faction = f.faction("A")
    f.member(category=REP, faction=faction)
    councillor = f.user("Stadtrat")
    response = _post_member(client, user=councillor.pk, faction=faction.pk)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Diese Fraktion hat in diesem Zeitraum bereits eine Vertretung." in html
    assert not Member.objects.filter(user=councillor).exists()


def test_form_refuses_an_overlapping_dated_period(role_client):
    client = role_client("verwaltung")
    faction = f.faction("A")
    today = timezone.localdate()
    f.member(category=REP, faction=faction, ended_on=today + timedelta(days=30))
    response = _post_member(
        client,
        first_name="Neue",
        last_name="Vertretung",
        faction=faction.pk,
        started_on=(today + timedelta(days=10)).isoformat(),
    )
    assert response.status_code == 422
    assert "bereits eine Vertretung" in response.content.decode()
    # The next period, starting after the current one ends, is fine.
    response = _post_member(
        client,
        first_name="Neue",
        last_name="Vertretung",
        faction=faction.pk,
        started_on=(today + timedelta(days=31)).isoformat(),
    )
    assert response.status_code == 302
    assert Member.objects.filter(faction=faction).count() == 2


def test_new_person_gets_an_account_with_the_working_group_role(role_client):
    client = role_client("verwaltung")
    response = client.post(
        reverse("schools_wg:member_create"),
        {
            "first_name": "Lena",
            "last_name": "Sommer",
            "category": "pupils",
            "started_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(user__last_name="Sommer")
    assert member.user.role_names == ["AG Schule"]
    assert not member.user.has_usable_password()
    assert member.user.email == "" and member.user.phone == ""


def test_pupils_keep_no_contact_data(role_client):
    client = role_client("verwaltung")
    response = client.post(
        reverse("schools_wg:member_create"),
        {
            "first_name": "Lena",
            "last_name": "Sommer",
            "email": "lena@example.org",
            "category": "pupils",
            "organisation": "Klasse 9b",
            "started_on": "2026-09-01",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Für Schülerinnen und Schüler werden nur Name, Schule und Kategorie gespeichert." in html
    assert 'value="lena@example.org"' in html  # the input is kept
    assert not Member.objects.exists()


def test_editing_a_membership_ends_it(role_client):
    client = role_client("verwaltung")
    member = f.member()
    response = client.post(
        reverse("schools_wg:member_edit", args=[member.pk]),
        {
            "category": "parents",
            "started_on": member.started_on.isoformat(),
            "ended_on": timezone.localdate().isoformat(),
            "edited_version": member.version,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == timezone.localdate()


@pytest.mark.parametrize(
    ("role", "sees"),
    [("verwaltung", True), ("stadtrat", False), ("ag_schule", False), ("ratsbuero", False)],
)
def test_only_verwaltung_sees_contact_details(role_client, role, sees):
    person = f.user("AG Schule", email="katrin.weber@example.org", phone="03741 000101")
    f.member(person)
    html = role_client(role).get(reverse("schools_wg:index")).content.decode()
    assert person.get_full_name() in html
    assert ("katrin.weber@example.org" in html) is sees
    assert ("03741 000101" in html) is sees


def test_group_page_names_missing_factions_and_categories(role_client):
    represented, missing = f.faction("A", name="Fraktion A"), f.faction("E", name="Fraktion E")
    f.member(category=REP, faction=represented)
    f.member(category=Member.Category.PARENTS)
    html = role_client("ag_schule").get(reverse("schools_wg:index")).content.decode()
    assert "Fraktionen ohne Vertretung:</strong> Fraktion E" in html
    assert missing.name in html
    assert "Kreisschülerrat" in html.split("Noch fehlende Kategorien des Antrags:")[1][:400]
    assert "Eltern" not in html.split("Noch fehlende Kategorien des Antrags:")[1].split("</p>")[0]
