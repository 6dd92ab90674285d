"""Demo data of the school working group.

Plauen's 19 municipal schools (real names; pupil figures are plausible demo values), the working
group (fictional people in every category of the motion, password `demo`; the councillors of four
of the five demo factions as representatives, one faction deliberately without), past sessions
with minutes and attendance, upcoming ones with registrations, and the parity indicators with
three school years of demo values that show real inequality between the schools (benchmarks from
plauen-facts.md). Idempotent: dates are relative to today, rows are keyed by natural keys and
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
from core.demo import ensure
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

GS, OS, GYM, FOES = (
    School.SchoolType.GS,
    School.SchoolType.OS,
    School.SchoolType.GYM,
    School.SchoolType.FOES,
)

# name, type, pupils, classes, classrooms, district (demo figures)
DEMO_SCHOOLS = [
    ("Lessing-Gymnasium", GYM, 690, 26, 34, "Innenstadt"),
    ("Adolph-Diesterweg-Gymnasium", GYM, 730, 28, 36, "Preißelpöhl"),
    ("Dittes-Oberschule", OS, 340, 14, 18, "Westend"),
    ("Friedensschule", OS, 280, 12, 16, "Chrieschwitz"),
    ("Dr.-Christoph-Hufeland-Oberschule", OS, 390, 16, 20, "Seehaus"),
    ("Kemmler-Oberschule", OS, 310, 13, 17, "Ostvorstadt"),
    ("Friedrich-Rückert-Oberschule", OS, 250, 11, 14, "Haselbrunn"),
    ("Käthe-Kollwitz-Schule", FOES, 120, 12, 14, "Südvorstadt"),
    ("Karl-Marx-Grundschule", GS, 260, 12, 13, "Bahnhofsvorstadt"),
    ("Grundschule Am Wartberg", GS, 230, 10, 11, "Chrieschwitz"),
    ("Grundschule Reusa", GS, 190, 8, 9, "Reusa"),
    ("Astrid-Lindgren-Grundschule", GS, 280, 12, 13, "Haselbrunn"),
    ("Herbart-Grundschule", GS, 240, 10, 12, "Innenstadt"),
    ("Grundschule Oberlosa", GS, 150, 6, 7, "Oberlosa"),
    ("Erich-Ohser-Grundschule", GS, 270, 12, 12, "Preißelpöhl"),
    ("Grundschule Kuntzehöhe", GS, 210, 9, 10, "Kuntzehöhe"),
    ("Grundschule Neundorf", GS, 160, 7, 8, "Neundorf"),
    ("Rückert-Grundschule", GS, 220, 9, 10, "Haselbrunn"),
    ("Grundschule Jößnitz", GS, 155, 6, 7, "Jößnitz"),
]


def seed_schools():
    for name, school_type, pupils, classes, classrooms, district in DEMO_SCHOOLS:
        ensure(
            School,
            name=name,
            defaults={
                "school_type": school_type,
                "pupils": pupils,
                "classes": classes,
                "classrooms": classrooms,
                "district": district,
            },
        )


C = Member.Category

# username, first name, last name, category, organisation, school, phone (fictional people)
DEMO_MEMBERS = [
    ("ksr-sommer", "Lena", "Sommer", C.PUPILS, "", "Lessing-Gymnasium", ""),
    ("ksr-krueger", "Jonas", "Krüger", C.PUPILS, "", "Dittes-Oberschule", ""),
    ("ag-mitglied", "Anna", "Agmitglied", C.PARENTS, "Elternrat", "Karl-Marx-Grundschule", ""),
    (
        "eltern-weber",
        "Katrin",
        "Weber",
        C.PARENTS,
        "Elternrat",
        "Grundschule Reusa",
        "03741 000101",
    ),
    ("lehrer-hofmann", "Michael", "Hofmann", C.TEACHERS, "", "Friedensschule", "03741 000102"),
    ("lehrer-richter", "Susanne", "Richter", C.TEACHERS, "", "Grundschule Am Wartberg", ""),
    (
        "foerder-schubert",
        "Uwe",
        "Schubert",
        C.SUPPORT_ASSOCIATION,
        "Förderverein Lessing-Gymnasium e.V.",
        None,
        "03741 000103",
    ),
    ("verein-lang", "Tobias", "Lang", C.COMPANY_ASSOCIATION, "Sternenlabor e.V.", None, ""),
    (
        "firma-herrmann",
        "Claudia",
        "Herrmann",
        C.COMPANY_ASSOCIATION,
        "Beispiel Systemhaus GmbH (Demo)",
        None,
        "03741 000104",
    ),
    (
        "koordinator-koehler",
        "Martin",
        "Köhler",
        C.COORDINATOR,
        "Koordinator Digitalisierung, Schulverwaltungsamt",
        None,
        "03741 000105",
    ),
    ("verwaltung", "Vera", "Verwaltung", C.ADMINISTRATION, "Schulverwaltungsamt", None, ""),
]
# Deputies: (deputy username, of username).
DEMO_DEPUTIES = [("eltern-weber", "ag-mitglied")]
UNREPRESENTED_FACTIONS = 1  # the last faction (by short name) gets no representative


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
    for username, first, last, category, organisation, school, phone in DEMO_MEMBERS:
        if username == "verwaltung":
            user = User.objects.get(username=username)
        else:
            user = ensure_user(username, first, last, [roles.AG_SCHULE])
            if user.groups.filter(pk=ag_group.pk).count() == 0:
                user.groups.add(ag_group)
            wanted = {"phone": phone}
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
            organisation=organisation,
            school=schools.get(school) if school else None,
        )
    for deputy, of in DEMO_DEPUTIES:
        member = members[deputy]
        if member.deputy_of_id != members[of].pk:
            member.deputy_of = members[of]
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


SESSIONS = [
    # days from today, title, seats, place, description
    (
        -120,
        "Auftaktsitzung der Arbeitsgruppe Schule",
        25,
        "Rathaus Plauen, Ratssaal",
        "Konstituierung, Arbeitsweise und Erwartungen an die Arbeitsgruppe.",
    ),
    (
        -60,
        "WLAN und Endgeräte: Bestandsaufnahme",
        20,
        "Lessing-Gymnasium, Aula",
        "Ergebnisse der Raum-für-Raum-Erhebung, Ausstattung je Schule.",
    ),
    (
        -14,
        "Medienkonzepte und Fortbildung",
        15,
        "Sternenlabor e.V., Werkstatt",
        "Stand der Medienkonzepte, Fortbildungsplanung der Lehrkräfte.",
    ),
    (
        10,
        "Paritäts-Übersicht: Mindeststandards je Schulart",
        12,
        "Rathaus Plauen, Raum 214",
        "Beratung der Mindeststandards für gleichwertige Ausstattung.",
    ),
    (
        38,
        "Laufende Kosten: IT-Betreuung der Schulen",
        6,
        "",
        "Online-Sitzung zur Finanzierung der IT-Betreuung nach Auslaufen der Förderung.",
    ),
]
MINUTES = {
    "Auftaktsitzung der Arbeitsgruppe Schule": (
        "Die Arbeitsgruppe hat sich konstituiert. Der Koordinator Digitalisierung stellte den "
        "Auftrag aus dem Stadtratsbeschluss vor. Die Mitglieder vereinbarten vierteljährliche "
        "Sitzungen.",
        "1. Die Arbeitsgruppe tagt vierteljährlich.\n2. Die Paritäts-Übersicht wird jährlich "
        "zum Schuljahresbeginn aktualisiert.",
    ),
    "WLAN und Endgeräte: Bestandsaufnahme": (
        "Die Erhebung zeigt große Unterschiede: Die Gymnasien sind weitgehend mit WLAN versorgt, "
        "mehrere Grundschulen haben nur einzelne Räume mit WLAN. Der Schülerrat berichtet von "
        "langen Wartezeiten bei Reparaturen.",
        "1. Grundschulen mit weniger als 50 % WLAN-Abdeckung werden vorrangig ausgebaut.",
    ),
    "Medienkonzepte und Fortbildung": (
        "Mehrere Medienkonzepte stammen noch aus der Antragstellung zum DigitalPakt (2019/20). "
        "Das Sternenlabor bietet Einführungen in 3D-Druck für Lehrkräfte an.",
        "1. Schulen aktualisieren Medienkonzepte, die älter als drei Jahre sind.",
    ),
}
ACTIONS = {
    "WLAN und Endgeräte: Bestandsaufnahme": [
        ("Ausbauplan WLAN für Grundschulen vorlegen", "koordinator-koehler", 30, True),
        ("Reparaturwege mit dem IT-Dienstleister klären", "verwaltung", 45, False),
    ],
    "Medienkonzepte und Fortbildung": [
        ("Vorlage für Medienkonzepte an alle Schulen senden", "koordinator-koehler", 21, False),
        ("Fortbildungstermine im Sternenlabor anbieten", "verein-lang", 60, False),
    ],
}
AGENDA = [
    "Begrüßung und Protokollkontrolle",
    "Bericht des Koordinators Digitalisierung",
    "Paritäts-Übersicht: Stand und Entwicklung",
    "Verschiedenes",
]


def _at(today, days, hour=16):
    day = today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_sessions(today, members):
    measure = Measure.objects.filter(title__icontains="schul").first()
    goal = Goal.objects.filter(title__icontains="schul").first()
    attendees = [m for m in Member.objects.active(today).order_by("pk")]
    joiners = [m for m in attendees if m.category != C.ADMINISTRATION]
    for days, title, seats, place, description in SESSIONS:
        starts = _at(today, days)
        session, _created = ensure(
            Session,
            title=title,
            defaults={
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "capacity": seats,
                "place": place,
                "online_url": "" if place else "https://konferenz.example.org/ag-schule",
                "description": description,
                "minutes": MINUTES.get(title, ("", ""))[0] if days < 0 else "",
                "decisions": MINUTES.get(title, ("", ""))[1] if days < 0 else "",
            },
        )
        for position, item in enumerate(AGENDA, start=1):
            link = {}
            if "Paritäts" in item:
                link = {"goal": goal, "measure": measure}
            ensure(AgendaItem, session=session, title=item, defaults={"position": position, **link})
        for action_title, owner, due_in, done in ACTIONS.get(title, []):
            due = starts.date() + datetime.timedelta(days=due_in)
            ensure(
                ActionItem,
                session=session,
                title=action_title,
                defaults={
                    "owner": members.get(owner),
                    "due_date": due,
                    "done_on": due - datetime.timedelta(days=3) if done else None,
                },
            )
        _seed_registrations(session, days, joiners, members)


def _seed_registrations(session, days, joiners, members):
    """Past sessions: most members came. Upcoming: some registered, the small one is full."""
    if days < 0:
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
                "attended": (member.pk not in absent) if days < 0 else None,
            },
        )
    if days < 0 and "verwaltung" in members:
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


H, L = Indicator.Direction.HIGHER, Indicator.Direction.LOWER
GS, OS, GYM, FOES = "GS", "OS", "GYM", "FÖS"

# code, name, unit, direction, decimals, worst, best, standards {type: threshold}
INDICATORS = [
    (
        "pupils_per_device",
        "Schüler je Endgerät",
        "Schüler",
        L,
        1,
        14,
        1.5,
        {GS: 3, OS: 2, GYM: 2, FOES: 2},
    ),
    (
        "teacher_devices",
        "Dienstgeräte je Lehrkraft",
        "Geräte",
        H,
        2,
        0.2,
        1.1,
        {GS: 1, OS: 1, GYM: 1, FOES: 1},
    ),
    (
        "mbit_per_class",
        "Bandbreite je Klasse",
        "Mbit/s",
        H,
        0,
        4,
        90,
        {GS: 30, OS: 30, GYM: 30, FOES: 30},
    ),
    (
        "wlan_share",
        "Klassenräume mit WLAN",
        "%",
        H,
        0,
        10,
        100,
        {GS: 90, OS: 100, GYM: 100, FOES: 90},
    ),
    (
        "displays_per_classroom",
        "Interaktive Tafeln je Klassenraum",
        "Tafeln",
        H,
        2,
        0.1,
        1.1,
        {GS: Decimal("0.8"), OS: 1, GYM: 1, FOES: Decimal("0.8")},
    ),
    (
        "it_support_hours",
        "IT-Betreuung je Woche",
        "Stunden",
        H,
        1,
        1,
        14,
        {GS: 4, OS: 8, GYM: 12, FOES: 4},
    ),
    (
        "trained_teachers",
        "Lehrkräfte fortgebildet (12 Monate)",
        "%",
        H,
        0,
        8,
        85,
        {GS: 50, OS: 50, GYM: 50, FOES: 50},
    ),
    (
        "media_concept",
        "Medienkonzept (Stand)",
        "Monate alt",
        L,
        0,
        None,
        None,
        {GS: 36, OS: 36, GYM: 36, FOES: 36},
    ),
]

# How well equipped each school is (0 poor … 1 good), demo assumption; the rest is derived.
LEVELS = {
    "Lessing-Gymnasium": 0.85,
    "Adolph-Diesterweg-Gymnasium": 0.78,
    "Dittes-Oberschule": 0.55,
    "Friedensschule": 0.42,
    "Dr.-Christoph-Hufeland-Oberschule": 0.62,
    "Kemmler-Oberschule": 0.35,
    "Friedrich-Rückert-Oberschule": 0.48,
    "Käthe-Kollwitz-Schule": 0.30,
    "Karl-Marx-Grundschule": 0.50,
    "Grundschule Am Wartberg": 0.40,
    "Grundschule Reusa": 0.22,
    "Astrid-Lindgren-Grundschule": 0.58,
    "Herbart-Grundschule": 0.66,
    "Grundschule Oberlosa": 0.12,
    "Erich-Ohser-Grundschule": 0.45,
    "Grundschule Kuntzehöhe": 0.28,
    "Grundschule Neundorf": 0.18,
    "Rückert-Grundschule": 0.52,
    "Grundschule Jößnitz": 0.08,
}


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
    for school in School.objects.all():
        level = LEVELS.get(school.name, 0.5)
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
