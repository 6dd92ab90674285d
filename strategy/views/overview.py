"""The overview: fields and goals with roll-up figures and filters; a goal's measures on demand."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from core import caching
from core.htmx import render_content, render_htmx, vary_on_htmx, wants_partial

from ..forms import OverviewFilterForm
from ..models import FieldOfAction, Goal, Measure
from ..querysets import mean_progress, status_counts
from .common import MANAGE, VIEW

PAGE_PARAM = "seite"
FILTERED_PAGE_SIZE = 100  # matching measures per page of a filtered overview


def overview_context(request, data=None):
    """Context of strategy/index.html.

    The page's expensive parts (figures, tree, filter form) sit in `{% cachedpart %}` fragments
    keyed by the stamp of the registry part "strategy.overview" (core.caching.PARTS)
    and `overview_key`: the language and the filter parameters (the tree adds `can_manage`).
    `overview` is computed on a cache miss only.
    """
    form = OverviewFilterForm(data)
    params = []
    if data is not None:
        params = sorted((k, v) for k in [*form.fields, PAGE_PARAM] for v in data.getlist(k))
    filter_query = urlencode([(k, v) for k, v in params if k != PAGE_PARAM])
    overview_stamp = caching.stamp("strategy.overview")  # before reading anything it shows
    key = "|".join((get_language() or "", urlencode(params)))
    page = data.get(PAGE_PARAM) if data is not None else None
    return {
        "can_manage": request.user.has_perm(MANAGE),
        "filter_form": form,
        "overview": SimpleLazyObject(lambda: _overview(form, page, filter_query)),
        "overview_key": key,
        "overview_stamp": overview_stamp,
    }


def _overview(form, page, filter_query):
    """Roll-up figures and the tree of fields and goals; filtered: the matching measures too.

    Unfiltered, goals carry counts only and their measures load on demand (`goal_measures`).
    """
    today = timezone.localdate()
    show_archived = form.show_archived()
    fields = FieldOfAction.objects.tree(archived=show_archived)
    measures = [m for f in fields for g in f.goal_list for m in g.measure_list]
    filtering = form.is_filtering()
    if filtering:
        matching = form.filter_measures(Measure.objects.all(), today).values_list("pk", flat=True)
        visible = set(matching)
        shown = [m for m in measures if m.pk in visible]
    else:
        visible = None
        shown = measures
    for f in fields:
        for g in f.goal_list:
            g.measure_count = len(g.measure_list)
            g.overdue_count = sum(1 for m in g.measure_list if m.overdue or m.overdue_milestones)
    page_obj = None
    if filtering:
        page_obj = Paginator(shown, FILTERED_PAGE_SIZE).get_page(page)
        on_page = {m.pk for m in page_obj}
        for f in fields:
            for g in f.goal_list:
                g.match_count = sum(1 for m in g.measure_list if m.pk in visible)
                g.visible_measures = [m for m in g.measure_list if m.pk in on_page]
            f.visible_goals = [g for g in f.goal_list if g.visible_measures]
        visible_fields = [f for f in fields if f.visible_goals]
    else:
        for f in fields:
            f.visible_goals = f.goal_list
        visible_fields = fields
    lifecycle, lights = status_counts(shown)
    return {
        "filtering": filtering,
        "fields": visible_fields,
        "field_count": len(fields),
        "overall_progress": mean_progress(f.progress for f in fields),
        "shown_count": len(shown),
        "measure_count": len(measures),
        "overdue_count": sum(1 for m in shown if m.overdue or m.overdue_milestones),
        "lifecycle_counts": [(v, lbl, lifecycle.get(v, 0)) for v, lbl in Measure.Lifecycle.choices],
        "light_counts": [(v, lbl, lights.get(v, 0)) for v, lbl in Measure.TrafficLight.choices],
        "page": page_obj,
        "filter_query": filter_query,
        "show_archived": show_archived,
    }


@permission_required(VIEW, raise_exception=True)
@require_safe
def index(request):
    """Template: strategy/index.html (partials content, tree); context: overview_context."""
    context = overview_context(request, request.GET or None)
    if wants_partial(request) and request.htmx.target == "tree":
        return render_htmx(request, "strategy/index.html#tree", context)
    return render_content(request, "strategy/index.html", context)


@permission_required(VIEW, raise_exception=True)
@require_safe
def goal_measures(request, pk):
    """Template: strategy/index.html#measure-table; context: goal, measures.

    The measures of one goal, which the overview loads with htmx when the goal is opened.
    Without htmx the goal's page lists them.
    """
    goal = get_object_or_404(Goal, pk=pk)
    if not wants_partial(request):
        return vary_on_htmx(redirect(goal))
    today = timezone.localdate()
    measures = goal.measures.for_overview(today)
    if request.GET.get("archived") != "on" and not goal.is_archived:
        measures = measures.active()
    measures = list(measures)
    for m in measures:
        m.overdue = m.is_overdue(today)
    context = {"goal": goal, "measures": measures}
    return render_htmx(request, "strategy/index.html#measure-table", context)
