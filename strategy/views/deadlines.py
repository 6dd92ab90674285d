"""Deadlines: the overdue and upcoming ones by lead unit, as iCalendar file and as a subscribable
calendar feed with a secret address."""

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.calendars import feed_settings, ics_response, serve_feed
from core.htmx import render_content

from .. import ics
from ..models import DeadlineFeed
from ..querysets import deadlines_by_unit, overdue_deadlines, upcoming_deadlines
from .common import VIEW

DEADLINE_HORIZONS = (30, 90)


def _horizon(request):
    try:
        days = int(request.GET.get("tage", DEADLINE_HORIZONS[0]))
    except ValueError:
        days = DEADLINE_HORIZONS[0]
    return days if days in DEADLINE_HORIZONS else DEADLINE_HORIZONS[0]


@permission_required(VIEW, raise_exception=True)
@require_safe
def deadlines(request):
    """Template: strategy/deadlines.html; context: groups (by lead unit), days, horizons."""
    days = _horizon(request)
    groups = deadlines_by_unit(days)
    context = {
        "groups": groups,
        "days": days,
        "horizons": DEADLINE_HORIZONS,
        "overdue_total": sum(len(g.overdue) for g in groups),
        "upcoming_total": sum(len(g.upcoming) for g in groups),
        "today": timezone.localdate(),
    }
    return render_content(request, "strategy/deadlines.html", context)


@permission_required(VIEW, raise_exception=True)
@require_safe
def deadlines_ics(request):
    """All open deadlines (overdue and the next two years) as an iCalendar file."""
    return deadlines_ics_response()


@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def deadline_feed_settings(request):
    """Template: strategy/deadline_feed.html (#feed for htmx); context: feed, feed_url,
    feed_message. POST action=regenerate / action=revoke (core.calendars.feed_settings)."""
    return feed_settings(
        request,
        model=DeadlineFeed,
        feed_url_name="strategy:deadline_feed",
        template="strategy/deadline_feed.html",
    )


@login_not_required
@require_safe
def deadline_feed(request, token):
    """The deadline calendar for calendar programs: the secret token is the credential.

    Gone (404) once revoked or renewed, or when its owner may no longer read the strategy."""
    return serve_feed(
        request,
        token,
        model=DeadlineFeed,
        build_calendar=lambda user: deadlines_ics_bytes(),
        filename="strategie-fristen.ics",
    )


def deadlines_ics_bytes() -> bytes:
    items = overdue_deadlines() + upcoming_deadlines(days=2 * 365)
    return ics.calendar_bytes(items, _("Deadlines of the digitalisation strategy"))


def deadlines_ics_response(attachment=True):
    return ics_response(deadlines_ics_bytes(), "strategie-fristen.ics", attachment=attachment)
