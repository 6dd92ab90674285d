"""Deadlines of the strategy as iCalendar (RFC 5545): one all-day event per open deadline.

UIDs are stable (kind, id and the site's host), so calendar programs update events instead of
duplicating them when a date moves.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from core.calendars import new_calendar, site_host, site_url, to_ical

PRODID = "-//Plauen Digital//Strategie//DE"


def calendar_bytes(deadlines, name) -> bytes:
    host = site_host()
    calendar = new_calendar(PRODID, name)
    now = timezone.now()
    for item in deadlines:
        event = Event()
        event.add("uid", f"{item.uid_key}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + timedelta(days=1))
        if item.kind == "milestone":
            summary = _("Milestone: %(title)s (%(code)s)")
        else:
            summary = _("End of measure: %(title)s (%(code)s)")
        event.add("summary", summary % {"title": item.title, "code": item.measure.code})
        unit = item.measure.lead_unit
        description = [str(item.measure)]
        if unit:
            description.append(_("Lead unit: %(unit)s") % {"unit": unit.name})
        description.append(site_url(item.url))
        event.add("description", "\n".join(description))
        event.add("url", site_url(item.url))
        calendar.add_component(event)
    return to_ical(calendar)
