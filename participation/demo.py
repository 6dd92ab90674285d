"""Demo participation: factions A–E (42 seats), their councillors, one open and one closed
consultation with votes and a comment thread. All people are fictional; passwords are `demo`.

Runs after strategy.demo (it needs goals; without goals it creates no consultations) and is
idempotent: a second run changes nothing, history included.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from core.demo import ensure
from strategy.models import Goal

from .models import Comment, Consultation, Councillor, Faction, FactionMembership, Vote

TERM_START = datetime.date(2024, 8, 1)
DEMO_FACTIONS = [
    ("Fraktion A", "A", 11),
    ("Fraktion B", "B", 9),
    ("Fraktion C", "C", 6),
    ("Fraktion D", "D", 5),
    ("Fraktion E", "E", 11),
]
FIRST_NAMES = [
    "Annett",
    "Bernd",
    "Carola",
    "Dirk",
    "Elke",
    "Frank",
    "Gabriele",
    "Heiko",
    "Ines",
    "Jens",
    "Kerstin",
    "Lars",
    "Manuela",
    "Nils",
    "Petra",
    "Ralf",
    "Sabine",
    "Thomas",
    "Ulrike",
    "Volker",
    "Wiebke",
]
LAST_NAMES = [
    "Albrecht",
    "Bachmann",
    "Dietrich",
    "Ebert",
    "Fiedler",
    "Gläser",
    "Hähnel",
    "Junghans",
    "Kästner",
    "Lorenz",
    "Meinel",
    "Neubert",
    "Oettel",
    "Pfeifer",
    "Quaas",
    "Rödel",
    "Seidel",
    "Tröger",
    "Unger",
    "Voigt",
    "Wunderlich",
    "Zschäck",
]
OPEN_TITLE = "Beteiligung zum Strategieentwurf (Dezember)"
CLOSED_TITLE = "Erste Beteiligung: Ziele der Digitalisierungsstrategie"


def _name(index):
    return FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index * 7) % len(LAST_NAMES)]


def seed_councillors():
    """41 demo councillors (rat-a01 …) plus the demo account "stadtrat" in Fraktion A."""
    group, _ = Group.objects.get_or_create(name=roles.STADTRAT)
    password = None
    councillors = []
    index = 0
    for name, short_name, seats in DEMO_FACTIONS:
        faction, _ = ensure(
            Faction,
            short_name=short_name,
            term_start=TERM_START,
            defaults={"name": name, "seats": seats, "term_end": datetime.date(2029, 7, 31)},
        )
        people = seats - 1 if short_name == "A" else seats
        usernames = [f"rat-{short_name.lower()}{n:02d}" for n in range(1, people + 1)]
        if short_name == "A":
            usernames.insert(0, "stadtrat")
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None:
                first_name, last_name = _name(index)
                password = password or make_password(DEMO_PASSWORD)  # hash once, not 41 times
                user = User.objects.create(
                    username=username,
                    first_name=first_name,
                    last_name=last_name,
                    email=f"{username}@demo.plauen-digital.example",
                    password=password,
                )
            index += 1
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
            councillor = Councillor.objects.filter(user=user).first() or Councillor.objects.create(
                user=user
            )
            ensure(
                FactionMembership,
                councillor=councillor,
                faction=faction,
                valid_from=TERM_START,
                defaults={"valid_until": None},
            )
            councillors.append((councillor, faction))
    return councillors


def _consultation(title, goals, opens_at, closes_at, introduction, named_results):
    """Get the consultation by title, or create it; an existing one keeps its dates."""
    consultation = Consultation.objects.filter(title=title).first()
    if consultation is None:
        consultation = Consultation.objects.create(
            title=title,
            introduction=introduction,
            opens_at=opens_at,
            closes_at=closes_at,
            named_results=named_results,
            created_by=User.objects.filter(username="verwaltung").first(),
        )
        consultation.goals.set(goals)
    return consultation


def _choice(index, faction_short, goal_index):
    """A deterministic, plausible voting pattern per faction."""
    pattern = {
        "A": "yyyyyyyyyay",
        "B": "yyyynnayyyy",
        "C": "nnanyy",
        "D": "aynny",
        "E": "yynyyaynyyy",
    }[faction_short]
    letter = pattern[(index + goal_index) % len(pattern)]
    return {"y": Vote.Choice.YES, "n": Vote.Choice.NO, "a": Vote.Choice.ABSTAIN}[letter]


def _vote(consultation, goal, councillor, faction, choice, minutes):
    ensure(
        Vote,
        consultation=consultation,
        goal=goal,
        councillor=councillor,
        defaults={
            "faction": faction,
            "choice": choice,
            "cast_at": consultation.opens_at + datetime.timedelta(minutes=minutes),
        },
    )


def _comment(consultation, goal, author, text, minutes, parent=None):
    comment, _ = ensure(
        Comment,
        consultation=consultation,
        goal=goal,
        author=author,
        text=text,
        defaults={
            "parent": parent,
            "created_at": consultation.opens_at + datetime.timedelta(minutes=minutes),
        },
    )
    return comment


def seed(stdout=None):
    councillors = seed_councillors()
    goals = list(Goal.objects.order_by("field__position", "position", "code")[:5])
    if not goals:
        if stdout:
            stdout.write("participation: no goals yet, so no demo consultations.")
        return
    now = timezone.now()
    verwaltung = User.objects.filter(username="verwaltung").first()

    closed = _consultation(
        CLOSED_TITLE,
        goals[:2],
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        introduction=(
            "Die Verwaltung bittet den Stadtrat um ein erstes Meinungsbild zu den Zielen der "
            "Digitalisierungsstrategie. Kommentare und Stimmen fließen in den Entwurf ein."
        ),
        named_results=True,
    )
    for goal_index, goal in enumerate(closed.goals.all()):
        for index, (councillor, faction) in enumerate(councillors):
            if index % 7 == 3:  # most, not all, councillors voted
                continue
            choice = _choice(index, faction.short_name, goal_index)
            _vote(closed, goal, councillor, faction, choice, minutes=30 + index * 17)

    by_name = {c.user.username: c.user for c, _ in councillors}
    first_goal = closed.goals.first()
    question = _comment(
        closed,
        first_goal,
        by_name["rat-b01"],
        "Wie wird sichergestellt, dass auch die kleinen Grundschulen in den Ortsteilen "
        "rechtzeitig angeschlossen werden?\nBitte nennen Sie einen Zeitplan.",
        minutes=120,
    )
    _comment(
        closed,
        first_goal,
        verwaltung or by_name["rat-a01"],
        "Die Anbindung aller Schulstandorte ist im Förderantrag enthalten. Der Zeitplan wird "
        "in der nächsten Sitzung der AG Schule vorgestellt.",
        minutes=600,
        parent=question,
    )
    _comment(
        closed,
        first_goal,
        by_name["rat-c02"],
        "Wir unterstützen das Ziel, erwarten aber eine Aufstellung der laufenden Kosten.",
        minutes=900,
        parent=question,
    )
    _comment(
        closed,
        first_goal,
        by_name["rat-e03"],
        "Siehe auch den Breitbandatlas: https://www.breitbandatlas.de",
        minutes=1500,
    )

    open_goals = goals[2:5] if len(goals) >= 4 else goals[:3]
    closes = timezone.localtime(now + datetime.timedelta(days=5)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    running = _consultation(
        OPEN_TITLE,
        open_goals,
        opens_at=now - datetime.timedelta(days=2),
        closes_at=closes,
        introduction=(
            "Bis zur Dezembersitzung nimmt der Stadtrat zum Entwurf der Ziele Stellung. "
            "Die Ergebnisse werden je Fraktion zusammengefasst."
        ),
        named_results=False,
    )
    goal = running.goals.first()
    for index, (councillor, faction) in enumerate(councillors[1:15], start=1):
        _vote(running, goal, councillor, faction, _choice(index, faction.short_name, 0), index)
    remark = _comment(
        running,
        goal,
        by_name["rat-d01"],
        "Der Zielwert erscheint uns ambitioniert. Welche Annahmen liegen ihm zugrunde?",
        minutes=90,
    )
    if verwaltung:
        _comment(
            running,
            goal,
            verwaltung,
            "Der Zielwert beruht auf der Bedarfserhebung der Schulen vom Frühjahr.",
            minutes=300,
            parent=remark,
        )
