"""The plan page, its CSV/Excel exports and the plan period (tests/finance/test_plan.py)."""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core import exports
from core.caching import cached
from core.htmx import render_content

from .. import adapter, selectors, services, tables
from ..chart import build_chart
from ..forms import PlanFilterForm, PlanPeriodForm
from ..models import CostItem, PlanPeriod
from .common import MANAGE, VIEW, edit, export_name


def plan_context(form, filters, *, can_manage):
    """Context of partials/plan.html for a (validated) filter form."""
    finance_plan = selectors.plan_for(**filters)
    return {
        "filter_form": form,
        "filters": filters,
        "query": urlencode({name: value.pk for name, value in filters.items()}),
        "can_manage": can_manage,
        "fp": finance_plan,
        "totals": {
            column: finance_plan.total(column)
            for column in ("cost", "grants_total", "own_required", "gap")
        },
        "table": tables.plan_table(finance_plan),
        "chart": build_chart(finance_plan.rows),
        "funding_nothing": selectors.sources_funding_nothing(),
    }


@permission_required(VIEW, raise_exception=True)
@require_safe
def index(request):
    """Template: finance/index.html (partial content); context: plan_html, partials/plan.html
    rendered with plan_context.

    Computing and rendering the plan takes far longer than a page may, and it is the same for
    everyone, so the HTML is cached under the data stamp (selectors.plan_stamp), the filters, the
    language and the one per-user part, the manage links. Messages stay outside it."""
    stamp = selectors.plan_stamp()  # before reading anything the cached HTML shows
    form = PlanFilterForm(request.GET or None)
    filters = form.filters()
    can_manage = request.user.has_perm(MANAGE)

    def build():
        context = plan_context(form, filters, can_manage=can_manage)
        return render_to_string("finance/partials/plan.html", context)

    if form.is_bound and not form.is_valid():
        plan_html = build()  # invalid input shows its errors; not worth a cache entry
    else:
        query = urlencode({name: value.pk for name, value in filters.items()})
        plan_html = cached("finance-plan", stamp, build, get_language(), can_manage, query)
    return render_content(request, "finance/index.html", {"plan_html": plan_html})


def _plan_export(request):
    form = PlanFilterForm(request.GET or None)
    return tables.plan_export(selectors.plan_for(**form.filters()))


@permission_required(VIEW, raise_exception=True)
@require_safe
def plan_csv(request):
    headers, rows, _formats = _plan_export(request)
    return exports.csv_response(export_name("finanzierungsplan", "csv"), headers, rows)


@permission_required(VIEW, raise_exception=True)
@require_safe
def plan_xlsx(request):
    headers, rows, formats = _plan_export(request)
    return exports.xlsx_response(
        export_name("finanzierungsplan", "xlsx"),
        headers,
        rows,
        sheet_title=_("Funding plan"),
        number_formats=formats,
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def period_edit(request):
    """Template: finance/form.html; the years the plan covers."""
    period = PlanPeriod.objects.order_by("pk").first() or PlanPeriod()
    if period.pk is None and request.method == "GET":
        first, last = adapter.plan_years(
            CostItem.objects.values_list("start_year", flat=True), period=False
        )
        period.first_year, period.last_year = first, last
    return edit(
        request,
        PlanPeriodForm,
        period,
        title=_("Plan period"),
        back=reverse("finance:index"),
        saved=_("The plan period has been saved."),
        save=lambda form: services.plan_period_update(
            period=period, data=form.changes(), expected_version=form.expected_version()
        ),
    )
