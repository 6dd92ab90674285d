"""Demo participation: factions A–E (42 seats), their councillors, one open and one closed
consultation with votes and a comment thread (`demo_data/councillors.yaml`,
`demo_data/consultations.yaml`). All people are fictional; passwords are `demo`.

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
from core.demo import ensure, load, when
from strategy.models import Goal

from .models import Comment, Consultation, Councillor, Faction, FactionMembership, Vote

CHOICES = {"y": Vote.Choice.YES, "n": Vote.Choice.NO, "a": Vote.Choice.ABSTAIN}


def seed_councillors():
    """41 demo councillors (rat-a01 …) plus the demo account "stadtrat" in Fraktion A."""
    data = load(__package__, "councillors")
    first_names, last_names = data["first_names"], data["last_names"]
    group, _ = Group.objects.get_or_create(name=roles.STADTRAT)
    password = None
    councillors = []
    index = 0
    for faction_data in data["factions"]:
        short_name, seats = faction_data["short_name"], faction_data["seats"]
        faction, _ = ensure(
            Faction,
            short_name=short_name,
            term_start=data["term_start"],
            defaults={"name": faction_data["name"], "seats": seats, "term_end": data["term_end"]},
        )
        people = seats - 1 if short_name == "A" else seats
        usernames = [f"rat-{short_name.lower()}{n:02d}" for n in range(1, people + 1)]
        if short_name == "A":
            usernames.insert(0, "stadtrat")
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = password or make_password(DEMO_PASSWORD)  # hash once, not 41 times
                user = User.objects.create(
                    username=username,
                    first_name=first_names[index % len(first_names)],
                    last_name=last_names[(index * 7) % len(last_names)],
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
                valid_from=data["term_start"],
                defaults={"valid_until": None},
            )
            councillors.append((councillor, faction))
    return councillors


def _slice(text):
    start, end = text.split(":")
    return slice(int(start) if start else None, int(end) if end else None)


def _consultation(data, goals, now):
    """Get the consultation by title, or create it; an existing one keeps its dates."""
    consultation = Consultation.objects.filter(title=data["title"]).first()
    if consultation is None:
        chosen = data.get("fallback_goals") if len(goals) < 4 else None
        consultation = Consultation.objects.create(
            title=data["title"],
            introduction=data["introduction"],
            opens_at=when(data["opens_at"], now),
            closes_at=when(data["closes_at"], now),
            named_results=data["named_results"],
            created_by=User.objects.filter(username="verwaltung").first(),
        )
        consultation.goals.set(goals[_slice(chosen or data["goals"])])
    return consultation


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


def _votes(consultation, rule, councillors, patterns):
    """The votes of one consultation by its rule (described in consultations.yaml)."""

    def choice(index, faction, goal_index):
        pattern = patterns[faction.short_name]
        return CHOICES[pattern[(index + goal_index) % len(pattern)]]

    if rule == "all_but_every_7th":
        for goal_index, goal in enumerate(consultation.goals.all()):
            for index, (councillor, faction) in enumerate(councillors):
                if index % 7 == 3:  # most, not all, councillors voted
                    continue
                minutes = 30 + index * 17
                _vote(
                    consultation,
                    goal,
                    councillor,
                    faction,
                    choice(index, faction, goal_index),
                    minutes,
                )
    elif rule == "councillors_1_to_14":
        goal = consultation.goals.first()
        for index, (councillor, faction) in enumerate(councillors[1:15], start=1):
            _vote(consultation, goal, councillor, faction, choice(index, faction, 0), index)
    else:
        raise ValueError(f"Unknown vote rule: {rule!r}")


def _comments(consultation, comments, users):
    goal = consultation.goals.first()
    written = {}
    for data in comments:
        author = users.get(data["author"]) or users.get(data.get("or"))
        if author is None:
            continue
        comment, _ = ensure(
            Comment,
            consultation=consultation,
            goal=goal,
            author=author,
            text=data["text"],
            defaults={
                "parent": written.get(data.get("reply_to")),
                "created_at": consultation.opens_at + datetime.timedelta(minutes=data["minutes"]),
            },
        )
        if "id" in data:
            written[data["id"]] = comment


def seed(stdout=None):
    councillors = seed_councillors()
    goals = list(Goal.objects.order_by("field__position", "position", "code")[:5])
    if not goals:
        if stdout:
            stdout.write("participation: no goals yet, so no demo consultations.")
        return
    now = timezone.now()
    data = load(__package__, "consultations")
    users = {c.user.username: c.user for c, _ in councillors}
    verwaltung = User.objects.filter(username="verwaltung").first()
    if verwaltung:
        users.setdefault("verwaltung", verwaltung)
    for consultation_data in data["consultations"]:
        consultation = _consultation(consultation_data, goals, now)
        _votes(consultation, consultation_data["votes"], councillors, data["voting_patterns"])
        _comments(consultation, consultation_data["comments"], users)
