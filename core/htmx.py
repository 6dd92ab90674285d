"""The one way every view answers htmx: the whole page, or one `{% partialdef %}` of it.

- `render_htmx(request, template, context, partial=...)` renders `"<template>#<partial>"` for an
  htmx request and the whole template otherwise. A history restore (the back button after
  htmx's history cache missed) sends `HX-Request` too, but puts the answer in place of the whole
  page, so it gets the whole page.
- Every answer says `Vary: HX-Request, HX-History-Restore-Request`: the same URL answers with a
  fragment or a page, and no cache may hand one out for the other.
- Invalid forms answer `422 Unprocessable Content` with the form, its German errors beside the
  fields and the user's input (`render_invalid`), with and without htmx. htmx 2 swaps no 4xx
  answer by default; `<meta name="htmx-config">` in templates/base.html tells it to swap 422
  (and 409, the edit conflict, which is a form with the values saved meanwhile) like a 200.
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

INVALID = 422  # an invalid form, shown again with its errors
CONFLICT = 409  # an edit conflict (core.editing), shown again with the saved values
VARY = ("HX-Request", "HX-History-Restore-Request")


def wants_partial(request) -> bool:
    """An htmx request that swaps part of the page (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    """Mark a response whose content depends on whether htmx asked for it."""
    patch_vary_headers(response, VARY)
    return response


def render_htmx(request, template, context=None, *, partial=None, status=200, retarget=None):
    """`template#partial` for htmx requests, else the whole `template`.

    `partial=None` renders `template` as given (a view that only ever answers htmx, or a page
    without partials). `retarget` (a CSS selector) makes htmx put the partial in place of that
    element (outerHTML) instead of the request's own target.
    """
    partial_wanted = partial is not None and wants_partial(request)
    name = f"{template}#{partial}" if partial_wanted else template
    response = render(request, name, context, status=status)
    if partial_wanted and retarget:
        response["HX-Retarget"] = retarget
        response["HX-Reswap"] = "outerHTML"
    return vary_on_htmx(response)


def render_content(request, template, context=None, *, status=200):
    """A page whose body is `{% partialdef content %}` (<div id="content">): htmx gets that
    partial in place of #content whatever element asked (strategy and finance pages)."""
    return render_htmx(
        request, template, context, partial="content", status=status, retarget="#content"
    )


def render_conflict(request, template, context, form, conflict, *, partial=None, retarget=None):
    """An edit conflict (core.editing.EditConflict): the form again with the user's input, the
    conflict noted on it and the values saved meanwhile beside it (status 409)."""
    from .editing import current_values

    form.note_conflict(conflict)
    context = {
        **context,
        "form": context.get("form", form),
        "conflict_values": current_values(form, conflict.current),
    }
    return render_htmx(
        request, template, context, partial=partial, status=CONFLICT, retarget=retarget
    )


def render_invalid(request, template, context=None, *, partial=None, retarget=None):
    """An invalid form again, with its errors and the input kept (status 422)."""
    return render_htmx(
        request, template, context, partial=partial, status=INVALID, retarget=retarget
    )


class HtmxTemplateMixin:
    """For class-based views with `template_name`: the `htmx_partial` of it for htmx requests,
    Vary on every answer, and 422 for an invalid form (FormView, CreateView, UpdateView)."""

    htmx_partial = None

    def get_htmx_partial(self):
        return self.htmx_partial

    def get_template_names(self):
        names = super().get_template_names()
        partial = self.get_htmx_partial()
        if partial and wants_partial(self.request):
            return [f"{name}#{partial}" for name in names]
        return names

    def render_to_response(self, context, **response_kwargs):
        return vary_on_htmx(super().render_to_response(context, **response_kwargs))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = INVALID
        return response
