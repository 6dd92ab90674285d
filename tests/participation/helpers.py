"""Builders for participation tests (plain functions, usable from url_table setups too)."""

import datetime
from itertools import count

from django.utils import timezone

from participation.models import Comment, Consultation, Councillor, Faction, FactionMembership
from strategy.models import FieldOfAction, Goal

_seq = count(1)
TERM_START = datetime.date(2024, 8, 1)


def make_goal(code=None, title="Schulen ans Glasfasernetz"):
    n = next(_seq)
    field, _ = FieldOfAction.objects.get_or_create(
        code="HF T", defaults={"title": "Testfeld Digitale Schule"}
    )
    return Goal.objects.create(field=field, code=code or f"Z T.{n}", title=f"{title} {n}")


def make_faction(short_name=None, seats=5, name=None):
    n = next(_seq)
    short_name = short_name or f"F{n}"
    return Faction.objects.create(
        name=name or f"Fraktion {short_name}",
        short_name=short_name,
        seats=seats,
        term_start=TERM_START,
    )


def make_councillor(user, faction=None, valid_from=TERM_START):
    councillor, _ = Councillor.objects.get_or_create(user=user)
    FactionMembership.objects.create(
        councillor=councillor, faction=faction or make_faction(), valid_from=valid_from
    )
    return councillor


def make_consultation(goals=None, opens_at=None, closes_at=None, named_results=False, **fields):
    now = timezone.now()
    consultation = Consultation.objects.create(
        title=fields.pop("title", "Beteiligung zur Digitalstrategie"),
        introduction=fields.pop("introduction", "Bitte stimmen Sie ab."),
        opens_at=opens_at or now - datetime.timedelta(days=1),
        closes_at=closes_at or now + datetime.timedelta(days=5),
        named_results=named_results,
        **fields,
    )
    consultation.goals.set(goals if goals is not None else [make_goal()])
    return consultation


def make_closed_consultation(goals=None, **fields):
    now = timezone.now()
    return make_consultation(
        goals,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now - datetime.timedelta(days=1),
        **fields,
    )


def make_comment(consultation, author, text="Ein Kommentar.", goal=None, parent=None, **fields):
    return Comment.objects.create(
        consultation=consultation,
        goal=goal or consultation.goals.first(),
        author=author,
        parent=parent,
        text=text,
        **fields,
    )
