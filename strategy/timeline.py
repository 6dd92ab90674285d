"""The Gantt-style timeline: measures per field as bars on a shared year axis (server-side SVG).

`build_timeline(fields)` reads the measures and milestones in two queries and returns plain
geometry for the template: one chart per field, rows with planned and actual bars, milestone
marks, year ticks and today's line. The same rows feed the table alternative.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from .models import Measure, Milestone

LABEL_WIDTH = 110
CHART_WIDTH = 860
ROW_HEIGHT = 26
AXIS_HEIGHT = 24


@dataclass
class Row:
    measure: Measure
    y: int
    planned: tuple | None = None  # (x, width)
    actual: tuple | None = None
    marks: list = field(default_factory=list)  # (x, milestone)
    overdue: bool = False


@dataclass
class Chart:
    field: object
    rows: list
    height: int
    today_x: float | None


@dataclass
class Axis:
    start: date
    end: date
    ticks: list  # (x, year)
    width: int = LABEL_WIDTH + CHART_WIDTH


def _span(measures):
    years = {timezone.localdate().year}
    for m in measures:
        for d in (m.planned_start, m.planned_end, m.actual_start, m.actual_end):
            if d:
                years.add(d.year)
        for ms in m.milestone_list:
            years.add(ms.due_date.year)
    return date(min(years), 1, 1), date(max(years), 12, 31)


def build_timeline(fields):
    """(axis, charts) for the given FieldOfAction instances, in two queries."""
    today = timezone.localdate()
    field_ids = [f.pk for f in fields]
    measures = list(
        Measure.objects.active()
        .filter(goal__field_id__in=field_ids)
        .select_related("goal", "lead_unit")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_date", "pk"),
                to_attr="milestone_list",
            )
        )
        .order_by("goal__position", "goal__code", "position", "code")
    )
    start, end = _span(measures)
    total = (end - start).days + 1

    def x(d):
        return round(LABEL_WIDTH + (d - start).days / total * CHART_WIDTH, 1)

    def bar(a, b):
        if not a and not b:
            return None
        a, b = a or b, b or a
        return (x(a), max(round(x(b) - x(a), 1), 2.0))

    ticks = [(x(date(year, 1, 1)), year) for year in range(start.year, end.year + 1)]
    by_field = {}
    for m in measures:
        by_field.setdefault(m.goal.field_id, []).append(m)
    charts = []
    for f in fields:
        rows = []
        for i, m in enumerate(by_field.get(f.pk, [])):
            actual_end = m.actual_end or (today if m.actual_start else None)
            rows.append(
                Row(
                    measure=m,
                    y=AXIS_HEIGHT + i * ROW_HEIGHT,
                    planned=bar(m.planned_start, m.planned_end),
                    actual=bar(m.actual_start, actual_end),
                    marks=[(x(ms.due_date), ms) for ms in m.milestone_list],
                    overdue=m.is_overdue(today),
                )
            )
        charts.append(
            Chart(
                field=f,
                rows=rows,
                height=AXIS_HEIGHT + max(len(rows), 1) * ROW_HEIGHT + 6,
                today_x=x(today) if start <= today <= end else None,
            )
        )
    return Axis(start, end, ticks), charts
