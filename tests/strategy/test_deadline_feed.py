"""The deadline calendar for calendar programs: a secret address per person, renewable, revocable,
and dead once its owner may no longer read the strategy."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from strategy.models import DeadlineFeed

from . import factories as f

pytestmark = pytest.mark.django_db
SETTINGS = reverse("strategy:deadline_feed_settings")


def _feed_url(user):
    return reverse(
        "strategy:deadline_feed", kwargs={"token": DeadlineFeed.objects.get(user=user).token}
    )


def test_a_councillor_subscribes_and_a_calendar_program_reads_without_logging_in(role_client):
    due = f.milestone(
        title="WLAN in allen Grundschulen", due_date=timezone.localdate() + timedelta(days=20)
    )
    client = role_client("stadtrat")
    assert "keine Kalenderadresse" in client.get(SETTINGS).content.decode()

    response = client.post(SETTINGS, {"action": "regenerate"})

    assert response.status_code == 302
    page = client.get(SETTINGS).content.decode()
    url = _feed_url(client.user)
    assert f"http://testserver{url}" in page
    feed = Client().get(url)  # a calendar program: no session
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Content-Disposition"].startswith("inline")
    assert feed["Cache-Control"] == "private, no-store"  # the address is a secret
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert any(due.title in summary for summary in summaries)


def test_renewing_kills_the_old_address_and_revoking_kills_it_altogether(role_client):
    client = role_client("verwaltung")
    client.post(SETTINGS, {"action": "regenerate"})
    first = _feed_url(client.user)

    response = client.post(SETTINGS, {"action": "regenerate"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "vorherige funktioniert nicht mehr" in response.content.decode()
    second = _feed_url(client.user)
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    client.post(SETTINGS, {"action": "revoke"})
    assert Client().get(second).status_code == 404
    assert not DeadlineFeed.objects.exists()


def test_the_address_dies_with_the_role_or_the_account(role_client):
    client = role_client("ag_schule")
    client.post(SETTINGS, {"action": "regenerate"})
    url = _feed_url(client.user)
    client.user.groups.clear()
    assert Client().get(url).status_code == 404

    other = role_client("ratsbuero")
    other.post(SETTINGS, {"action": "regenerate"})
    url = _feed_url(other.user)
    other.user.is_active = False
    other.user.save()
    assert Client().get(url).status_code == 404


def test_anonymous_visitors_and_people_without_a_role_cannot_subscribe(client, make_user):
    assert client.post(SETTINGS, {"action": "regenerate"}).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.post(SETTINGS, {"action": "regenerate"}).status_code == 403
    assert not DeadlineFeed.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 300, "../../etc/passwd", "' OR 1=1 --"])
def test_guessed_or_hostile_tokens_find_nothing(client, token):
    DeadlineFeed.objects.create(user=f_user())
    response = client.get(f"/strategie/fristen/abo/{token}.ics")
    assert response.status_code == 404


def f_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username=f"person-{f._next()}")
