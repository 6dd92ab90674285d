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
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Municipality

from .asof import AsOf

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
    # The Verwaltung's words for the chapter "Vorgehen und Beteiligung" (saved with the job).
    coordination: str = ""
    approach_text: str = ""
    # The records as of the end of the reporting date (made on first use).
    _as_of: AsOf | None = None

    @property
    def as_of(self) -> AsOf:
        if self._as_of is None:
            self._as_of = AsOf(self.reporting_date)
        return self._as_of


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
    """Fields → goals → measures with their milestones as of the reporting date, as plain data.

    Rebuilt from the history (`ctx.as_of`) and rolled up like `FieldOfAction.objects.tree()`:
    a goal is the weighted mean of its measures (cancelled ones excluded), a field the mean of
    its goals. One query per model.
    """
    if "strategy" in ctx.cache:
        return ctx.cache["strategy"]
    from strategy.models import FieldOfAction, Goal, Measure, Milestone, OrgUnit
    from strategy.selectors import CANCELLED, mean_progress, weighted_progress

    today = ctx.reporting_date
    as_of = ctx.as_of
    lifecycle_labels = dict(Measure.Lifecycle.choices)
    light_labels = dict(Measure.TrafficLight.choices)
    status_labels = dict(Goal.Status.choices)
    units = as_of.by_id(OrgUnit)

    def unit(unit_id):
        return str(units[unit_id]) if unit_id in units else ""

    field_objects = sorted(as_of.objects(FieldOfAction), key=lambda f: (f.position, f.code))
    field_ids = {f.pk for f in field_objects}
    goals_by_field = defaultdict(list)
    for goal in sorted(as_of.objects(Goal), key=lambda g: (g.position, g.code, g.pk)):
        if goal.field_id in field_ids:
            goals_by_field[goal.field_id].append(goal)
    measures_by_goal = defaultdict(list)
    for measure in sorted(as_of.objects(Measure), key=lambda m: (m.position, m.code, m.pk)):
        measures_by_goal[measure.goal_id].append(measure)
    milestones_by_measure = defaultdict(list)
    for milestone in sorted(as_of.objects(Milestone), key=lambda m: (m.due_date, m.position, m.pk)):
        milestones_by_measure[milestone.measure_id].append(
            {
                "title": milestone.title,
                "due_date": milestone.due_date,
                "done_on": milestone.done_on,
                "overdue": milestone.is_overdue(today),
            }
        )
    fields = []
    for field_of_action in field_objects:
        goals = []
        for goal in goals_by_field[field_of_action.pk]:
            measures = []
            for measure in measures_by_goal[goal.pk]:
                milestones = milestones_by_measure.get(measure.pk, [])
                measures.append(
                    {
                        "code": measure.code,
                        "title": measure.title,
                        "lead_unit": unit(measure.lead_unit_id),
                        "lifecycle": measure.lifecycle,
                        "lifecycle_label": str(lifecycle_labels[measure.lifecycle]),
                        "traffic_light": measure.traffic_light,
                        "traffic_light_label": str(light_labels[measure.traffic_light]),
                        "progress": measure.progress,
                        "weight": measure.weight,
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
                    "progress": weighted_progress(
                        (m["progress"], m["weight"])
                        for m in measures
                        if m["lifecycle"] != CANCELLED
                    ),
                    "measures": measures,
                }
            )
        fields.append(
            {
                "code": field_of_action.code,
                "title": field_of_action.title,
                "description": field_of_action.description,
                "lead_unit": unit(field_of_action.lead_unit_id),
                "progress": mean_progress(g["progress"] for g in goals),
                "goals": goals,
                "measure_count": sum(len(goal["measures"]) for goal in goals),
            }
        )
    ctx.cache["strategy"] = fields
    return fields


def _deadlines(ctx: ReportContext) -> tuple[list[dict], list[dict]]:
    """(overdue, upcoming within the horizon) as of the reporting date, like
    `strategy.querysets.overdue_deadlines` / `upcoming_deadlines` but on the rebuilt tree."""
    today = ctx.reporting_date
    horizon = today + timedelta(days=DEADLINE_HORIZON_DAYS)
    kinds = {"milestone": str(_("Milestone")), "measure": str(_("Planned end of measure"))}
    overdue, upcoming = [], []
    for f in _strategy_tree(ctx):
        for goal in f["goals"]:
            for m in goal["measures"]:
                entries = [("milestone", ms["due_date"], ms["title"]) for ms in m["milestones_due"]]
                if m["lifecycle"] not in ("completed", "cancelled") and m["planned_end"]:
                    entries.append(("measure", m["planned_end"], m["title"]))
                for kind, day, title in entries:
                    item = {"date": day, "what": title, "measure": m["code"], "kind": kinds[kind]}
                    if day < today:
                        overdue.append((kind, item))
                    elif day <= horizon:
                        upcoming.append((kind, item))

    def key(pair):
        return (pair[1]["date"], pair[1]["measure"], pair[0])

    return sorted(overdue, key=key), sorted(upcoming, key=key)


def build_summary(ctx: ReportContext) -> dict:
    from strategy.models import FieldOfAction, Goal, Measure, Milestone
    from strategy.selectors import mean_progress

    fields = _strategy_tree(ctx)
    measures = [m for f in fields for g in f["goals"] for m in g["measures"]]
    lifecycle = Counter(m["lifecycle"] for m in measures)
    lights = Counter(m["traffic_light"] for m in measures)
    overdue, upcoming = _deadlines(ctx)
    return {
        "as_of": _as_of_info(ctx, FieldOfAction, Goal, Measure, Milestone),
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
        "overdue_measures": [item for kind, item in overdue if kind == "measure"],
        "overdue_milestones": [item for kind, item in overdue if kind == "milestone"],
        "deadlines": [item for _kind, item in upcoming[:DEADLINE_LIMIT]],
        "deadline_count": len(upcoming),
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


def _as_of_info(ctx: ReportContext, *models) -> dict:
    """Where the chapter's figures come from: the moment, and how many records of its models
    the history cannot rebuild for that moment (the template says so beside the figures)."""
    return {"moment": ctx.as_of.moment, "missing": ctx.as_of.gap(*models)}


def build_fields(ctx: ReportContext) -> list[dict]:
    return _strategy_tree(ctx)


# --- Approach and participation (the chapter the motion asks for first) -----------------------------


def _state(start, end, now) -> str:
    """ "done", "running" or "planned" for a period [start, end] seen at `now`."""
    if end < now:
        return "done"
    return "running" if start <= now else "planned"


def build_approach(ctx: ReportContext) -> dict:
    """How the strategy is drawn up, by whom, on which dates, and how councillors take part:
    process phases, lead units, the working group, the consultations with their exact times,
    the committee dates, and the Verwaltung's text, all as of the reporting date."""
    from participation.models import Comment, Consultation, Vote
    from schools_wg import selectors as wg_selectors
    from schools_wg.models import Session
    from strategy.models import OrgUnit

    from .markup import blocks
    from .models import CommitteeDate, ProcessPhase

    as_of = ctx.as_of
    moment = as_of.moment
    day = ctx.reporting_date
    units = as_of.by_id(OrgUnit)
    municipality = Municipality.current()

    phases = [
        {
            "title": phase.title,
            "starts_on": phase.starts_on,
            "ends_on": phase.ends_on,
            "state": _state(phase.starts_on, phase.ends_on, day),
            "responsible": str(units[phase.responsible_id])
            if phase.responsible_id in units
            else "",
            "description": blocks(phase.description),
        }
        for phase in sorted(
            as_of.objects(ProcessPhase), key=lambda p: (p.starts_on, p.ends_on, p.pk)
        )
    ]
    current = [p for p in phases if p["state"] == "running"]
    coming = [p for p in phases if p["state"] == "planned"]

    lead_units: dict[str, list[str]] = {}
    for f in _strategy_tree(ctx):
        if f["lead_unit"]:
            lead_units.setdefault(f["lead_unit"], []).append(f"{f['code']} {f['title']}")

    goal_ids = as_of.m2m(Consultation, "goals")
    votes = Counter(vote.consultation_id for vote in as_of.objects(Vote))
    comments = Counter(
        c.consultation_id
        for c in as_of.objects(Comment)
        if c.withdrawn_at is None and c.hidden_at is None
    )
    consultations = [
        {
            "title": c.title,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "state": "done"
            if c.closes_at <= moment
            else ("running" if c.opens_at <= moment else "planned"),
            "goal_count": len(goal_ids.get(c.pk, ())),
            "named_results": c.named_results,
            "votes": votes.get(c.pk, 0),
            "comments": comments.get(c.pk, 0),
        }
        for c in _consultations(ctx)
    ]

    sessions = sorted(as_of.objects(Session), key=lambda s: (s.starts_at, s.pk))
    held = [s for s in sessions if s.starts_at <= moment]
    next_sessions = [
        {"title": s.title, "starts_at": s.starts_at, "place": s.place}
        for s in sessions
        if s.starts_at > moment
    ]
    members = sum(len(people) for people in wg_selectors.members_by_category(day).values())

    dates = [
        {
            "body": d.body,
            "meets_at": d.meets_at,
            "subject": d.subject,
            "purpose": d.purpose,
            "purpose_label": str(CommitteeDate.Purpose(d.purpose).label),
            "past": d.meets_at <= moment,
        }
        for d in sorted(as_of.objects(CommitteeDate), key=lambda d: (d.meets_at, d.pk))
    ]
    decision = next(
        (d for d in dates if not d["past"] and d["purpose"] == CommitteeDate.Purpose.DECISION),
        None,
    )
    return {
        "as_of": _as_of_info(ctx, ProcessPhase, CommitteeDate, Consultation, Session),
        "reporting_date": day,
        "motion_reference": municipality.motion_reference if municipality else "",
        "phases": phases,
        "first_start": phases[0]["starts_on"] if phases else None,
        "last_end": max((p["ends_on"] for p in phases), default=None),
        "phases_done": sum(p["state"] == "done" for p in phases),
        "current_phase": current[0] if current else None,
        "next_phase": coming[0] if coming else None,
        "coordination": ctx.coordination.strip(),
        "lead_units": [{"unit": unit, "fields": names} for unit, names in lead_units.items()],
        "working_group": {
            "members": members,
            "sessions_held": len(held),
            "next_sessions": next_sessions[:3],
            "more_sessions": max(len(next_sessions) - 3, 0),
        },
        "consultations": consultations,
        "consultations_done": sum(c["state"] == "done" for c in consultations),
        "consultations_running": sum(c["state"] == "running" for c in consultations),
        "consultations_planned": sum(c["state"] == "planned" for c in consultations),
        "committee_dates": dates,
        "decision": decision,
        "text": blocks(ctx.approach_text),
    }


# --- Funding plan ----------------------------------------------------------------------------------


def _funding_inputs(ctx: ReportContext):
    """The finance engine's inputs as of the reporting date: cost items, funding sources with
    their scopes, budget lines and plan period rebuilt from the history, in the shape
    `finance.selectors.load_inputs` reads them (its `item_row` and `source_row`)."""
    from finance import selectors
    from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
    from strategy.models import Goal, Measure

    as_of = ctx.as_of
    measures = as_of.by_id(Measure)
    goals = as_of.by_id(Goal)
    item_rows = []
    keys = {}
    for item in as_of.objects(CostItem):
        measure = measures.get(item.measure_id)
        goal = goals.get(measure.goal_id) if measure else None
        if goal is None:
            continue  # its measure did not exist on that date (cannot happen with PROTECT)
        keys[item.pk] = item.key
        item_rows.append(
            selectors.item_row(
                item,
                measure_code=measure.code,
                measure_title=measure.title,
                field_id=goal.field_id,
            )
        )
    sources = sorted(as_of.objects(FundingSource), key=lambda s: (s.priority, s.key))
    source_rows = [selectors.source_row(source) for source in sources]
    scopes = {
        source_pk: {keys[item_pk] for item_pk in item_pks if item_pk in keys}
        for source_pk, item_pks in as_of.m2m(FundingSource, "items").items()
    }
    budget = defaultdict(Decimal)
    for line in as_of.objects(BudgetLine):
        budget[line.year] += line.amount
    periods = as_of.objects(PlanPeriod)
    years = selectors.plan_years(
        (row["start_year"] for row in item_rows),
        period=periods[0] if periods else False,
        this_year=ctx.reporting_date.year,
    )
    inputs = selectors.build_inputs(
        item_rows, source_rows, scopes, dict(sorted(budget.items())), years
    )
    return inputs, as_of.gap(CostItem, FundingSource, BudgetLine, PlanPeriod)


def build_funding(ctx: ReportContext) -> dict:
    """The multi-year plan, grants per source, funding cliffs and costs per field, computed by
    the finance engine (`finance.selectors.plan_for`, as on /finanzen/) from the costs, grants
    and budgets as of the reporting date."""
    from finance.selectors import plan_for

    inputs, missing = _funding_inputs(ctx)
    if not inputs.items:
        return {"available": False, "as_of": {"moment": ctx.as_of.moment, "missing": missing}}
    plan = plan_for(inputs=inputs, summaries=True)
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
    from strategy.models import FieldOfAction

    fields = ctx.as_of.by_id(FieldOfAction)
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
        "as_of": {"moment": ctx.as_of.moment, "missing": missing},
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


def _consultations(ctx: ReportContext) -> list:
    """Every consultation as of the reporting date (held or planned), oldest first."""
    from participation.models import Consultation

    return sorted(ctx.as_of.objects(Consultation), key=lambda c: (c.opens_at, c.pk))


def build_participation(ctx: ReportContext) -> dict:
    """Consultations held by the reporting date, each goal's votes per faction and the comments,
    as of that date: consultations with their goals, factions, votes and comments rebuilt from
    the history, tallied like `participation.results.goal_results`."""
    from participation.models import Comment, Consultation, Faction, Vote
    from participation.selectors import CHOICES, Tally
    from strategy.models import FieldOfAction, Goal

    as_of = ctx.as_of
    moment = as_of.moment
    held = [c for c in _consultations(ctx) if c.opens_at <= moment]
    goal_ids = as_of.m2m(Consultation, "goals")
    goals = as_of.by_id(Goal)
    field_positions = {f.pk: f.position for f in as_of.objects(FieldOfAction)}
    factions = as_of.objects(Faction)
    votes = defaultdict(list)
    for vote in as_of.objects(Vote):
        votes[vote.consultation_id].append(vote)
    comment_counts = Counter(
        comment.consultation_id
        for comment in as_of.objects(Comment)
        if comment.withdrawn_at is None and comment.hidden_at is None
    )
    consultations = []
    for consultation in held:
        day = timezone.localtime(min(consultation.closes_at, moment)).date()
        voted = {vote.faction_id for vote in votes[consultation.pk]}
        counted = sorted(
            (
                f
                for f in factions
                if (f.term_start <= day and (f.term_end is None or f.term_end >= day))
                or f.pk in voted
            ),
            key=lambda f: (-f.seats, f.name),
        )
        consultation_goals = sorted(
            (goals[pk] for pk in goal_ids.get(consultation.pk, ()) if pk in goals),
            key=lambda g: (field_positions.get(g.field_id, 0), g.position, g.code),
        )
        tallies = {
            goal.pk: {f.pk: Tally(seats=f.seats) for f in counted} for goal in consultation_goals
        }
        for vote in votes[consultation.pk]:
            if vote.goal_id in tallies and vote.faction_id in tallies[vote.goal_id]:
                tallies[vote.goal_id][vote.faction_id].add(vote.choice, 1)
        goal_rows = []
        for goal in consultation_goals:
            totals = Tally(seats=sum(f.seats for f in counted))
            for tally in tallies[goal.pk].values():
                for choice in CHOICES:
                    totals.add(choice, getattr(tally, choice))
            goal_rows.append(
                {
                    "code": goal.code,
                    "title": goal.title,
                    "factions": [
                        {
                            "name": f.name,
                            "short_name": f.short_name,
                            **_tally(tallies[goal.pk][f.pk]),
                        }
                        for f in counted
                    ],
                    "totals": _tally(totals),
                }
            )
        consultations.append(
            {
                "title": consultation.title,
                "opens_at": consultation.opens_at,
                "closes_at": consultation.closes_at,
                "is_open": consultation.is_open_at(moment),
                "named_results": consultation.named_results,
                "comment_count": comment_counts.get(consultation.pk, 0),
                "goals": goal_rows,
            }
        )
    return {
        "as_of": _as_of_info(ctx, Consultation, Faction, Vote, Comment),
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
    from schools_wg import selectors as wg_selectors
    from schools_wg.selectors import UNMET

    day = ctx.reporting_date
    members = wg_selectors.members_by_category(day)
    representation = wg_selectors.faction_representation(day)
    # Sessions up to the reporting date; members by their dated memberships on that day.
    sessions = wg_selectors.sessions_held(until=ctx.as_of.moment)
    parity = wg_selectors.parity_overview(behind=None)  # all behind: the cut list counts the rest
    behind = parity["furthest_behind"]
    members_by_category = [
        {"label": str(label), "count": len(people)} for label, people in members.items()
    ]
    available = bool(
        any(row["count"] for row in members_by_category) or sessions or parity["indicators"]
    )
    return {
        "available": available,
        # The parity values are today's records (the history of single values is not replayed).
        "parity_is_current": ctx.as_of.is_current,
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

    from core.history import history_entries

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
    ("approach", build_approach),
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
