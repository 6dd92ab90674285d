"""Cross-cutting views: the dashboard and the error pages in the site layout."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView

from . import dashboard
from .htmx import HtmxTemplateMixin


class DashboardView(HtmxTemplateMixin, TemplateView):
    """Template: dashboard.html; context: panels (plauen_digital/dashboard.py: each rendered
    HTML or its own template and data)."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = dashboard.panels(self.request)
        return context


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No request context: the error may come from the database the context processors read.
    html = loader.get_template("errors/500.html").render({})
    return HttpResponseServerError(html)


def raise_error(request):
    raise RuntimeError("Test of the error page")
