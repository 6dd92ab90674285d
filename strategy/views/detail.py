"""Detail pages of fields, goals and measures; `page_response`, the page that shows an item."""

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from core.history import history_entries
from core.htmx import render_content
from core.panels import detail_panels

from ..models import FieldOfAction, Goal, Measure, Milestone
from ..querysets import mean_progress, ratio_progress, weighted_progress
from .common import LEVELS, VIEW, _load
from .overview import overview_context

HISTORY_LIMIT = 50


def field_context(request, field):
    # Archived goals stay out of an active field's page (as out of the overview).
    goals = field.goals.all() if field.is_archived else field.goals.active()
    goals = list(
        goals.select_related("owner_unit")
        .with_progress()
        .annotate(measure_count=Count("measures", distinct=True))
    )
    for goal in goals:
        goal.progress = ratio_progress(goal.progress_sum, goal.weight_sum)
    return {
        "field": field,
        "goals": goals,
        "progress": mean_progress(g.progress for g in goals),
        "panels": detail_panels("strategy.field", request, field),
        "history": history_entries(field.history.all(), limit=HISTORY_LIMIT),
    }


def goal_context(request, goal):
    today = timezone.localdate()
    measures = goal.measures.all() if goal.archived_here_or_above else goal.measures.active()
    measures = list(measures.for_overview(today))
    for m in measures:
        m.overdue = m.is_overdue(today)
    return {
        "goal": goal,
        "field": goal.field,
        "measures": measures,
        "progress": weighted_progress(
            (m.progress, m.weight) for m in measures if m.lifecycle != Measure.Lifecycle.CANCELLED
        ),
        "panels": detail_panels("strategy.goal", request, goal),
        "history": history_entries(goal.history.all(), limit=HISTORY_LIMIT),
    }


def measure_context(request, measure):
    today = timezone.localdate()
    milestones = list(measure.milestones.all())
    for ms in milestones:
        ms.measure = measure  # avoid a query per milestone for the period check
        ms.overdue = ms.is_overdue(today)
    history = history_entries(
        measure.history.all(),
        Milestone.history.filter(measure_id=measure.pk),
        limit=HISTORY_LIMIT,
    )
    return {
        "measure": measure,
        "goal": measure.goal,
        "field": measure.goal.field,
        "milestones": milestones,
        "overdue": measure.is_overdue(today),
        "panels": detail_panels("strategy.measure", request, measure),
        "history": history,
        "today": today,
    }


PAGES = {
    FieldOfAction: ("strategy/field_detail.html", field_context),
    Goal: ("strategy/goal_detail.html", goal_context),
    Measure: ("strategy/measure_detail.html", measure_context),
}


def page_response(request, obj):
    """The page that shows `obj` (None: the overview), as page or content partial."""
    if obj is None:
        return render_content(request, "strategy/index.html", overview_context(request))
    template, build = PAGES[type(obj)]
    return render_content(request, template, build(request, obj))


@permission_required(VIEW, raise_exception=True)
@require_safe
def detail(request, level, pk):
    """Templates: strategy/{field,goal,measure}_detail.html; context: *_context above."""
    model = LEVELS[level]
    if model not in PAGES:
        raise Http404
    return page_response(request, _load(model, pk))
