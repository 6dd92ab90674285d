"""Joining sessions: seats, waiting list with automatic move-up, the race for the last seat."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from schools_wg import services
from schools_wg.models import ActionItem, Member, Registration
from strategy.models import Milestone

from ..services import require_postgres
from . import factories as f

WAITING, CONFIRMED = Registration.Status.WAITING, Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_join_takes_a_seat_then_the_waiting_list_then_moves_up():
    session = f.session(capacity=2)
    a, b, c, d = (f.member() for _ in range(4))
    assert services.session_join(session_id=session.pk, member=a).status == CONFIRMED
    assert services.session_join(session_id=session.pk, member=b).status == CONFIRMED
    assert services.session_join(session_id=session.pk, member=c).status == WAITING
    assert services.session_join(session_id=session.pk, member=d).status == WAITING
    assert services.session_join(session_id=session.pk, member=c).status == WAITING  # idempotent

    result = services.session_leave(session_id=session.pk, member=a)
    assert [r.member for r in result.promoted] == [c]  # first come, first served
    statuses = dict(session.registrations.values_list("member_id", "status"))
    assert statuses == {b.pk: CONFIRMED, c.pk: CONFIRMED, d.pk: WAITING}

    # Leaving the waiting list moves nobody.
    assert services.session_leave(session_id=session.pk, member=d).promoted == []
    assert session.registrations.count() == 2


@pytest.mark.django_db
def test_more_seats_move_people_up(role_client):
    session = f.session(capacity=1)
    a, b = f.member(), f.member()
    services.session_join(session_id=session.pk, member=a)
    services.session_join(session_id=session.pk, member=b)
    client = role_client("verwaltung")
    data = {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "capacity": "2",
        "edited_version": session.version,
    }
    response = client.post(reverse("schools_wg:session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert Registration.objects.get(member=b).status == CONFIRMED


@pytest.mark.django_db
def test_member_joins_with_htmx_and_sees_themselves(role_client):
    client = role_client("ag_schule", first_name="Anna", last_name="Muster")
    f.member(client.user)
    session = f.session(capacity=1)
    url = reverse("schools_wg:session_rsvp", args=[session.pk])
    response = client.post(url, {"action": "join"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="participants"')
    assert "Anna Muster (Sie)" in html
    assert "Sie haben Ihre Teilnahme zugesagt." in html
    assert "Teilnahme absagen" in html


@pytest.mark.django_db
def test_full_session_puts_a_member_on_the_waiting_list_without_javascript(role_client):
    session = f.session(capacity=1)
    services.session_join(session_id=session.pk, member=f.member())
    client = role_client("stadtrat")
    f.member(client.user, Member.Category.FACTION, faction=f.faction("A"))
    response = client.post(
        reverse("schools_wg:session_rsvp", args=[session.pk]), {"action": "join"}, follow=True
    )
    assert "Die Sitzung ist voll: Sie stehen auf der Warteliste." in response.content.decode()
    assert Registration.objects.get(member__user=client.user).status == WAITING


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["verwaltung", "ratsbuero", "ag_schule", "stadtrat"])
def test_only_members_with_a_joining_role_may_join(role_client, role):
    client = role_client(role)
    session = f.session()
    url = reverse("schools_wg:session_rsvp", args=[session.pk])
    # Not a member: refused for every role.
    assert client.post(url, {"action": "join"}).status_code == 403
    f.member(client.user, Member.Category.ADMINISTRATION)
    expected = 302 if role in {"ag_schule", "stadtrat"} else 403
    assert client.post(url, {"action": "join"}).status_code == expected


@pytest.mark.django_db
def test_former_member_cannot_join(role_client):
    client = role_client("ag_schule")
    today = timezone.localdate()
    f.member(client.user, started_on=today - timedelta(days=90), ended_on=today - timedelta(days=1))
    session = f.session()
    response = client.post(
        reverse("schools_wg:session_rsvp", args=[session.pk]), {"action": "join"}
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_verwaltung_records_attendance_after_the_session(role_client):
    session = f.session(days=-1)
    came, missed, walk_in = f.member(), f.member(), f.member()
    for m in (came, missed):
        Registration.objects.create(session=session, member=m, status=CONFIRMED)
    client = role_client("verwaltung")
    url = reverse("schools_wg:session_attendance", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [came.pk, walk_in.pk]})
    assert response.status_code == 302
    attended = dict(session.registrations.values_list("member_id", "attended"))
    assert attended == {came.pk: True, missed.pk: False, walk_in.pk: True}
    html = client.get(session.get_absolute_url()).content.decode()
    assert "✓ anwesend" in html and "✗ abwesend" in html


@pytest.mark.django_db
def test_action_item_becomes_a_strategy_milestone(role_client):
    client = role_client("verwaltung")
    session = f.session()
    item = ActionItem.objects.create(
        session=session, title="WLAN-Ausschreibung", due_date=timezone.localdate()
    )
    measure = f.strategy_measure()
    url = reverse("schools_wg:action_milestone", args=[item.pk])
    response = client.post(url, {"measure": measure.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    milestone = Milestone.objects.get()
    assert (milestone.measure, milestone.title, milestone.created_by) == (
        measure,
        "WLAN-Ausschreibung",
        client.user,
    )
    item.refresh_from_db()
    assert item.milestone == milestone
    with pytest.raises(ValidationError):
        services.action_item_link_milestone(item=item, measure=measure, actor=client.user)


@pytest.mark.django_db
def test_agenda_items_link_to_strategy_and_are_edited_in_place(role_client):
    client = role_client("verwaltung")
    session = f.session()
    measure = f.strategy_measure()
    response = client.post(
        reverse("schools_wg:agenda_add", args=[session.pk]),
        {"title": "Stand WLAN", "measure": measure.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="agenda"')
    assert "Stand WLAN" in html and measure.code in html
    # Without a title: the German error beside the field, in the same section.
    response = client.post(
        reverse("schools_wg:agenda_add", args=[session.pk]),
        {"notes": "x"},
        headers={"HX-Request": "true"},
    )
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


@pytest.mark.django_db
def test_session_form_keeps_input_and_explains_errors(role_client):
    client = role_client("verwaltung")
    response = client.post(
        reverse("schools_wg:session_create"),
        {
            "title": "Sitzung",
            "starts_at": "2030-05-04T18:00",
            "ends_at": "2030-05-04T17:00",
            "capacity": "10",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Die Sitzung muss nach ihrem Beginn enden." in html
    assert "Geben Sie einen Ort oder einen Online-Link ein." in html
    assert 'value="Sitzung"' in html


@pytest.mark.django_db
def test_session_page_shows_times_with_uhr(role_client):
    session = f.session()
    html = role_client("ratsbuero").get(session.get_absolute_url()).content.decode()
    start = timezone.localtime(session.starts_at)
    assert f"{start:%d.%m.%Y}, {start:%H:%M} Uhr" in html


@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_the_last_seat_only_one_gets_it():
    require_postgres()
    session = f.session(capacity=1)
    racers = [f.member(), f.member()]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def race(member):
        try:
            barrier.wait(timeout=10)
            results.append(services.session_join(session_id=session.pk, member=member).status)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(m,)) for m in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(results) == [CONFIRMED, WAITING]
    assert session.registrations.filter(status=CONFIRMED).count() == 1
