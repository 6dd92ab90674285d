"""What the apps' iCalendar files (RFC 5545) share: the calendar frame, the site's host for stable
UIDs, secret feed tokens and the HTTP response.

The working group's sessions (schools_wg/ics.py) and the strategy's deadlines (strategy/ics.py)
build their events; everything around the events is here.
"""

import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, vText
from icalendar.prop import vUnknown

from .input_limits import clean_text

# TEXT properties that are one line in every calendar program; DESCRIPTION keeps its line breaks.
SINGLE_LINE = {"SUMMARY", "LOCATION", "X-WR-CALNAME"}


def site_host() -> str:
    """The host part of UIDs, so calendar programs recognise an event again after a change."""
    return urlparse(settings.SITE_URL).hostname or "localhost"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def new_calendar(prodid: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def to_ical(calendar: Calendar) -> bytes:
    """The calendar as bytes, its text values without control characters first.

    RFC 5545 allows no control characters in TEXT values; a title stored before input was
    normalised (or written by a script) must not break the feed of everyone who subscribed.
    icalendar escapes what remains (line breaks, commas, semicolons, backslashes)."""
    for component in calendar.walk():
        for name, value in list(component.items()):
            # X- properties (the calendar's name) are vUnknown, which icalendar writes unescaped.
            if isinstance(value, vText | vUnknown):
                component[name] = vText(clean_text(str(value), multiline=name not in SINGLE_LINE))
    return calendar.to_ical()


def new_feed_token() -> str:
    """The secret of a personal calendar address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def ics_response(content: bytes, filename: str, attachment=True) -> HttpResponse:
    """A calendar file (attachment) or a feed (inline); never cached: feeds carry secrets."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
