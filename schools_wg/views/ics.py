"""Calendar files: one session's .ics, the personal feed's settings and the feed itself
(tests/schools_wg/test_ics.py)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.calendars import feed_settings, serve_feed

from .. import ics
from ..models import CalendarFeed, Registration, Session
from .common import VIEW


@permission_required(VIEW, raise_exception=True)
@require_safe
def session_ics(request, pk):
    """An .ics file with this one session."""
    session = get_object_or_404(Session, pk=pk)
    content = ics.calendar_bytes([session], session.title)
    return ics.ics_response(content, f"sitzung-{session.pk}.ics")


@permission_required("schools_wg.use_calendar_feed", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_settings(request):
    """Template: schools_wg/calendar.html (#feed for htmx); context: feed, feed_url,
    feed_message. POST action=regenerate / action=revoke (core.calendars.feed_settings)."""
    return feed_settings(
        request,
        model=CalendarFeed,
        feed_url_name="schools_wg:calendar_feed",
        template="schools_wg/calendar.html",
    )


@login_not_required
@require_safe
def calendar_feed(request, token):
    """Public (secret token in the URL): the sessions the token's owner has registered for,
    only while the owner is a member (CalendarFeed.serves): a former member's address stops
    working with the membership, even if it was shared or subscribed somewhere."""
    return serve_feed(
        request,
        token,
        model=CalendarFeed,
        build_calendar=registered_sessions_ics,
        filename="ag-schule.ics",
    )


def registered_sessions_ics(user) -> bytes:
    """The sessions `user` registered for: confirmed seats CONFIRMED, waiting ones TENTATIVE."""
    registrations = Registration.objects.filter(member__user=user).select_related("session")
    statuses = {
        r.session_id: "CONFIRMED" if r.status == Registration.Status.CONFIRMED else "TENTATIVE"
        for r in registrations
    }
    sessions = sorted({r.session for r in registrations}, key=lambda s: s.starts_at)
    return ics.calendar_bytes(sessions, _("School working group"), statuses)
