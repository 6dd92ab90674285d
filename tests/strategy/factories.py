"""Small builders for strategy objects in tests."""

from datetime import date
from decimal import Decimal

from strategy.models import FieldOfAction, Goal, Measure, Milestone, OrgUnit

_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


def org_unit(name=None, **kw):
    return OrgUnit.objects.create(name=name or f"Amt {_next()}", **kw)


def field(code=None, **kw):
    n = _next()
    kw.setdefault("title", f"Handlungsfeld {n}")
    kw.setdefault("position", n)
    return FieldOfAction.objects.create(code=code or f"HF {n}", **kw)


def goal(field_=None, code=None, **kw):
    field_ = field_ or field()
    n = _next()
    kw.setdefault("title", f"Ziel {n}")
    kw.setdefault("position", n)
    return Goal.objects.create(field=field_, code=code or f"Z {n}", **kw)


def measure(goal_=None, code=None, **kw):
    goal_ = goal_ or goal()
    n = _next()
    kw.setdefault("title", f"Maßnahme {n}")
    kw.setdefault("position", n)
    kw.setdefault("weight", Decimal("1"))
    return Measure.objects.create(goal=goal_, code=code or f"M {n}", **kw)


def milestone(measure_=None, **kw):
    measure_ = measure_ or measure()
    kw.setdefault("title", f"Meilenstein {_next()}")
    kw.setdefault("due_date", date(2026, 12, 15))
    return Milestone.objects.create(measure=measure_, **kw)
