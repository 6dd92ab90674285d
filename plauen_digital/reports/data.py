"""The figures of a status report, chapter by chapter.

Each builder takes the `ReportContext` and returns plain data (dicts, lists, dates, Decimals) for
the print templates. `snapshot()` turns all of it into JSON for the job's frozen snapshot, and
`figures()` flattens the comparable numbers so two reports can be compared.

Every chapter reads through the owning app's read functions where the app documents them (see
docs/architecture.md); until then it reads the app's models. A chapter without data says so in
German instead of failing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from plauen_digital.accounts.models import Municipality

# How far ahead the summary looks for deadlines, and how many it lists.
DEADLINE_HORIZON_DAYS = 120
DEADLINE_LIMIT = 12
# The annex lists at most this many single changes; the counts per kind cover everything.
CHANGES_LIMIT = 150
# How many schools the parity overview names as furthest behind.
PARITY_BEHIND_LIMIT = 5


@dataclass
class ReportContext:
    """What every chapter builder knows about the report it builds."""

    title: str
    reporting_date: date
    # The previous finished report's start, for the annex of changes (None: the first report).
    changes_since: datetime | None = None
    changes_until: datetime | None = None
    cache: dict = field(default_factory=dict)


# --- Cover ---------------------------------------------------------------------------------------


def build_cover(ctx: ReportContext) -> dict:
    municipality = Municipality.current()
    return {
        "municipality": municipality.name if municipality else "",
        "motion_reference": municipality.motion_reference if municipality else "",
        "title": ctx.title,
        "reporting_date": ctx.reporting_date,
    }


# --- Strategy (summary and one chapter per Handlungsfeld) -------------------------------------------


def _strategy_tree(ctx: ReportContext) -> list[dict]:
    """Fields → goals → measures (strategy's `tree()` read) with their milestones, as plain data."""
    if "strategy" in ctx.cache:
        return ctx.cache["strategy"]
    from strategy.models import FieldOfAction, Goal, Measure, Milestone

    today = ctx.reporting_date
    lifecycle_labels = dict(Measure.Lifecycle.choices)
    light_labels = dict(Measure.TrafficLight.choices)
    status_labels = dict(Goal.Status.choices)

    milestones_by_measure = defaultdict(list)
    for milestone in Milestone.objects.order_by("due_date", "pk"):
        milestones_by_measure[milestone.measure_id].append(
            {
                "title": milestone.title,
                "due_date": milestone.due_date,
                "done_on": milestone.done_on,
                "overdue": milestone.is_overdue(today),
            }
        )
    fields = []
    for field_of_action in FieldOfAction.objects.order_by("position", "code").tree():
        goals = []
        for goal in field_of_action.goal_list:
            measures = []
            for measure in goal.measure_list:
                milestones = milestones_by_measure.get(measure.pk, [])
                measures.append(
                    {
                        "code": measure.code,
                        "title": measure.title,
                        "lead_unit": str(measure.lead_unit) if measure.lead_unit else "",
                        "lifecycle": measure.lifecycle,
                        "lifecycle_label": str(lifecycle_labels[measure.lifecycle]),
                        "traffic_light": measure.traffic_light,
                        "traffic_light_label": str(light_labels[measure.traffic_light]),
                        "progress": measure.progress,
                        "planned_start": measure.planned_start,
                        "planned_end": measure.planned_end,
                        "actual_start": measure.actual_start,
                        "actual_end": measure.actual_end,
                        "overdue": measure.is_overdue(today),
                        "milestones_done": [m for m in milestones if m["done_on"]],
                        "milestones_due": [m for m in milestones if not m["done_on"]],
                    }
                )
            goals.append(
                {
                    "code": goal.code,
                    "title": goal.title,
                    "indicator": goal.indicator,
                    "indicator_unit": goal.indicator_unit,
                    "baseline": goal.baseline,
                    "target_value": goal.target_value,
                    "target_date": goal.target_date,
                    "status_label": str(status_labels[goal.status]),
                    "progress": goal.progress,
                    "measures": measures,
                }
            )
        fields.append(
            {
                "code": field_of_action.code,
                "title": field_of_action.title,
                "description": field_of_action.description,
                "lead_unit": str(field_of_action.lead_unit) if field_of_action.lead_unit else "",
                "progress": field_of_action.progress,
                "goals": goals,
                "measure_count": sum(len(goal["measures"]) for goal in goals),
            }
        )
    ctx.cache["strategy"] = fields
    return fields


def build_summary(ctx: ReportContext) -> dict:
    from strategy.models import Measure
    from strategy.querysets import mean_progress, overdue_deadlines, upcoming_deadlines

    fields = _strategy_tree(ctx)
    measures = [m for f in fields for g in f["goals"] for m in g["measures"]]
    lifecycle = Counter(m["lifecycle"] for m in measures)
    lights = Counter(m["traffic_light"] for m in measures)
    today = ctx.reporting_date
    kinds = {"milestone": _("Milestone"), "measure": _("Planned end of measure")}

    def deadline(item):
        return {
            "date": item.date,
            "what": item.title,
            "measure": item.measure.code,
            "kind": str(kinds[item.kind]),
        }

    overdue = overdue_deadlines(today)
    # All of them are counted, so the cut list can say how many it leaves out.
    upcoming = upcoming_deadlines(DEADLINE_HORIZON_DAYS, today)
    return {
        "field_count": len(fields),
        "goal_count": sum(len(f["goals"]) for f in fields),
        "measure_count": len(measures),
        "overall_progress": mean_progress(f["progress"] for f in fields),
        "lifecycle_counts": [
            {"key": value, "label": str(label), "count": lifecycle.get(value, 0)}
            for value, label in Measure.Lifecycle.choices
        ],
        "traffic_light_counts": [
            {"key": value, "label": str(label), "count": lights.get(value, 0)}
            for value, label in Measure.TrafficLight.choices
        ],
        "overdue_measures": [deadline(d) for d in overdue if d.kind == "measure"],
        "overdue_milestones": [deadline(d) for d in overdue if d.kind == "milestone"],
        "deadlines": [deadline(d) for d in upcoming[:DEADLINE_LIMIT]],
        "deadlines_more": max(len(upcoming) - DEADLINE_LIMIT, 0),
        "deadline_horizon_days": DEADLINE_HORIZON_DAYS,
        "fields": [
            {
                "code": f["code"],
                "title": f["title"],
                "progress": f["progress"],
                "goal_count": len(f["goals"]),
                "measure_count": f["measure_count"],
            }
            for f in fields
        ],
    }


def build_fields(ctx: ReportContext) -> list[dict]:
    return _strategy_tree(ctx)


# --- Funding plan ----------------------------------------------------------------------------------


def build_funding(ctx: ReportContext) -> dict:
    """The multi-year plan, grants per source, funding cliffs and costs per field, from the
    finance engine through `finance.services.plan_for` (the same figures as /finanzen/)."""
    from finance.services import plan_for
    from strategy.models import FieldOfAction

    plan = plan_for(summaries=True)
    if not plan.inputs.items:
        return {"available": False}
    first, last = plan.years
    columns = (
        "cost_once",
        "cost_annual",
        "cost",
        "grants_total",
        "own_required",
        "budgeted",
        "gap",
    )
    rows = [
        {
            **{column: getattr(row, column) for column in columns},
            "year": row.year,
            "coverage_pct": row.coverage_pct,
        }
        for row in plan.rows
    ]
    fields = {f.pk: f for f in FieldOfAction.objects.order_by("position", "code")}
    per_field = [
        {
            "label": f"{fields[field_id].code} {fields[field_id].title}",
            "position": (fields[field_id].position, fields[field_id].code),
            "cost": item.cost,
            "grants": item.grants,
            "own": item.own_required,
            "gap": item.gap,
        }
        for field_id, item in plan.field_summaries.items()
        if field_id in fields
    ]
    per_field.sort(key=lambda f: f.pop("position"))
    return {
        "available": True,
        "first_year": first,
        "last_year": last,
        "rows": rows,
        "totals": {column: plan.total(column) for column in columns},
        "coverage_pct": plan.coverage_pct,
        "sources": [
            {
                "title": column.title,
                "by_year": [row.grants.get(column.key, 0) for row in plan.rows],
                "total": plan.grant_total(column.key),
            }
            for column in plan.sources
        ],
        "cliffs": [
            {
                "title": cliff.title,
                "last_year": cliff.last_year,
                "recurring_total": cliff.recurring_total,
                "recurring_per_year": cliff.recurring_per_year,
                "item_count": len(cliff.item_keys),
                "measures": [m.code for m in cliff.measures],
            }
            for cliff in plan.cliffs
        ],
        "per_field": per_field,
    }


# --- Council participation -------------------------------------------------------------------------


def build_participation(ctx: ReportContext) -> dict:
    """Consultations held so far, each goal's votes per faction, and the comments."""
    from participation.results import consultations_held

    consultations = []
    for held in consultations_held():
        consultation = held.consultation
        goals = []
        for goal, result in held.goals:
            goals.append(
                {
                    "code": goal.code,
                    "title": goal.title,
                    "factions": [
                        {
                            "name": row.faction.name,
                            "short_name": row.faction.short_name,
                            **_tally(row.tally),
                        }
                        for row in result.factions
                    ],
                    "totals": _tally(result.totals),
                }
            )
        consultations.append(
            {
                "title": consultation.title,
                "opens_at": consultation.opens_at,
                "closes_at": consultation.closes_at,
                "is_open": held.is_open,
                "named_results": consultation.named_results,
                "comment_count": held.comment_count,
                "goals": goals,
            }
        )
    return {
        "consultations": consultations,
        "comment_count": sum(c["comment_count"] for c in consultations),
    }


def _tally(tally) -> dict:
    return {
        "seats": tally.seats,
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "not_voted": tally.not_voted,
    }


# --- School working group ---------------------------------------------------------------------------


def build_working_group(ctx: ReportContext) -> dict:
    """Members by category, factions represented, sessions held, the parity overview."""
    from schools_wg import summary
    from schools_wg.parity import UNMET

    day = ctx.reporting_date
    members = summary.members_by_category(day)
    representation = summary.faction_representation(day)
    sessions = summary.sessions_held()
    parity = summary.parity_overview(behind=None)  # all behind: the cut list counts the rest
    behind = parity["furthest_behind"]
    members_by_category = [
        {"label": str(label), "count": len(people)} for label, people in members.items()
    ]
    available = bool(
        any(row["count"] for row in members_by_category) or sessions or parity["indicators"]
    )
    return {
        "available": available,
        "members_by_category": members_by_category,
        "member_count": sum(row["count"] for row in members_by_category),
        "factions_represented": [f.name for f, _member in representation["represented"]],
        "factions_missing": [f.name for f in representation["missing"]],
        "sessions": [
            {
                "title": held["session"].title,
                "starts_at": held["starts_at"],
                "registered": held["registered"],
                "attended": held["attended"],
            }
            for held in sessions
        ],
        "parity": {
            "school_year": parity["school_year"],
            "indicators": [
                {
                    "name": item.indicator.name,
                    "unit": item.indicator.unit,
                    "met": item.met,
                    "with_standard": item.with_standard,
                    "share": item.share,
                    "minimum": item.minimum,
                    "median": item.median,
                    "maximum": item.maximum,
                    "decimals": item.indicator.decimals,
                }
                for item in parity["indicators"]
            ],
            "behind": [
                {
                    "name": row.school.name,
                    "type": row.school.school_type,
                    "unmet": row.unmet,
                    "missed": [
                        cell.indicator.name
                        for cell in row.cells
                        if cell.status == UNMET and cell.indicator
                    ],
                }
                for row in behind[:PARITY_BEHIND_LIMIT]
            ],
            "behind_more": max(len(behind) - PARITY_BEHIND_LIMIT, 0),
        },
    }


# --- Annex: changes since the previous report --------------------------------------------------------


def build_changes(ctx: ReportContext) -> dict:
    """History records of every audited model between the previous report and this one.

    Only real changes: a save that changed no field a user edits (a no-op edit, a version bump)
    is neither listed nor counted. Each object's record before the window is read too, so the
    first change in the window is diffed against what the object was before it.
    """
    from simple_history.models import registered_models

    from plauen_digital.history import history_entries

    if ctx.changes_since is None:
        return {"first_report": True, "counts": [], "entries": [], "more": 0}
    type_labels = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    counts = []
    entries = []
    for model in sorted(registered_models.values(), key=lambda m: str(m._meta.verbose_name)):
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if model._meta.app_label == "reports" or not manager:
            continue
        history = getattr(model, manager).model.objects
        pk_name = model._meta.pk.attname
        touched = history.filter(
            history_date__gt=ctx.changes_since, history_date__lte=ctx.changes_until
        ).values(pk_name)
        records = history.filter(**{f"{pk_name}__in": touched}, history_date__lte=ctx.changes_until)
        real = [e for e in history_entries(records) if e.date > ctx.changes_since]
        if not real:
            continue
        per_type = Counter(e.action for e in real)
        counts.append(
            {
                "model": str(model._meta.verbose_name_plural),
                "created": per_type.get("+", 0),
                "changed": per_type.get("~", 0),
                "deleted": per_type.get("-", 0),
            }
        )
        for entry in real[:CHANGES_LIMIT]:
            entries.append(
                {
                    "when": entry.date,
                    "model": str(model._meta.verbose_name),
                    "object": entry.label,
                    "type": str(type_labels[entry.action]),
                    "changes": [str(c) for c in entry.changes] if entry.action == "~" else [],
                    "who": str(entry.user) if entry.user else "",
                    "reason": entry.reason,
                }
            )
    total = sum(row["created"] + row["changed"] + row["deleted"] for row in counts)
    entries.sort(key=lambda e: e["when"], reverse=True)
    shown = entries[:CHANGES_LIMIT]
    return {
        "first_report": False,
        "since": ctx.changes_since,
        "until": ctx.changes_until,
        "counts": counts,
        "entries": shown,
        "more": total - len(shown),
    }


# The chapters in the order they are built; the task reports progress after each.
CHAPTERS = (
    ("cover", build_cover),
    ("summary", build_summary),
    ("fields", build_fields),
    ("funding", build_funding),
    ("participation", build_participation),
    ("working_group", build_working_group),
    ("changes", build_changes),
)


# --- Snapshot and comparison -------------------------------------------------------------------------


def snapshot(data: dict) -> dict:
    """The report's data as JSON, with the flat comparable figures on top."""
    return json.loads(
        json.dumps({"version": 1, "figures": figures(data), "data": data}, cls=DjangoJSONEncoder)
    )


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def figures(data: dict) -> dict:
    """Flat {key: {"label", "value"}} of what a reader compares between two reports."""
    out = {}

    def put(key, label, value):
        out[key] = {"label": str(label), "value": _number(value)}

    summary = data.get("summary") or {}
    if summary:
        put("strategy.progress", _("Overall progress (%)"), summary["overall_progress"])
        put("strategy.fields", _("Fields of action"), summary["field_count"])
        put("strategy.goals", _("Goals"), summary["goal_count"])
        put("strategy.measures", _("Measures"), summary["measure_count"])
        for row in summary["lifecycle_counts"]:
            put(f"strategy.lifecycle.{row['key']}", _("Measures: %s") % row["label"], row["count"])
        for row in summary["traffic_light_counts"]:
            put(
                f"strategy.light.{row['key']}",
                _("Traffic light: %s") % row["label"],
                row["count"],
            )
        put("strategy.overdue_measures", _("Overdue measures"), len(summary["overdue_measures"]))
        put(
            "strategy.overdue_milestones",
            _("Overdue milestones"),
            len(summary["overdue_milestones"]),
        )
    for f in data.get("fields") or []:
        put(f"field.{f['code']}.progress", _("%s: progress (%%)") % f["code"], f["progress"])
        for goal in f["goals"]:
            for m in goal["measures"]:
                put(
                    f"measure.{m['code']}.progress",
                    _("%s: progress (%%)") % m["code"],
                    m["progress"],
                )
                put(
                    f"measure.{m['code']}.lifecycle",
                    _("%s: lifecycle") % m["code"],
                    m["lifecycle_label"],
                )
    funding = data.get("funding") or {}
    for row in funding.get("rows", []):
        put(f"funding.{row['year']}.cost", _("Costs %s") % row["year"], row["cost"])
        put(f"funding.{row['year']}.grants", _("Grants %s") % row["year"], row["grants_total"])
        put(f"funding.{row['year']}.gap", _("Funding gap %s") % row["year"], row["gap"])
    participation = data.get("participation") or {}
    if participation:
        put(
            "participation.consultations",
            _("Consultations held"),
            len(participation.get("consultations", [])),
        )
        put("participation.comments", _("Comments"), participation.get("comment_count", 0))
    wg = data.get("working_group") or {}
    if wg:
        put("wg.sessions", _("Working group sessions held"), len(wg.get("sessions", [])))
        put("wg.members", _("Working group members"), wg.get("member_count", 0))
        for item in (wg.get("parity") or {}).get("indicators", []):
            put(
                f"wg.parity.{item['name']}",
                _("Schools at standard: %s") % item["name"],
                item["met"],
            )
    return out


def compare(older: dict, newer: dict) -> list[dict]:
    """What changed between two snapshots: one row per figure that differs (added/removed too)."""
    old = (older or {}).get("figures", {})
    new = (newer or {}).get("figures", {})
    rows = []
    for key in list(old) + [k for k in new if k not in old]:
        before, after = old.get(key), new.get(key)
        before_value = before["value"] if before else None
        after_value = after["value"] if after else None
        if before_value == after_value:
            continue
        difference = None
        if isinstance(before_value, int | float) and isinstance(after_value, int | float):
            difference = round(after_value - before_value, 1)
        rows.append(
            {
                "key": key,
                "label": (after or before)["label"],
                "before": before_value,
                "after": after_value,
                "difference": difference,
            }
        )
    return rows
