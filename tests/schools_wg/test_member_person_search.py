"""The member form offers every account (councillors included) as an existing person, with a
search box, so a councillor becomes their faction's representative without a second account."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation.models import Councillor, FactionMembership
from schools_wg.models import Member

from . import factories as f

pytestmark = pytest.mark.django_db
REP = Member.Category.FACTION


def _options(html):
    select = re.search(r'<select name="user".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def _councillor(faction, first_name="Rita", last_name="Rat"):
    user = f.user("Stadtrat", first_name=first_name, last_name=last_name)
    councillor = Councillor.objects.create(user=user)
    FactionMembership.objects.create(
        councillor=councillor, faction=faction, valid_from=date(2024, 6, 1)
    )
    return user


def test_existing_councillor_is_offered_with_a_search_box(role_client):
    client = role_client("verwaltung")
    rita = _councillor(f.faction("A"))
    html = client.get(reverse("schools_wg:member_create")).content.decode()
    options = _options(html)
    assert options[str(rita.pk)] == f"Rita Rat ({rita.username}, Stadtrat)"
    assert str(client.user.pk) in options  # the administration's own account too
    assert 'type="search"' in html and 'data-filter-target="id_user"' in html
    assert 'for="id_user-search"' in html  # the search box has a label


def test_councillor_becomes_the_faction_representative_without_a_new_account(role_client):
    client = role_client("verwaltung")
    faction = f.faction("A")
    rita = _councillor(faction)
    users_before = get_user_model().objects.count()
    response = client.post(
        reverse("schools_wg:member_create"),
        {
            "user": rita.pk,
            "category": REP,
            "faction": faction.pk,
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.count() == users_before
    member = Member.objects.get()
    assert (member.user, member.category, member.faction) == (rita, REP, faction)
    assert member.user.role_names == ["Stadtrat"]  # no extra role, same account


def test_current_members_are_not_offered_again_but_former_ones_are(role_client):
    client = role_client("verwaltung")
    today = timezone.localdate()
    current = f.member()
    former = f.member(started_on=today - timedelta(days=400), ended_on=today - timedelta(days=1))
    inactive = f.user("Stadtrat", is_active=False)
    options = _options(client.get(reverse("schools_wg:member_create")).content.decode())
    assert str(current.user.pk) not in options
    assert str(former.user.pk) in options
    assert str(inactive.pk) not in options


def test_choosing_a_person_and_typing_a_new_one_is_refused_in_german(role_client):
    client = role_client("verwaltung")
    rita = _councillor(f.faction("A"))
    response = client.post(
        reverse("schools_wg:member_create"),
        {"user": rita.pk, "first_name": "Neu", "category": "parents", "started_on": "2026-09-01"},
    )
    assert response.status_code == 422
    assert "nicht beides" in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.parametrize("role", ["stadtrat", "ag_schule", "ratsbuero"])
def test_only_the_administration_sees_the_person_list(role_client, role):
    assert role_client(role).get(reverse("schools_wg:member_create")).status_code == 403


def test_person_list_costs_the_same_queries_for_3_or_30_people(role_client):
    client = role_client("verwaltung")
    faction = f.faction("A")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("schools_wg:member_create")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        _councillor(faction, last_name=f"Rat{n}")
    few = count()
    for n in range(27):
        _councillor(faction, last_name=f"Mehr{n}")
    assert count() == few
