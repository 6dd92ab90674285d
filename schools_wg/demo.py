"""Demo data of the school working group.

Plauen's 19 municipal schools (real names; pupil figures are plausible demo values), the working
group (fictional people in every category of the motion, password `demo`; the councillors of four
of the five demo factions as representatives, one faction deliberately without), past sessions
with minutes and attendance, upcoming ones with registrations, and the parity indicators with
three school years of demo values that show real inequality between the schools (benchmarks from
docs/demo-data.md). The data is in `demo_data/` (schools, members, sessions, indicators).
Idempotent: dates are relative to today, rows are keyed by natural keys and
only saved when a value differs (no history rows on a second run).
"""

import datetime
import zlib
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.demo import ensure_user
from accounts.models import User
from core.demo import ensure, load, when
from participation.models import Faction, FactionMembership
from strategy.models import Goal, Measure

from .models import (
    ActionItem,
    AgendaItem,
    Indicator,
    Member,
    ParityStandard,
    Registration,
    School,
    SchoolMeasurement,
    Session,
    school_year_of,
)

C = Member.Category
UNREPRESENTED_FACTIONS = 1  # the last faction (by short name) gets no representative


def _indicators():
    """(code, name, unit, direction, decimals, worst, best, {school type: threshold})."""
    return [
        tuple(i[key] for key in ("code", "name", "unit", "direction", "decimals", "worst", "best"))
        + (i["standards"],)
        for i in load(__package__, "indicators")
    ]


INDICATORS = _indicators()


def seed_schools():
    for school in load(__package__, "schools"):
        ensure(
            School,
            name=school["name"],
            defaults={
                key: school[key]
                for key in ("school_type", "pupils", "classes", "classrooms", "district")
            },
        )


def _member(user, category, since, **fields):
    member, _created = ensure(
        Member,
        user=user,
        ended_on=None,
        defaults={"category": category, "started_on": since, **fields},
    )
    return member


def seed_members(today):
    since = today - datetime.timedelta(days=400)
    schools = {s.name: s for s in School.objects.all()}
    ag_group = Group.objects.get_or_create(name=roles.AG_SCHULE)[0]
    members = {}
    records = load(__package__, "members")
    for data in records:
        username, category = data["username"], data["category"]
        if username == "verwaltung":
            user = User.objects.get(username=username)
        else:
            user = ensure_user(username, data["first_name"], data["last_name"], [roles.AG_SCHULE])
            if user.groups.filter(pk=ag_group.pk).count() == 0:
                user.groups.add(ag_group)
            wanted = {"phone": data["phone"]}
            if category == C.PUPILS:
                wanted = {"phone": "", "email": ""}  # pupils: name, school, category only
            if any(getattr(user, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(user, k, v)
                user.save()
        members[username] = _member(
            user,
            category,
            since,
            organisation=data["organisation"],
            school=schools.get(data["school"]) if data["school"] else None,
        )
    for data in records:
        if data.get("deputy_of"):
            member, of = members[data["username"]], members[data["deputy_of"]]
            if member.deputy_of_id != of.pk:
                member.deputy_of = of
                member.save()
    seed_faction_representatives(today, since)
    return members


def seed_faction_representatives(today, since):
    """One councillor per faction for all but the last faction; none if there are none."""
    factions = list(Faction.objects.filter(term_start__lte=today).order_by("short_name"))
    for faction in factions[: max(len(factions) - UNREPRESENTED_FACTIONS, 0)]:
        memberships = (
            FactionMembership.objects.filter(faction=faction, valid_from__lte=today)
            .exclude(valid_until__lt=today)
            .select_related("councillor__user")
            .order_by("councillor__user__username")
        )
        users = [m.councillor.user for m in memberships]
        # The demo account "stadtrat" represents its faction, so a demo login can join sessions.
        users.sort(key=lambda u: (u.username != "stadtrat", u.username))
        if not users:
            continue
        existing = Member.objects.filter(
            faction=faction, category=C.FACTION, deputy_of__isnull=True, ended_on__isnull=True
        ).first()
        if existing is None:
            rep = next((u for u in users if not u.wg_memberships.filter(ended_on=None)), None)
            if rep is not None:
                _member(rep, C.FACTION, max(since, faction.term_start), faction=faction)


def seed_sessions(today, members):
    now = timezone.now()
    data = load(__package__, "sessions")
    measure = Measure.objects.filter(title__icontains="schul").first()
    goal = Goal.objects.filter(title__icontains="schul").first()
    attendees = [m for m in Member.objects.active(today).order_by("pk")]
    joiners = [m for m in attendees if m.category != C.ADMINISTRATION]
    for session_data in data["sessions"]:
        starts = when(session_data["starts_at"], now)
        past = starts.date() < today
        place = session_data["place"]
        session, _created = ensure(
            Session,
            title=session_data["title"],
            defaults={
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "capacity": session_data["capacity"],
                "place": place,
                "online_url": "" if place else "https://konferenz.example.org/ag-schule",
                "description": session_data["description"],
                "minutes": session_data.get("minutes", "") if past else "",
                "decisions": session_data.get("decisions", "") if past else "",
            },
        )
        for position, item in enumerate(data["agenda"], start=1):
            link = {}
            if "Paritäts" in item:
                link = {"goal": goal, "measure": measure}
            ensure(AgendaItem, session=session, title=item, defaults={"position": position, **link})
        for action in session_data.get("actions", []):
            due = starts.date() + datetime.timedelta(days=action["due_in_days"])
            ensure(
                ActionItem,
                session=session,
                title=action["title"],
                defaults={
                    "owner": members.get(action["owner"]),
                    "due_date": due,
                    "done_on": due - datetime.timedelta(days=3) if action["done"] else None,
                },
            )
        _seed_registrations(session, past, joiners, members)


def _seed_registrations(session, past, joiners, members):
    """Past sessions: most members came. Upcoming: some registered, the small one is full."""
    if past:
        chosen = joiners[: session.capacity]
        absent = {chosen[-1].pk} if chosen else set()
    elif session.capacity <= 6:
        chosen = joiners[: session.capacity + 2]  # two on the waiting list
        absent = set()
    else:
        # ag-mitglied is not registered here yet: the demo login can join.
        chosen = [m for m in joiners if m.user.username != "ag-mitglied"][:5]
        absent = set()
    for index, member in enumerate(chosen):
        status = (
            Registration.Status.CONFIRMED
            if index < session.capacity
            else Registration.Status.WAITING
        )
        ensure(
            Registration,
            session=session,
            member=member,
            defaults={
                "status": status,
                # Wall-clock arithmetic in local time: the same result whatever tzinfo
                # the session's datetime carries (fresh or read back from the database).
                "registered_at": timezone.localtime(session.starts_at)
                - datetime.timedelta(days=20 - index),
                "attended": (member.pk not in absent) if past else None,
            },
        )
    if past and "verwaltung" in members:
        # Verwaltung records attendance and was there (it manages, it does not register).
        ensure(
            Registration,
            session=session,
            member=members["verwaltung"],
            defaults={
                "status": Registration.Status.CONFIRMED,
                "registered_at": session.starts_at,
                "attended": True,
            },
        )


def _jitter(*parts):
    """A stable pseudo-random number in [-0.1, 0.1] (the same on every run)."""
    return (zlib.crc32("|".join(parts).encode()) % 201 - 100) / 1000


def seed_indicators():
    indicators = {}
    for position, (code, name, unit, direction, decimals, *_rest, standards) in enumerate(
        INDICATORS, start=1
    ):
        indicator, _created = ensure(
            Indicator,
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "direction": direction,
                "decimals": decimals,
                "position": position,
                "value_type": "date" if code == "media_concept" else "number",
            },
        )
        indicators[code] = indicator
        for school_type, threshold in standards.items():
            ensure(
                ParityStandard,
                school_type=school_type,
                indicator=indicator,
                defaults={"threshold": Decimal(str(threshold))},
            )
    return indicators


def seed_measurements(today, indicators):
    """Three school years up to the current one; better each year, unevenly."""
    current = school_year_of(today)
    first = int(current[:4])
    years = [f"{y}/{(y + 1) % 100:02d}" for y in (first - 2, first - 1, first)]
    levels = {school["name"]: school["level"] for school in load(__package__, "schools")}
    for school in School.objects.all():
        level = levels.get(school.name, 0.5)
        for step, year in enumerate(years):
            for code, _name, _unit, _direction, decimals, worst, best, _std in INDICATORS:
                if step == 0 and code == "trained_teachers" and level < 0.2:
                    continue  # not surveyed in the first year: shows as "no data"
                q = min(max(level + 0.1 * step + _jitter(school.name, code, year), 0), 1)
                if code == "media_concept":
                    # Strong schools renewed their concept recently; weak ones still have the
                    # one written for the DigitalPakt application.
                    written = datetime.date(first - 6, 11, 15) + datetime.timedelta(
                        days=int(q * 5.5 * 365)
                    )
                    fields = {"value": None, "date_value": min(written, today)}
                else:
                    value = Decimal(str(worst + (best - worst) * q))
                    fields = {
                        "value": value.quantize(Decimal(1).scaleb(-decimals)),
                        "date_value": None,
                    }
                ensure(
                    SchoolMeasurement,
                    school=school,
                    indicator=indicators[code],
                    school_year=year,
                    defaults=fields,
                )


def seed(stdout=None):
    today = timezone.localdate()
    seed_schools()
    members = seed_members(today)
    seed_sessions(today, members)
    seed_measurements(today, seed_indicators())
