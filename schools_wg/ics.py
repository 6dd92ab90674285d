"""Sessions as iCalendar (RFC 5545): one session, or a member's personal feed.

Times are written with TZID=Europe/Berlin (the project's TIME_ZONE) and the matching VTIMEZONE;
each event's UID is stable (derived from the session's id and the site's host), its SEQUENCE is the
session's version, and its URL leads back to the session page.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Event, Timezone

from core.calendars import ics_response, new_calendar, site_host, site_url, to_ical
from core.input_limits import EARLIEST_DATE, LATEST_DATE

__all__ = ["calendar_bytes", "ics_response", "session_uid", "session_url"]

PRODID = "-//Plauen Digital//AG Schule//DE"


def session_uid(session) -> str:
    return f"wg-session-{session.pk}@{site_host()}"


def session_url(session) -> str:
    return site_url(session.get_absolute_url())


def _event(session, tz, status="CONFIRMED"):
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("summary", session.title)
    event.add("sequence", session.version)
    event.add("status", status)
    location = ", ".join(part for part in (session.place, session.online_url) if part)
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (session.description, session_url(session)) if part)
    event.add("description", description)
    event.add("url", session_url(session))
    return event


def calendar_bytes(sessions, name, statuses=None) -> bytes:
    """A VCALENDAR with one VEVENT per session; statuses maps session id → CONFIRMED/TENTATIVE."""
    tz = ZoneInfo(settings.TIME_ZONE)
    calendar = new_calendar(PRODID, name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    sessions = list(sessions)
    # The VTIMEZONE covers the sessions' span (and is there even in an empty feed, which
    # RFC 5545 requires to hold at least one component).
    today = timezone.localdate()
    first = min([s.starts_at.astimezone(tz).date() for s in sessions] + [today])
    last = max([s.ends_at.astimezone(tz).date() for s in sessions] + [today])
    # Within the range forms accept (core/input_limits.py): a stray year 9999 must not
    # overflow the span below and break the feed.
    first, last = max(first, EARLIEST_DATE), min(last, LATEST_DATE)
    calendar.add_component(
        Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=first - timedelta(days=366),
            last_date=last + timedelta(days=366),
        )
    )
    for session in sessions:
        calendar.add_component(_event(session, tz, (statuses or {}).get(session.pk, "CONFIRMED")))
    return to_ical(calendar)
