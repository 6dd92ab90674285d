"""Objects for the working-group tests, built directly (small helpers instead of factories)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from participation.models import Faction
from schools_wg.models import (
    Indicator,
    Member,
    ParityStandard,
    School,
    SchoolMeasurement,
    Session,
)
from strategy.models import FieldOfAction, Goal, Measure

_n = count(1)


def user(*roles, **fields):
    n = next(_n)
    fields.setdefault("username", f"person-{n}")
    fields.setdefault("first_name", "Person")
    fields.setdefault("last_name", f"Nr{n}")
    u = get_user_model().objects.create_user(password="x-sicheres-Passwort", **fields)
    u.groups.set([Group.objects.get_or_create(name=r)[0] for r in roles])
    return u


def member(user_obj=None, category=Member.Category.PARENTS, **fields):
    user_obj = user_obj or user("AG Schule")
    fields.setdefault("started_on", timezone.localdate() - timedelta(days=30))
    return Member.objects.create(user=user_obj, category=category, **fields)


def faction(short="A", **fields):
    fields.setdefault("name", f"Fraktion {short}")
    fields.setdefault("seats", 5)
    fields.setdefault("term_start", date(2024, 6, 1))
    return Faction.objects.create(short_name=short, **fields)


def session(days=7, capacity=10, **fields):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    fields.setdefault("title", "Sitzung der AG Schule")
    fields.setdefault("place", "Rathaus, Raum 101")
    return Session.objects.create(
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=capacity, **fields
    )


def school(name=None, school_type=School.SchoolType.GS, **fields):
    name = name or f"Schule {next(_n)}"
    return School.objects.create(name=name, school_type=school_type, **fields)


def indicator(code="pupils_per_device", direction=Indicator.Direction.LOWER, **fields):
    fields.setdefault("name", code.replace("_", " ").title())
    return Indicator.objects.create(code=code, direction=direction, **fields)


def standard(school_type, indicator_obj, threshold):
    return ParityStandard.objects.create(
        school_type=school_type, indicator=indicator_obj, threshold=Decimal(str(threshold))
    )


def measure_value(school_obj, indicator_obj, year, value=None, date_value=None):
    return SchoolMeasurement.objects.create(
        school=school_obj,
        indicator=indicator_obj,
        school_year=year,
        value=None if value is None else Decimal(str(value)),
        date_value=date_value,
    )


def strategy_measure():
    n = next(_n)
    field = FieldOfAction.objects.create(code=f"HF {n}", title="Digitale Schule")
    goal = Goal.objects.create(field=field, code=f"Z {n}.1", title="Gleichwertige Ausstattung")
    return Measure.objects.create(goal=goal, code=f"M {n}.1.1", title="WLAN in allen Schulen")
