"""Calendar files: valid RFC 5545, Europe/Berlin with VTIMEZONE, stable UID, link back; feeds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from schools_wg import services
from schools_wg.models import CalendarFeed, Session

from . import factories as f

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _winter_session():
    start = datetime(2030, 1, 15, 18, 0, tzinfo=BERLIN)
    return Session.objects.create(
        title="Sitzung im Januar",
        starts_at=start,
        ends_at=start.replace(hour=20),
        place="Rathaus, Raum 214",
        capacity=10,
    )


def _parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_session_ics_is_valid_with_berlin_time_zone_and_link_back(role_client, settings):
    settings.SITE_URL = "https://digital.example.org"
    session = _winter_session()
    client = role_client("ratsbuero")
    url = reverse("schools_wg:session_ics", args=[session.pk])
    first = client.get(url)
    text = first.content.decode()
    assert "\r\n" in text and text.startswith("BEGIN:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded lines
    calendar = _parse(first)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (tz,) = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    (event,) = calendar.walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert required in event
    assert "DTSTART;TZID=Europe/Berlin:20300115T180000" in text
    assert event.decoded("DTSTART") == datetime(2030, 1, 15, 18, 0, tzinfo=BERLIN)
    assert str(event["URL"]) == f"https://digital.example.org/ag-schule/sitzungen/{session.pk}/"
    assert str(event["SUMMARY"]) == "Sitzung im Januar"
    assert str(event["LOCATION"]) == "Rathaus, Raum 214"
    # The UID is stable: a second download describes the same event.
    second_event = _parse(client.get(url)).walk("VEVENT")[0]
    assert second_event["UID"] == event["UID"] == f"wg-session-{session.pk}@digital.example.org"


def test_summer_time_is_written_in_local_time():
    start = datetime(2030, 7, 1, 9, 30, tzinfo=BERLIN)
    session = Session.objects.create(
        title="Sommer", starts_at=start, ends_at=start.replace(hour=11), place="Aula", capacity=5
    )
    from schools_wg import ics

    text = ics.calendar_bytes([session], "x").decode()
    assert "DTSTART;TZID=Europe/Berlin:20300701T093000" in text
    assert "TZOFFSETTO:+0200" in text


def test_personal_feed_lists_my_sessions_and_follows_revocation(role_client):
    member_client = role_client("ag_schule")
    member = f.member(member_client.user)
    mine, waiting, other = f.session(days=3), f.session(days=4, capacity=1), f.session(days=5)
    services.session_join(session_id=mine.pk, member=member)
    services.session_join(session_id=waiting.pk, member=f.member())
    services.session_join(session_id=waiting.pk, member=member)

    response = member_client.post(reverse("schools_wg:calendar"), {"action": "regenerate"})
    assert response.status_code == 302
    token = CalendarFeed.objects.get(user=member_client.user).token
    feed_url = reverse("schools_wg:calendar_feed", kwargs={"token": token})
    assert token in member_client.get(reverse("schools_wg:calendar")).content.decode()

    client = Client()  # anonymous
    anonymous = client.get(feed_url)  # the token is the credential
    assert anonymous.status_code == 200
    events = {str(e["UID"]): e for e in _parse(anonymous).walk("VEVENT")}
    assert set(events) == {f"wg-session-{s.pk}@127.0.0.1" for s in (mine, waiting)}
    assert str(events[f"wg-session-{waiting.pk}@127.0.0.1"]["STATUS"]) == "TENTATIVE"
    assert f"wg-session-{other.pk}@" not in anonymous.content.decode()

    # A new address replaces the old one: the old URL is gone.
    member_client.post(reverse("schools_wg:calendar"), {"action": "regenerate"})
    assert client.get(feed_url).status_code == 404
    new_token = CalendarFeed.objects.get(user=member_client.user).token
    new_url = reverse("schools_wg:calendar_feed", kwargs={"token": new_token})
    assert client.get(new_url).status_code == 200

    # Revoked: no address at all.
    member_client.post(reverse("schools_wg:calendar"), {"action": "revoke"})
    assert client.get(new_url).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_feed_of_a_deactivated_account_is_gone(client):
    user = f.user("AG Schule")
    feed = CalendarFeed.objects.create(user=user)
    user.is_active = False
    user.save()
    assert client.get(reverse("schools_wg:calendar_feed", args=[feed.token])).status_code == 404


def test_feed_of_a_former_member_is_gone(client):
    user = f.user("AG Schule")
    today = timezone.localdate()
    member = f.member(user, started_on=today - timedelta(days=100))
    feed = CalendarFeed.objects.create(user=user)
    url = reverse("schools_wg:calendar_feed", args=[feed.token])
    assert client.get(url).status_code == 200
    member.ended_on = today - timedelta(days=1)
    member.save()
    assert client.get(url).status_code == 404


def test_empty_feed_is_still_a_valid_calendar(client):
    user = f.user("AG Schule")
    f.member(user)
    feed = CalendarFeed.objects.create(user=user)
    calendar = _parse(client.get(reverse("schools_wg:calendar_feed", args=[feed.token])))
    assert calendar.walk("VTIMEZONE") and not calendar.walk("VEVENT")
    assert timezone.get_current_timezone_name() == "Europe/Berlin"
