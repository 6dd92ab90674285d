"""Views of the finance app. The plan comes from finance/selectors.plan_for (the engine); writes
go through finance/services.py (`<entity>_<action>`), edits with the version the user started
from, so nobody's changes are lost (an edit conflict answers 409 with the values saved
meanwhile).

Every page template wraps its main part in `{% partialdef content %}` (<div id="content">);
htmx requests get that partial. Edit forms are loaded into the page's #editor slot and post
with hx-target on themselves: an invalid form comes back in place with German errors, a saved
one reloads the list (HX-Location into #content). Without JavaScript the same links open full
pages and the forms post normally and redirect.

This module holds what the feature modules (plan, items, sources, budget) share: the
permissions, the history length, that edit and delete flow and the name of an export file.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseLocation

from core.dependents import dependents
from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid

VIEW = "finance.view"
MANAGE = "finance.manage"
HISTORY_LIMIT = 50


def export_name(stem, ext):
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{ext}"


# --- Create, edit, delete ------------------------------------------------------------------


def edit(request, form_class, instance, *, title, back, saved, save, initial=None):
    """Show, check and save a versioned form: `save(form)` calls the service. Invalid: the form
    again (422); an edit conflict: the form with the values saved meanwhile (409)."""
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
    else:
        form = form_class(instance=instance, initial=initial)
    context = {
        "form": form,
        "title": title,
        "action": request.get_full_path(),
        "cancel_url": back,
        "form_id": f"form-{form._meta.model._meta.model_name}-{instance.pk or 'new'}",
    }
    template = "finance/form.html"
    if not form.is_bound:
        return render_htmx(request, template, context, partial="form")
    if not form.is_valid():
        return render_invalid(request, template, context, partial="form")
    try:
        obj = save(form)
    except EditConflict as conflict:
        return render_conflict(request, template, context, form, conflict, partial="form")
    messages.success(request, saved % {"item": obj})
    return _go(request, back)


def new_title(model):
    return _("New %(item)s") % {"item": model._meta.verbose_name}


def edit_title(model):
    return _("Edit %(item)s") % {"item": model._meta.verbose_name}


def created():
    return _("„%(item)s“ has been created.")


def saved():
    return _("Your changes to „%(item)s“ have been saved.")


def delete(request, obj, *, back, delete):
    """GET: template finance/confirm_delete.html (partial confirm); POST: `delete()` (the
    service), then back to the list."""
    if request.method == "POST":
        label = str(obj)
        delete()
        messages.success(request, _("„%(item)s“ has been deleted.") % {"item": label})
        return _go(request, back)
    context = {
        "object": obj,
        "verbose_name": type(obj)._meta.verbose_name,
        "cancel_url": back,
        "action": request.path,
        "dependents": dependents(obj),
    }
    return render_htmx(request, "finance/confirm_delete.html", context, partial="confirm")


def _go(request, url):
    if request.htmx:
        return HttpResponseLocation(url, target="#content", swap="outerHTML")
    return redirect(url)
