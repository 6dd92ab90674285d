"""Reads of the strategy: QuerySet methods and the few read functions built on them.

Other apps (status report, finance, schools_wg) call these; they are listed in
docs/architecture.md, section "strategy". Every function here runs a fixed number of queries,
whatever the number of rows.

Progress rolls up: a goal's progress is the mean of its measures' progress weighted by
`Measure.weight` (cancelled measures do not count); a field's progress is the mean of its goals'
progress (goals without any counted measure do not count); the overall progress is the mean of
the fields'. None means "nothing to measure yet".
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

COMPLETED = "completed"
CANCELLED = "cancelled"
CLOSED = (COMPLETED, CANCELLED)


def weighted_progress(pairs):
    """Weighted mean of (progress, weight) pairs as a Decimal with one decimal place, or None."""
    pairs = [(Decimal(p), Decimal(w)) for p, w in pairs]
    total = sum((w for _, w in pairs), Decimal(0))
    if not total:
        return None
    value = sum((p * w for p, w in pairs), Decimal(0)) / total
    return value.quantize(Decimal("0.1"))


def mean_progress(values):
    """Plain mean of the values that are not None (one decimal place), or None."""
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def ratio_progress(progress_sum, weight_sum):
    """progress_sum / weight_sum from `GoalQuerySet.with_progress()` (one decimal place) or None."""
    if not weight_sum:
        return None
    return (Decimal(progress_sum) / Decimal(weight_sum)).quantize(Decimal("0.1"))


def _today(today):
    return today or timezone.localdate()


# What "not archived" means on each level: the item and every parent above it.
ACTIVE = {
    "field": Q(archived_at__isnull=True),
    "goal": Q(archived_at__isnull=True, field__archived_at__isnull=True),
    "measure": Q(
        archived_at__isnull=True,
        goal__archived_at__isnull=True,
        goal__field__archived_at__isnull=True,
    ),
    "milestone": Q(
        measure__archived_at__isnull=True,
        measure__goal__archived_at__isnull=True,
        measure__goal__field__archived_at__isnull=True,
    ),
}


class ArchiveQuerySetMixin:
    """`.active()`: what the working views show; `.archived()`: archived here or above."""

    level = None

    def active(self):
        return self.filter(ACTIVE[self.level])

    def archived(self):
        return self.exclude(ACTIVE[self.level])


class FieldOfActionQuerySet(ArchiveQuerySetMixin, models.QuerySet):
    level = "field"

    def tree(self, measures=None, archived=True):
        """The strategy tree with rolled-up progress, in three queries.

        Returns the fields (model instances, ordered) each with `.goal_list` and `.progress`;
        each goal with `.measure_list` and `.progress`; each measure with `.overdue` (bool) and
        `.open_milestones` / `.overdue_milestones` (counts). `measures` may be a Measure queryset
        to read them from (e.g. with extra select_related); it must not be filtered, or the
        roll-up would be wrong. With `archived=False` archived fields, goals and measures are left
        out (the working views); by default they count (reports and results keep them).
        """
        from .models import Goal, Measure

        today = timezone.localdate()
        fields_qs = self if archived else self.active()
        fields = list(fields_qs.select_related("lead_unit"))
        field_ids = [f.pk for f in fields]
        goal_qs = Goal.objects.all() if archived else Goal.objects.active()
        goals = list(goal_qs.filter(field_id__in=field_ids).select_related("owner_unit"))
        measure_qs = measures if measures is not None else Measure.objects.all()
        if not archived:
            measure_qs = measure_qs.active()
        measure_list = list(measure_qs.filter(goal__field_id__in=field_ids).for_overview(today))
        by_goal = defaultdict(list)
        for measure in measure_list:
            measure.overdue = measure.is_overdue(today)
            by_goal[measure.goal_id].append(measure)
        by_field = defaultdict(list)
        for goal in goals:
            goal.measure_list = by_goal.get(goal.pk, [])
            goal.progress = weighted_progress(
                (m.progress, m.weight) for m in goal.measure_list if m.lifecycle != CANCELLED
            )
            by_field[goal.field_id].append(goal)
        for f in fields:
            f.goal_list = by_field.get(f.pk, [])
            f.progress = mean_progress(g.progress for g in f.goal_list)
        return fields


class GoalQuerySet(ArchiveQuerySetMixin, models.QuerySet):
    level = "goal"

    def with_progress(self):
        """Annotate `progress_sum` and `weight_sum` (cancelled measures excluded).

        A goal's progress is progress_sum / weight_sum; see `goal_progress_by_field`.
        """
        counted = ~Q(measures__lifecycle=CANCELLED)
        return self.annotate(
            progress_sum=Sum(F("measures__progress") * F("measures__weight"), filter=counted),
            weight_sum=Sum("measures__weight", filter=counted),
        )

    def progress_by_field(self):
        """{field id: [goal progress, …]} in one query (None where a goal has nothing counted)."""
        result = defaultdict(list)
        for field_id, progress_sum, weight_sum in self.with_progress().values_list(
            "field_id", "progress_sum", "weight_sum"
        ):
            result[field_id].append(ratio_progress(progress_sum, weight_sum))
        return result

    def overall_progress(self):
        """Mean of the fields' progress (each the mean of its goals'), in one query."""
        by_field = self.progress_by_field()
        return mean_progress(mean_progress(values) for values in by_field.values())


class MeasureQuerySet(ArchiveQuerySetMixin, models.QuerySet):
    level = "measure"

    def open(self):
        """Neither completed nor cancelled."""
        return self.exclude(lifecycle__in=CLOSED)

    def overdue(self, today=None):
        """Open measures whose planned end has passed."""
        return self.open().filter(planned_end__lt=_today(today))

    def ending_between(self, start, end):
        """Open measures whose planned end lies in [start, end]."""
        return self.open().filter(planned_end__gte=start, planned_end__lte=end)

    def with_context(self):
        """select_related what a list of measures shows: goal, field and lead unit."""
        return self.select_related("goal__field", "lead_unit")

    def with_milestone_counts(self, today=None):
        today = _today(today)
        open_q = Q(milestones__done_on__isnull=True)
        return self.annotate(
            open_milestones=Count("milestones", filter=open_q, distinct=True),
            overdue_milestones=Count(
                "milestones", filter=open_q & Q(milestones__due_date__lt=today), distinct=True
            ),
        )

    def for_overview(self, today=None):
        """Measure rows of the overview: lead unit, milestone counts, in tree order."""
        return (
            self.select_related("lead_unit")
            .with_milestone_counts(today)
            .order_by("position", "code", "pk")
        )

    def search(self, text):
        """Measures whose code or title (or their goal's or field's) contains `text`."""
        q = Q()
        attrs = (
            "code",
            "title",
            "goal__code",
            "goal__title",
            "goal__field__code",
            "goal__field__title",
        )
        for attr in attrs:
            q |= Q(**{f"{attr}__icontains": text})
        return self.filter(q)

    def counts_by_lifecycle(self):
        """[(value, label, count)] for every lifecycle, in one query."""
        from .models import Measure

        counts = dict(self.order_by().values_list("lifecycle").annotate(n=Count("pk")))
        return [(v, label, counts.get(v, 0)) for v, label in Measure.Lifecycle.choices]


class MilestoneQuerySet(ArchiveQuerySetMixin, models.QuerySet):
    level = "milestone"

    def open(self):
        return self.filter(done_on__isnull=True)

    def done(self):
        return self.filter(done_on__isnull=False)

    def overdue(self, today=None):
        """Not done and the due date has passed."""
        return self.open().filter(due_date__lt=_today(today))

    def due_between(self, start, end):
        return self.open().filter(due_date__gte=start, due_date__lte=end)

    def with_context(self):
        return self.select_related("measure__goal__field", "measure__lead_unit")


@dataclass
class Deadline:
    """One date someone has to meet: a milestone or the planned end of a measure."""

    kind: str  # "milestone" or "measure"
    date: date
    title: str
    measure: object
    milestone: object = None
    overdue: bool = False

    @property
    def lead_unit(self):
        return self.measure.lead_unit

    @property
    def url(self):
        return (self.milestone or self.measure).get_absolute_url()

    @property
    def uid_key(self):
        obj = self.milestone or self.measure
        return f"strategy-{self.kind}-{obj.pk}"


@dataclass
class UnitDeadlines:
    unit: object  # OrgUnit or None ("no lead unit")
    overdue: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)


def overdue_deadlines(today=None):
    """Overdue milestones and measures (oldest first), in two queries; archived ones have none."""
    from .models import Measure, Milestone

    today = _today(today)
    items = [
        Deadline("milestone", m.due_date, m.title, m.measure, m, overdue=True)
        for m in Milestone.objects.active().overdue(today).with_context()
    ]
    items += [
        Deadline("measure", m.planned_end, m.title, m, overdue=True)
        for m in Measure.objects.active().overdue(today).with_context()
    ]
    return sorted(items, key=lambda d: (d.date, d.measure.code, d.kind))


def upcoming_deadlines(days=30, today=None, limit=None):
    """Open milestones and measure ends due from today to today + days, in two queries."""
    from .models import Measure, Milestone

    today = _today(today)
    end = today + timedelta(days=days)
    milestones = (
        Milestone.objects.active().due_between(today, end).with_context().order_by("due_date")
    )
    measures = (
        Measure.objects.active().ending_between(today, end).with_context().order_by("planned_end")
    )
    if limit:
        milestones, measures = milestones[:limit], measures[:limit]
    items = [Deadline("milestone", m.due_date, m.title, m.measure, m) for m in milestones]
    items += [Deadline("measure", m.planned_end, m.title, m) for m in measures]
    items.sort(key=lambda d: (d.date, d.measure.code, d.kind))
    return items[:limit] if limit else items


def deadlines_by_unit(days=30, today=None):
    """Overdue and upcoming deadlines grouped by the measure's lead unit, in four queries.

    Returns a list of UnitDeadlines ordered by unit name; items without a lead unit come last.
    """
    groups = {}
    for item in overdue_deadlines(today):
        groups.setdefault(item.measure.lead_unit_id, UnitDeadlines(item.lead_unit)).overdue.append(
            item
        )
    for item in upcoming_deadlines(days, today):
        groups.setdefault(item.measure.lead_unit_id, UnitDeadlines(item.lead_unit)).upcoming.append(
            item
        )
    return sorted(groups.values(), key=lambda g: (g.unit is None, g.unit.name if g.unit else ""))


def status_counts(measures):
    """Counters of lifecycle and traffic light values over measures already in memory."""
    return Counter(m.lifecycle for m in measures), Counter(m.traffic_light for m in measures)
