"""Views of the strategy: one function per URL, each decorated with the permission it needs
(`rules.contrib.views.permission_required`). Reads come from strategy/querysets.py, writes go
through strategy/services.py with the forms' cleaned values.

Every page template wraps its main part in `{% partialdef content %}` (<div id="content">);
htmx requests get that partial, so editing swaps the page body without a reload. Forms post with
hx-target on themselves: an invalid form comes back in place, a saved one re-renders the page
content (HX-Retarget #content). Without JavaScript the same forms post normally and redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation
from rules.contrib.views import permission_required

from core import caching, exports, imports
from core.calendars import feed_settings, ics_response, serve_feed
from core.editing import EditConflict
from core.history import history_entries
from core.htmx import (
    render_conflict,
    render_content,
    render_htmx,
    render_invalid,
    vary_on_htmx,
    wants_partial,
)
from core.panels import detail_panels

from . import ics, services, transfer
from .forms import FORMS, ArchiveReasonForm, ImportForm, OverviewFilterForm
from .models import DeadlineFeed, FieldOfAction, Goal, Measure, Milestone
from .querysets import (
    deadlines_by_unit,
    mean_progress,
    overdue_deadlines,
    ratio_progress,
    status_counts,
    upcoming_deadlines,
    weighted_progress,
)
from .timeline import build_timeline

VIEW = "strategy.view"
MANAGE = "strategy.manage"
RESTORE = "strategy.restore"
DEADLINE_HORIZONS = (30, 90)
HISTORY_LIMIT = 50

# URL slug of each level → model, and the other way round.
LEVELS = {"field": FieldOfAction, "goal": Goal, "measure": Measure, "milestone": Milestone}
SLUGS = {model: slug for slug, model in LEVELS.items()}
PARENTS = {Goal: FieldOfAction, Measure: Goal, Milestone: Measure}


# --- Overview ---------------------------------------------------------------------------------

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
@require_GET
def index(request):
    """Template: strategy/index.html (partials content, tree); context: overview_context."""
    context = overview_context(request, request.GET or None)
    if wants_partial(request) and request.htmx.target == "tree":
        return render_htmx(request, "strategy/index.html#tree", context)
    return render_content(request, "strategy/index.html", context)


@permission_required(VIEW, raise_exception=True)
@require_GET
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


# --- Detail pages -----------------------------------------------------------------------------


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


def _load(model, pk):
    qs = model.objects.all()
    if model is Goal:
        qs = qs.select_related("field", "owner_unit")
    elif model is Measure:
        qs = qs.select_related("goal__field", "lead_unit")
    elif model is Milestone:
        qs = qs.select_related("measure__goal__field")
    elif model is FieldOfAction:
        qs = qs.select_related("lead_unit")
    return get_object_or_404(qs, pk=pk)


@permission_required(VIEW, raise_exception=True)
@require_GET
def detail(request, level, pk):
    """Templates: strategy/{field,goal,measure}_detail.html; context: *_context above."""
    model = LEVELS[level]
    if model not in PAGES:
        raise Http404
    return page_response(request, _load(model, pk))


def page_of(obj):
    """The object whose page lists `obj` (milestones live on their measure's page)."""
    if isinstance(obj, Milestone):
        return obj.measure
    return obj


def parent_of(obj):
    """The item `obj` lies below (None for a field of action)."""
    name = services.PARENT_FIELD[type(obj)]
    return getattr(obj, name) if name else None


def _url(obj):
    return obj.get_absolute_url() if obj is not None else reverse("strategy:index")


# --- Create, edit, delete, reorder ------------------------------------------------------------


FORM_TEMPLATE = "strategy/item_form.html"


def _form_context(request, form, *, title, cancel_url):
    """Context of strategy/item_form.html (partial form)."""
    slug = SLUGS[form._meta.model]
    return {
        "form": form,
        "title": title,
        "action": request.path,
        "cancel_url": cancel_url,
        "form_id": f"form-{slug}-{form.instance.pk or 'new'}",
        "model_slug": slug,
    }


def _form_response(request, form, **context):
    """The form; posted and not saved means invalid (422)."""
    context = _form_context(request, form, **context)
    answer = render_invalid if form.is_bound else render_htmx
    return answer(request, FORM_TEMPLATE, context, partial="form")


def _saved_page(request, page):
    """After a write: the page that shows `page` (htmx: its content), else a redirect to it."""
    if request.htmx:
        return page_response(request, page)
    return redirect(_url(page))


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request, level, parent_pk=None):
    """Create a field (no parent) or a goal/measure/milestone below `parent_pk`."""
    model = LEVELS[level]
    parent = None
    if model in PARENTS:
        if parent_pk is None:
            raise Http404
        parent = _load(PARENTS[model], parent_pk)
    form_class = FORMS[model]
    if request.method == "POST":
        form = form_class(request.POST, parent=parent)
        if form.is_valid():
            obj = services.item_create(
                model=model, parent=parent, data=form.changes(), actor=request.user
            )
            message = _("%(item)s has been created.") % {
                "item": f"{model._meta.verbose_name} „{obj}“"
            }
            messages.success(request, message)
            # The page that lists the new item.
            return _saved_page(request, page_of(parent) if parent else None)
    else:
        initial = {}
        if model is not Milestone:
            initial["code"] = services.suggest_code(model, parent)
        if model is Measure:
            initial["lead_unit"] = parent.owner_unit_id
        form = form_class(parent=parent, initial=initial)
    return _form_response(
        request,
        form,
        title=_("New %(item)s") % {"item": model._meta.verbose_name},
        cancel_url=_url(page_of(parent) if parent else None),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit(request, level, pk):
    model = LEVELS[level]
    obj = _load(model, pk)
    form = FORMS[model](request.POST if request.method == "POST" else None, instance=obj)
    labels = {
        "title": _("Edit %(item)s") % {"item": model._meta.verbose_name},
        "cancel_url": _url(page_of(obj)),
    }
    if form.is_valid():
        try:
            obj = services.item_update(
                item=obj, data=form.changes(), expected_version=form.expected_version()
            )
        except EditConflict as conflict:
            context = _form_context(request, form, **labels)
            return render_conflict(request, FORM_TEMPLATE, context, form, conflict, partial="form")
        messages.success(
            request, _("Your changes to %(item)s have been saved.") % {"item": f"„{obj}“"}
        )
        return _saved_page(request, page_of(obj))
    return _form_response(request, form, **labels)


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def delete(request, level, pk):
    """GET: template strategy/confirm_delete.html (partial confirm), listing what depends on the
    item and whether it is deleted or archived; POST removes it (services.item_remove)."""
    model = LEVELS[level]
    obj = _load(model, pk)
    parent = parent_of(obj)
    form = ArchiveReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        label = str(obj)
        outcome = services.item_remove(
            item=obj, actor=request.user, reason=form.cleaned_data["reason"]
        )
        if outcome == "archived":
            messages.success(request, _("„%(item)s“ has been archived.") % {"item": label})
            return _saved_page(request, obj)
        messages.success(request, _("„%(item)s“ has been deleted.") % {"item": label})
        if isinstance(obj, Milestone):
            return _saved_page(request, parent)
        if request.htmx:
            return HttpResponseLocation(_url(parent), target="#content", swap="outerHTML")
        return redirect(_url(parent))
    removal = services.removal_of(obj)
    context = {
        "object": obj,
        "verbose_name": model._meta.verbose_name,
        "removal": removal,
        "dependents": removal.dependents,
        "form": form,
        "cancel_url": _url(page_of(obj)),
        "action": request.path,
    }
    answer = render_invalid if form.is_bound else render_htmx
    return answer(request, "strategy/confirm_delete.html", context, partial="confirm")


@permission_required(RESTORE, raise_exception=True)
@require_POST
def restore(request, level, pk):
    """Bring an archived field, goal or measure back (Verwaltung); answers with its page."""
    model = LEVELS[level]
    if model not in PAGES:
        raise Http404
    obj = services.item_restore(item=_load(model, pk))
    messages.success(request, _("„%(item)s“ has been restored.") % {"item": obj})
    return _saved_page(request, obj)


@permission_required(MANAGE, raise_exception=True)
@require_POST
def move(request, level, pk):
    model = LEVELS[level]
    if model is Milestone:
        raise Http404
    obj = _load(model, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse(status=400)
    services.item_move(item=obj, direction=direction)
    return _saved_page(request, parent_of(obj))


@permission_required(MANAGE, raise_exception=True)
@require_POST
def milestone_done(request, pk):
    milestone = _load(Milestone, pk)
    if request.POST.get("done", "1") == "1":
        milestone = services.milestone_mark_done(milestone=milestone)
        messages.success(request, _("Milestone „%(item)s“ marked as done.") % {"item": milestone})
    else:
        milestone = services.milestone_reopen(milestone=milestone)
        messages.success(request, _("Milestone „%(item)s“ is open again.") % {"item": milestone})
    return _saved_page(request, milestone.measure)


# --- Deadlines, ICS, timeline -----------------------------------------------------------------


def _horizon(request):
    try:
        days = int(request.GET.get("tage", DEADLINE_HORIZONS[0]))
    except ValueError:
        days = DEADLINE_HORIZONS[0]
    return days if days in DEADLINE_HORIZONS else DEADLINE_HORIZONS[0]


@permission_required(VIEW, raise_exception=True)
@require_GET
def deadlines(request):
    """Template: strategy/deadlines.html; context: groups (by lead unit), days, horizons."""
    days = _horizon(request)
    groups = deadlines_by_unit(days)
    context = {
        "groups": groups,
        "days": days,
        "horizons": DEADLINE_HORIZONS,
        "overdue_total": sum(len(g.overdue) for g in groups),
        "upcoming_total": sum(len(g.upcoming) for g in groups),
        "today": timezone.localdate(),
    }
    return render_content(request, "strategy/deadlines.html", context)


@permission_required(VIEW, raise_exception=True)
@require_GET
def deadlines_ics(request):
    """All open deadlines (overdue and the next two years) as an iCalendar file."""
    return deadlines_ics_response()


@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def deadline_feed_settings(request):
    """Template: strategy/deadline_feed.html (#feed for htmx); context: feed, feed_url,
    feed_message. POST action=regenerate / action=revoke (core.calendars.feed_settings)."""
    return feed_settings(
        request,
        model=DeadlineFeed,
        feed_url_name="strategy:deadline_feed",
        template="strategy/deadline_feed.html",
    )


@login_not_required
@require_GET
def deadline_feed(request, token):
    """The deadline calendar for calendar programs: the secret token is the credential.

    Gone (404) once revoked or renewed, or when its owner may no longer read the strategy."""
    return serve_feed(
        request,
        token,
        model=DeadlineFeed,
        build_calendar=lambda user: deadlines_ics_bytes(),
        filename="strategie-fristen.ics",
    )


def deadlines_ics_bytes() -> bytes:
    items = overdue_deadlines() + upcoming_deadlines(days=2 * 365)
    return ics.calendar_bytes(items, _("Deadlines of the digitalisation strategy"))


def deadlines_ics_response(attachment=True):
    return ics_response(deadlines_ics_bytes(), "strategie-fristen.ics", attachment=attachment)


@permission_required(VIEW, raise_exception=True)
@require_GET
def timeline(request):
    """Template: strategy/timeline.html; context: axis, charts, fields, selected field."""
    all_fields = list(FieldOfAction.objects.active())
    selected = None
    try:
        selected_pk = int(request.GET.get("handlungsfeld", ""))
        selected = next((f for f in all_fields if f.pk == selected_pk), None)
    except ValueError:
        pass
    axis, charts = build_timeline([selected] if selected else all_fields)
    context = {"axis": axis, "charts": charts, "fields": all_fields, "selected": selected}
    return render_content(request, "strategy/timeline.html", context)


# --- Export and import ------------------------------------------------------------------------


def _export_name(ext):
    return f"strategie-{timezone.localdate():%Y-%m-%d}.{ext}"


@permission_required(VIEW, raise_exception=True)
@require_GET
def export_csv(request):
    return exports.csv_response(_export_name("csv"), transfer.headers(), transfer.export_rows())


@permission_required(VIEW, raise_exception=True)
@require_GET
def export_xlsx(request):
    return exports.xlsx_response(
        _export_name("xlsx"),
        transfer.headers(),
        list(transfer.export_rows()),
        sheet_title=_("Measures"),
        number_formats={i: "DD.MM.YYYY" for i in range(9, 13)},
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_view(request):
    """Template: strategy/import.html; context: form, errors (row, column, message), preview
    (core.imports.Preview), confirm_form, stale."""
    return imports.handle_import(
        request,
        importer=transfer.MeasureImporter(),
        form_class=ImportForm,
        template="strategy/import.html",
        success_url="strategy:index",
    )
