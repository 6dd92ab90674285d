"""Verwaltung anonymises a working-group member: identity gone, figures and history consistent."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schools_wg import services, summary
from schools_wg.models import ActionItem, CalendarFeed, Member, Registration

from . import factories as f

pytestmark = pytest.mark.django_db


def _figures():
    """What the status report and the pages count: members per category, attendance per session."""
    return (
        {category: len(members) for category, members in summary.members_by_category().items()},
        [
            (row["session"].pk, row["attended"], row["registered"])
            for row in summary.sessions_held()
        ],
    )


@pytest.fixture
def parent_member():
    """An AG-Schule-only person with an organisation, a history, a feed and two sessions."""
    person = f.user(
        "AG Schule",
        first_name="Petra",
        last_name="Elternteil",
        email="petra@example.org",
        phone="03741 555",
    )
    member = f.member(person, Member.Category.PARENTS, organisation="Elternrat Kemmlerschule")
    member.organisation = "Elternrat der Kemmlerschule Plauen"
    member.save()
    held = f.session(days=-7, title="Sitzung im Oktober")
    Registration.objects.create(session=held, member=member, status="confirmed", attended=True)
    Registration.objects.create(session=held, member=f.member(), status="confirmed", attended=False)
    upcoming = f.session(days=7)
    services.session_join(session_id=upcoming.pk, member=member)
    ActionItem.objects.create(session=held, title="Elternbrief entwerfen", owner=member)
    CalendarFeed.objects.create(user=person)
    return member


def test_verwaltung_anonymises_a_member_keeping_the_figures(client, make_user, parent_member):
    admin = make_user("verwaltung")
    figures_before = _figures()
    registrations_before = Registration.objects.count()
    client.force_login(admin)

    response = client.post(reverse("schools_wg:member_anonymise", kwargs={"pk": parent_member.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse("schools_wg:index") + "#members"
    member = Member.objects.select_related("user").get(pk=parent_member.pk)
    user = member.user
    # The identity is gone ...
    assert (user.first_name, user.last_name) == ("Ehemaliges Mitglied", f"#{member.pk}")
    assert (user.email, user.phone) == ("", "")
    assert user.username.startswith("anonym-") and "petra" not in user.username.lower()
    assert not user.is_active
    assert not user.has_usable_password()
    assert member.organisation == ""
    assert member.ended_on == timezone.localdate()
    assert not CalendarFeed.objects.filter(user=user).exists()
    # ... also from the recorded history of the membership,
    organisations = set(member.history.values_list("organisation", flat=True))
    assert organisations == {""}
    assert member.history.count() == 3  # created, edited, anonymised: the history stays
    latest = member.history.first()
    assert latest.history_user == admin
    assert latest.history_change_reason == "anonymisiert (Datenschutz)"
    # ... but every figure stays the same (the membership still counts until today's end).
    assert _figures() == figures_before
    # Only the seat in the session still to come is given back.
    assert Registration.objects.count() == registrations_before - 1
    assert not member.registrations.filter(session__starts_at__gt=timezone.now()).exists()
    assert member.registrations.get(session__title="Sitzung im Oktober").attended is True
    assert ActionItem.objects.get(title="Elternbrief entwerfen").owner == member
    # The person cannot log in any more.
    visitor = Client()
    visitor.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "x-sicheres-Passwort"},
    )
    assert "_auth_user_id" not in visitor.session


def test_nothing_identifying_is_left_anywhere_on_the_member_pages(client, make_user, parent_member):
    admin = make_user("verwaltung")
    services.member_anonymise(member=parent_member, actor=admin)
    client.force_login(admin)
    held = Registration.objects.get(member=parent_member, attended=True).session
    for url in (
        reverse("schools_wg:member_edit", kwargs={"pk": parent_member.pk}),
        reverse("schools_wg:session_detail", kwargs={"pk": held.pk}),
    ):
        html = client.get(url).content.decode()
        assert "Ehemaliges Mitglied" in html
        for trace in ("Petra", "Elternteil", "petra@example.org", "03741 555", "Kemmler"):
            assert trace not in html, (url, trace)


def test_earlier_memberships_of_the_person_are_scrubbed_too(make_user):
    person = f.user("AG Schule", first_name="Uwe", last_name="Lehrer")
    today = timezone.localdate()
    earlier = f.member(
        person,
        Member.Category.TEACHERS,
        organisation="Lessing-Gymnasium",
        started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=200),
    )
    current = f.member(person, Member.Category.COMPANY_ASSOCIATION, organisation="IHK Plauen")
    services.member_anonymise(member=current, actor=make_user("verwaltung"))
    earlier.refresh_from_db()
    assert earlier.organisation == ""
    assert earlier.ended_on == today - timedelta(days=200)  # a finished membership keeps its end
    assert not Member.history.filter(organisation__in=["Lessing-Gymnasium", "IHK Plauen"]).exists()


def test_a_councillor_member_keeps_the_account_but_the_membership_ends(make_user):
    councillor = make_user(
        "stadtrat", "ag_schule", first_name="Rita", last_name="Rätin", email="rita@example.org"
    )
    username = councillor.username
    member = f.member(councillor, Member.Category.FACTION, faction=f.faction("X"))
    CalendarFeed.objects.create(user=councillor)

    services.member_anonymise(member=member, actor=make_user("verwaltung"))

    councillor.refresh_from_db()
    member.refresh_from_db()
    assert (councillor.username, councillor.first_name, councillor.email) == (
        username,
        "Rita",
        "rita@example.org",
    )
    assert councillor.is_active and councillor.has_usable_password()
    assert member.ended_on == timezone.localdate()
    assert not CalendarFeed.objects.filter(user=councillor).exists()
    assert member.history.first().history_change_reason == "anonymisiert (Datenschutz)"


@pytest.mark.parametrize("role", ["stadtrat", "ag_schule", "ratsbuero"])
def test_only_verwaltung_may_anonymise(client, make_user, parent_member, role):
    client.force_login(make_user(role))
    url = reverse("schools_wg:member_anonymise", kwargs={"pk": parent_member.pk})
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    parent_member.user.refresh_from_db()
    assert parent_member.user.first_name == "Petra"
    assert Member.objects.get(pk=parent_member.pk).organisation.startswith("Elternrat")


def test_get_shows_the_confirmation_and_changes_nothing(client, make_user, parent_member):
    client.force_login(make_user("verwaltung"))
    url = reverse("schools_wg:member_anonymise", kwargs={"pk": parent_member.pk})
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Petra Elternteil" in html
    assert "kann nicht rückgängig gemacht werden" in html
    assert f"Ehemaliges Mitglied #{parent_member.pk}" in html
    assert 'method="post"' in html
    parent_member.user.refresh_from_db()
    assert parent_member.user.is_active and parent_member.user.first_name == "Petra"
    assert CalendarFeed.objects.filter(user=parent_member.user).exists()


def test_the_edit_page_links_to_anonymisation_with_a_warning(client, make_user, parent_member):
    client.force_login(make_user("verwaltung"))
    html = client.get(
        reverse("schools_wg:member_edit", kwargs={"pk": parent_member.pk})
    ).content.decode()
    assert reverse("schools_wg:member_anonymise", kwargs={"pk": parent_member.pk}) in html
    assert "nicht rückgängig gemacht werden" in html


def test_an_anonymised_members_seat_goes_to_the_first_person_waiting(make_user, parent_member):
    upcoming = parent_member.registrations.get(session__starts_at__gt=timezone.now()).session
    upcoming.capacity = 1
    upcoming.save()
    waiting = f.member()
    assert (
        services.session_join(session_id=upcoming.pk, member=waiting).status
        == Registration.Status.WAITING
    )

    services.member_anonymise(member=parent_member, actor=make_user("verwaltung"))

    assert upcoming.registrations.get().member == waiting
    assert upcoming.registrations.get().status == Registration.Status.CONFIRMED


def test_ending_a_membership_gives_back_seats_after_the_last_day(client, make_user):
    member = f.member(f.user("AG Schule"))
    before_end, after_end = f.session(days=3), f.session(days=20)
    for session in (before_end, after_end):
        services.session_join(session_id=session.pk, member=member)
    client.force_login(make_user("verwaltung"))
    edit_url = reverse("schools_wg:member_edit", kwargs={"pk": member.pk})
    form = client.get(edit_url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"ended_on": (timezone.localdate() + timedelta(days=10)).isoformat()}
    data |= {"first_name": member.user.first_name, "last_name": member.user.last_name}
    data |= {"school": member.school_id or "", "faction": member.faction_id or ""}
    data |= {"deputy_of": member.deputy_of_id or "", "version": member.version}

    response = client.post(edit_url, data)

    assert response.status_code == 302, response.context["form"].errors
    assert set(member.registrations.values_list("session_id", flat=True)) == {before_end.pk}
