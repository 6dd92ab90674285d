"""Demo strategy for Plauen: six Handlungsfelder, their goals, measures and milestones.

The data is in `demo_data/units.yaml` and `demo_data/strategy.yaml`. Idempotent: every object is
found by its natural key (codes, the milestone's title within its measure) and only saved when a
value differs.
"""

from decimal import Decimal

from django.utils import timezone

from core.demo import ensure, load, when

from .models import FieldOfAction, Goal, Measure, Milestone, OrgUnit


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _record(data, *, skip, dates=(), units=(), unit_by_name, now):
    """The model fields of one YAML record: dates resolved, units looked up by name."""
    fields = {key: value for key, value in data.items() if key not in skip}
    for key in dates:
        fields[key] = when(fields[key], now)
    for key in units:
        fields[key] = unit_by_name[fields[key]]
    return fields


def seed(stdout=None):
    now = timezone.now()
    units = {}
    for unit in load(__package__, "units"):
        units[unit["name"]], _ = ensure(
            OrgUnit, name=unit["name"], defaults={"short_name": unit["short_name"]}
        )
    record = {"unit_by_name": units, "now": now}
    counts = {"fields": 0, "goals": 0, "measures": 0, "milestones": 0}
    for f_pos, f_data in enumerate(load(__package__, "strategy"), start=1):
        defaults = _record(f_data, skip={"code", "goals"}, units=["lead_unit"], **record)
        field, _ = ensure(
            FieldOfAction, code=f_data["code"], defaults={**defaults, "position": f_pos}
        )
        counts["fields"] += 1
        for g_pos, g_data in enumerate(f_data["goals"], start=1):
            defaults = _record(
                g_data,
                skip={"code", "measures"},
                dates=["target_date"],
                units=["owner_unit"],
                **record,
            )
            defaults["baseline"] = _decimal(defaults["baseline"])
            defaults["target_value"] = _decimal(defaults["target_value"])
            goal, _ = ensure(
                Goal, field=field, code=g_data["code"], defaults={**defaults, "position": g_pos}
            )
            counts["goals"] += 1
            for m_pos, m_data in enumerate(g_data["measures"], start=1):
                defaults = _record(
                    m_data,
                    skip={"code", "milestones"},
                    dates=["planned_start", "planned_end", "actual_start", "actual_end"],
                    units=["lead_unit"],
                    **record,
                )
                measure, _ = ensure(
                    Measure,
                    goal=goal,
                    code=m_data["code"],
                    defaults={**defaults, "position": m_pos},
                )
                counts["measures"] += 1
                for ms_pos, ms_data in enumerate(m_data["milestones"], start=1):
                    defaults = _record(
                        ms_data, skip={"title"}, dates=["due_date", "done_on"], **record
                    )
                    ensure(
                        Milestone,
                        measure=measure,
                        title=ms_data["title"],
                        defaults={**defaults, "position": ms_pos},
                    )
                    counts["milestones"] += 1
    if stdout is not None:
        stdout.write(
            "Strategie: {fields} Handlungsfelder, {goals} Ziele, {measures} Maßnahmen, "
            "{milestones} Meilensteine.".format(**counts)
        )
    return counts
