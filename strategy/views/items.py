"""Editing the strategy tree: create, edit, delete or archive, restore, reorder, mark done."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation
from rules.contrib.views import permission_required

from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid

from .. import services
from ..forms import FORMS, ArchiveReasonForm
from ..models import Measure, Milestone
from .common import LEVELS, MANAGE, PARENTS, RESTORE, SLUGS, _load, _url, page_of, parent_of
from .detail import PAGES, page_response

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
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_http_methods(["GET", "HEAD", "POST"])
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
