"""Every URL of the school working group, for anonymous and each role (docs/permissions.md)."""

from datetime import timedelta

from django.utils import timezone

from schools_wg.models import ActionItem, AgendaItem, CalendarFeed, Member

from ..url_cases import ALL_ROLES, READERS, VERWALTUNG, UrlCase
from . import factories as f

JOINERS = frozenset({"stadtrat", "ag_schule"})
CATEGORY_OF = {"stadtrat": Member.Category.FACTION}


def _membership(user):
    """Make the requesting user an active member (every role, Verwaltung too)."""
    if user is None:
        return None
    groups = {g.name for g in user.groups.all()}
    if "Stadtrat" in groups:
        return f.member(user, Member.Category.FACTION, faction=f.faction(short=f"F{user.pk}"))
    if "Verwaltung" in groups:
        return f.member(user, Member.Category.ADMINISTRATION)
    return f.member(user, Member.Category.PARENTS)


def session_kwargs(user):
    return {"pk": f.session().pk}


def past_session_kwargs(user):
    return {"pk": f.session(days=-7).pk}


def member_session(user):
    """The user is an active member; an upcoming session with free seats."""
    _membership(user)
    return {"pk": f.session().pk}


def member_in_session(user):
    """The user is a member and already registered: leaving is allowed."""
    from schools_wg import services

    member = _membership(user)
    session = f.session()
    if member is not None:
        services.session_join(session_id=session.pk, member=member)
    return {"pk": session.pk}


def member_past_session(user):
    _membership(user)
    return {"pk": f.session(days=-7).pk}


def member_kwargs(user):
    return {"pk": f.member().pk}


def agenda_kwargs(user):
    item = AgendaItem.objects.create(session=f.session(), title="Bericht")
    return {"pk": item.session_id, "item_pk": item.pk}


def action_kwargs(user):
    return {"pk": ActionItem.objects.create(session=f.session(), title="Angebot").pk}


def action_with_date_kwargs(user):
    item = ActionItem.objects.create(
        session=f.session(), title="WLAN-Ausschreibung", due_date=timezone.localdate()
    )
    return {"pk": item.pk}


def feed_member(user):
    _membership(user)
    return {}


def token_kwargs(user):
    owner = f.user("AG Schule")
    f.member(owner)
    return {"token": CalendarFeed.objects.create(user=owner).token}


def revoked_token_kwargs(user):
    owner = f.user("AG Schule")
    feed = CalendarFeed.objects.create(user=owner)
    token = feed.token
    feed.delete()
    return {"token": token}


def school_kwargs(user):
    return {"pk": f.school().pk}


def milestone_data(user):
    return {"measure": f.strategy_measure().pk}


def new_session_data(user):
    start = timezone.localtime() + timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "title": "Neue Sitzung",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "place": "Rathaus",
        "capacity": "12",
    }


NOBODY = frozenset()
FORBIDDEN_FOR_ALL = {role: 403 for role in ALL_ROLES}

CASES = [
    UrlCase("schools_wg:index", allowed=READERS),
    UrlCase("schools_wg:member_create", allowed=VERWALTUNG),
    UrlCase(
        "schools_wg:member_create",
        allowed=VERWALTUNG,
        method="post",
        data={
            "first_name": "Neu",
            "last_name": "Mitglied",
            "category": "parents",
            "started_on": "2026-01-01",
        },
        ok=(302,),
        label="new person",
    ),
    UrlCase("schools_wg:member_edit", allowed=VERWALTUNG, setup=member_kwargs),
    UrlCase("schools_wg:member_anonymise", allowed=VERWALTUNG, setup=member_kwargs),
    UrlCase(
        "schools_wg:member_anonymise",
        allowed=VERWALTUNG,
        method="post",
        setup=member_kwargs,
        ok=(302,),
    ),
    UrlCase("schools_wg:session_create", allowed=VERWALTUNG),
    UrlCase(
        "schools_wg:session_create",
        allowed=VERWALTUNG,
        method="post",
        data=new_session_data,
        ok=(302,),
    ),
    UrlCase("schools_wg:session_detail", allowed=READERS, setup=session_kwargs),
    UrlCase("schools_wg:session_edit", allowed=VERWALTUNG, setup=session_kwargs),
    UrlCase("schools_wg:session_edit", allowed=VERWALTUNG, setup=session_kwargs, htmx=True),
    # Joining: only members holding Stadtrat or AG Schule; Verwaltung manages but never joins.
    UrlCase(
        "schools_wg:session_rsvp",
        allowed=JOINERS,
        method="post",
        setup=member_session,
        data={"action": "join"},
        ok=(302,),
        label="member joins",
    ),
    UrlCase(
        "schools_wg:session_rsvp",
        allowed=JOINERS,
        method="post",
        setup=member_in_session,
        data={"action": "leave"},
        htmx=True,
        label="member leaves (htmx)",
    ),
    UrlCase(
        "schools_wg:session_rsvp",
        allowed=NOBODY,
        method="post",
        setup=session_kwargs,
        data={"action": "join"},
        label="non-member cannot join",
    ),
    UrlCase(
        "schools_wg:session_rsvp",
        allowed=NOBODY,
        method="post",
        setup=member_past_session,
        data={"action": "join"},
        label="session is over",
    ),
    UrlCase("schools_wg:session_ics", allowed=READERS, setup=session_kwargs),
    UrlCase("schools_wg:session_minutes", allowed=VERWALTUNG, setup=session_kwargs),
    UrlCase(
        "schools_wg:session_minutes",
        allowed=VERWALTUNG,
        method="post",
        setup=session_kwargs,
        data={"minutes": "Protokoll", "decisions": "", "edited_version": "1"},
        htmx=True,
    ),
    UrlCase("schools_wg:session_attendance", allowed=VERWALTUNG, setup=past_session_kwargs),
    UrlCase(
        "schools_wg:session_attendance",
        allowed=NOBODY,
        setup=session_kwargs,
        label="not before the session",
    ),
    UrlCase(
        "schools_wg:agenda_add",
        allowed=VERWALTUNG,
        method="post",
        setup=session_kwargs,
        data={"title": "Stand WLAN"},
        htmx=True,
    ),
    UrlCase(
        "schools_wg:agenda_delete",
        allowed=VERWALTUNG,
        method="post",
        setup=agenda_kwargs,
        ok=(302,),
    ),
    UrlCase(
        "schools_wg:action_add",
        allowed=VERWALTUNG,
        method="post",
        setup=session_kwargs,
        data={"title": "Angebote einholen"},
        htmx=True,
    ),
    UrlCase(
        "schools_wg:action_done",
        allowed=VERWALTUNG,
        method="post",
        setup=action_kwargs,
        data={"done": "1"},
        htmx=True,
    ),
    UrlCase(
        "schools_wg:action_milestone",
        allowed=VERWALTUNG,
        method="post",
        setup=action_with_date_kwargs,
        data=milestone_data,
        ok=(302,),
    ),
    UrlCase("schools_wg:calendar", allowed=JOINERS, setup=feed_member),
    UrlCase(
        "schools_wg:calendar",
        allowed=JOINERS,
        method="post",
        setup=feed_member,
        data={"action": "regenerate"},
        htmx=True,
        label="regenerate (htmx)",
    ),
    UrlCase("schools_wg:calendar", allowed=NOBODY, label="non-member"),
    # The personal feed is public by design: the secret token is the credential.
    UrlCase(
        "schools_wg:calendar_feed",
        setup=token_kwargs,
        expect={"anonymous": 200, **{role: 200 for role in ALL_ROLES}},
    ),
    UrlCase(
        "schools_wg:calendar_feed",
        setup=revoked_token_kwargs,
        expect={"anonymous": 404, **{role: 404 for role in ALL_ROLES}},
        label="revoked token",
    ),
    UrlCase("schools_wg:parity", allowed=READERS),
    UrlCase("schools_wg:parity", allowed=READERS, htmx=True, label="htmx"),
    UrlCase("schools_wg:standards", allowed=VERWALTUNG),
    UrlCase("schools_wg:import", allowed=VERWALTUNG),
    UrlCase("schools_wg:export", allowed=VERWALTUNG),
    UrlCase("schools_wg:school_detail", allowed=READERS, setup=school_kwargs),
    UrlCase("schools_wg:measurements", allowed=VERWALTUNG, setup=school_kwargs),
]
