"""Cross-cutting views: the dashboard and the error pages in the site layout."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.context_processors import known_municipality_name
from core.htmx import render_htmx

from . import dashboard


@permission_required("dashboard.view", raise_exception=True)
@require_safe
def dashboard_page(request):
    """Template: dashboard.html; context: panels (plauen_digital/dashboard.py: each rendered
    HTML or its own template and data)."""
    return render_htmx(request, "dashboard.html", {"panels": dashboard.panels(request)})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No request context: the error may come from the database the context processors read.
    # The municipality's name is the one last read (or the configured fallback).
    html = loader.get_template("errors/500.html").render(_offline_context())
    return HttpResponseServerError(html)


@login_not_required
def bad_request(request, exception=None):
    # No request context either: a bad request may carry a host or data that is not to be read.
    html = loader.get_template("errors/400.html").render(_offline_context())
    return HttpResponseBadRequest(html)


def csrf_failure(request, reason=""):
    """Django's CSRF refusal (CSRF_FAILURE_VIEW), in German and in the layout; `reason` is for
    the log only."""
    return render(request, "errors/403_csrf.html", status=403)


def _offline_context():
    return {"municipality_name": known_municipality_name()}


def raise_error(request):
    raise RuntimeError("Test of the error page")
