"""What the apps' iCalendar files (RFC 5545) share: the calendar frame, the site's host for stable
UIDs, the HTTP response and the personal secret feed addresses.

The working group's sessions (schools_wg/ics.py) and the strategy's deadlines (strategy/ics.py)
build their events; everything around the events is here.

A secret feed (a calendar program cannot log in, so the address carries a secret) is a model
inheriting `SecretFeed` (one row per person: user, token, created_at) that says in `serves()`
whether its owner may still read the feed. Two functions are the views' whole work:
`feed_settings` (the page that shows the address and takes action=regenerate / action=revoke)
and `serve_feed` (the calendar for a token; 404 for an unknown or revoked token, an inactive
owner or one `serves()` refuses).
"""

import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, vText
from icalendar.prop import vUnknown

from .htmx import render_htmx
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


# --- personal secret feed addresses ------------------------------------------------------------


class SecretFeed(models.Model):
    """A person's secret calendar address; deleting the row revokes it.

    Subclasses declare `user` (a OneToOneField to the user with their own related_name) and
    override `serves()`."""

    token = models.CharField(
        gettext_lazy("token"), max_length=64, unique=True, default=new_feed_token
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        """The user's address, or None."""
        return cls.objects.filter(user=user).first()

    @classmethod
    def by_token(cls, token):
        return cls.objects.select_related("user").filter(token=token).first()

    @classmethod
    def rotate(cls, user):
        """A new secret address for the user (the first one, too); the previous one stops
        working at once."""
        with transaction.atomic():
            cls.objects.filter(user=user).delete()
            return cls.objects.create(user=user)

    @classmethod
    def revoke(cls, user) -> None:
        cls.objects.filter(user=user).delete()

    def serves(self) -> bool:
        """Whether the owner may still read this feed (besides being active)."""
        return True


def feed_settings(request, *, model, feed_url_name, template):
    """The page of a person's secret address (`template`, partial #feed for htmx; context: feed,
    feed_url, feed_message).

    POST action=revoke deletes the address, any other action makes a new one (the old one stops
    working). Without htmx the POST answers with a message and a redirect to the page."""
    message = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            model.revoke(request.user)
            message = _("Your calendar address has been revoked.")
        else:
            model.rotate(request.user)
            message = _("A new calendar address was created; the previous one no longer works.")
        if not request.htmx:
            messages.success(request, message)
            return redirect(request.path)
    feed = model.for_user(request.user)
    feed_url = None
    if feed:
        feed_url = request.build_absolute_uri(reverse(feed_url_name, kwargs={"token": feed.token}))
    context = {"feed": feed, "feed_url": feed_url, "feed_message": message}
    return render_htmx(request, template, context, partial="feed")


def serve_feed(request, token, *, model, build_calendar, filename):
    """The calendar of a secret address, inline and never cached: `build_calendar(user)` gives
    its bytes. 404 for an unknown or revoked token, an inactive owner (the rules answer for
    inactive accounts too, so the account itself is checked) or one the feed no longer
    `serves()` (e.g. a former member)."""
    feed = model.by_token(token)
    if feed is None or not feed.user.is_active or not feed.serves():
        raise Http404
    return ics_response(build_calendar(feed.user), filename, attachment=False)
