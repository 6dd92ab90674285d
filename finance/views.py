"""Views of the finance app. The plan comes from finance/services.plan_for (the engine); writes
go through finance/services.py (`<entity>_<action>`), edits with the version the user started
from, so nobody's changes are lost (an edit conflict answers 409 with the values saved
meanwhile).

Every page template wraps its main part in `{% partialdef content %}` (<div id="content">);
htmx requests get that partial. Edit forms are loaded into the page's #editor slot and post
with hx-target on themselves: an invalid form comes back in place with German errors, a saved
one reloads the list (HX-Location into #content). Without JavaScript the same links open full
pages and the forms post normally and redirect.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseLocation
from rules.contrib.views import permission_required

from core import exports
from core.caching import cached
from core.dependents import dependents
from core.editing import EditConflict
from core.history import history_entries
from core.htmx import render_conflict, render_content, render_htmx, render_invalid
from core.listing import filtered_page

from . import adapter, services, tables
from .chart import build_chart
from .engine import floor_euros
from .filters import BudgetLineFilter, CostItemFilter, FundingSourceFilter
from .forms import (
    BudgetLineForm,
    CostItemForm,
    FundingSourceForm,
    PlanFilterForm,
    PlanPeriodForm,
)
from .models import BudgetLine, CostItem, FundingSource, PlanPeriod

VIEW = "finance.view"
MANAGE = "finance.manage"
HISTORY_LIMIT = 50


# --- The plan ------------------------------------------------------------------------------


def plan_context(form, filters, *, can_manage):
    """Context of partials/plan.html for a (validated) filter form."""
    finance_plan = services.plan_for(**filters)
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
        "funding_nothing": services.sources_funding_nothing(),
    }


@permission_required(VIEW, raise_exception=True)
@require_GET
def index(request):
    """Template: finance/index.html (partial content); context: plan_html, partials/plan.html
    rendered with plan_context.

    Computing and rendering the plan takes far longer than a page may, and it is the same for
    everyone, so the HTML is cached under the data stamp (services.plan_stamp), the filters, the
    language and the one per-user part, the manage links. Messages stay outside it."""
    stamp = services.plan_stamp()  # before reading anything the cached HTML shows
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


def _export_name(stem, ext):
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{ext}"


def _plan_export(request):
    form = PlanFilterForm(request.GET or None)
    return tables.plan_export(services.plan_for(**form.filters()))


@permission_required(VIEW, raise_exception=True)
@require_GET
def plan_csv(request):
    headers, rows, _formats = _plan_export(request)
    return exports.csv_response(_export_name("finanzierungsplan", "csv"), headers, rows)


@permission_required(VIEW, raise_exception=True)
@require_GET
def plan_xlsx(request):
    headers, rows, formats = _plan_export(request)
    return exports.xlsx_response(
        _export_name("finanzierungsplan", "xlsx"),
        headers,
        rows,
        sheet_title=_("Funding plan"),
        number_formats=formats,
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def period_edit(request):
    """Template: finance/form.html; the years the plan covers."""
    period = PlanPeriod.objects.order_by("pk").first() or PlanPeriod()
    if period.pk is None and request.method == "GET":
        first, last = adapter.plan_years(
            CostItem.objects.values_list("start_year", flat=True), period=False
        )
        period.first_year, period.last_year = first, last
    return _edit(
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


# --- Lists ---------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_GET
def items(request):
    """Template: finance/items.html; context: filter (search, category, sort), page (cost items
    with measure and school)."""
    filterset, page = filtered_page(request, CostItemFilter, CostItem.objects.for_list())
    return render_content(request, "finance/items.html", {"filter": filterset, "page": page})


@permission_required(VIEW, raise_exception=True)
@require_GET
def sources(request):
    """Template: finance/sources.html; context: filter (search, provider, status, sort), page
    (funding sources)."""
    filterset, page = filtered_page(request, FundingSourceFilter, FundingSource.objects.all())
    return render_content(request, "finance/sources.html", {"filter": filterset, "page": page})


@permission_required(VIEW, raise_exception=True)
@require_GET
def budget(request):
    """Template: finance/budget.html; context: page (budget lines), totals per year, history."""
    _filter, page = filtered_page(
        request, BudgetLineFilter, BudgetLine.objects.order_by("year", "account", "pk")
    )
    context = {
        "page": page,
        "totals": sorted(BudgetLine.objects.by_year().items()),
        "history": history_entries(BudgetLine.history.all(), limit=HISTORY_LIMIT),
    }
    return render_content(request, "finance/budget.html", context)


@permission_required(VIEW, raise_exception=True)
@require_GET
def item_detail(request, pk):
    """Template: finance/item_detail.html; context: item, its plan slice, history."""
    item = get_object_or_404(CostItem.objects.for_list(), pk=pk)
    finance_plan = services.plan_for()
    result = finance_plan.plan.items.get(item.key)
    context = {
        "item": item,
        "result": result,
        # An item's grants are unrounded shares: shown rounded down, like the plan's.
        "rows": [
            (year, cost, floor_euros(result.granted_by_year.get(year, Decimal(0))))
            for year, cost in result.cost_by_year.items()
        ]
        if result
        else [],
        "history": history_entries(item.history.all(), limit=HISTORY_LIMIT),
    }
    return render_content(request, "finance/item_detail.html", context)


@permission_required(VIEW, raise_exception=True)
@require_GET
def source_detail(request, pk):
    """Template: finance/source_detail.html; context: source, its grants per year, history."""
    source = get_object_or_404(FundingSource.objects.prefetch_related("items"), pk=pk)
    finance_plan = services.plan_for()
    grants = [(row.year, row.grants.get(source.key, 0)) for row in finance_plan.plan.years]
    context = {
        "source": source,
        "grants": grants,
        "grant_total": sum(amount for _year, amount in grants),
        "cliffs": [c for c in finance_plan.cliffs if c.source_id == source.key],
        "history": history_entries(source.history.all(), limit=HISTORY_LIMIT),
    }
    return render_content(request, "finance/source_detail.html", context)


# --- Create, edit, delete ------------------------------------------------------------------


def _edit(request, form_class, instance, *, title, back, saved, save, initial=None):
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


def _new_title(model):
    return _("New %(item)s") % {"item": model._meta.verbose_name}


def _edit_title(model):
    return _("Edit %(item)s") % {"item": model._meta.verbose_name}


def _created():
    return _("„%(item)s“ has been created.")


def _saved():
    return _("Your changes to „%(item)s“ have been saved.")


def _delete(request, obj, *, back, delete):
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


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_create(request):
    """Template: finance/form.html; `?measure=` and `?school=` preselect (measure and school
    pages link here)."""
    initial = {
        name: int(request.GET[name])
        for name in ("measure", "school")
        if request.GET.get(name, "").isdigit()
    }
    return _edit(
        request,
        CostItemForm,
        CostItem(),
        title=_new_title(CostItem),
        back=reverse("finance:items"),
        saved=_created(),
        save=lambda form: services.cost_item_create(data=form.changes()),
        initial=initial,
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_object_or_404(CostItem, pk=pk)
    return _edit(
        request,
        CostItemForm,
        item,
        title=_edit_title(CostItem),
        back=reverse("finance:items"),
        saved=_saved(),
        save=lambda form: services.cost_item_update(
            item=item, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_delete(request, pk):
    item = get_object_or_404(CostItem, pk=pk)
    return _delete(
        request,
        item,
        back=reverse("finance:items"),
        delete=lambda: services.cost_item_delete(item=item),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def source_create(request):
    return _edit(
        request,
        FundingSourceForm,
        FundingSource(),
        title=_new_title(FundingSource),
        back=reverse("finance:sources"),
        saved=_created(),
        save=lambda form: services.funding_source_create(data=form.changes()),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def source_edit(request, pk):
    source = get_object_or_404(FundingSource, pk=pk)
    return _edit(
        request,
        FundingSourceForm,
        source,
        title=_edit_title(FundingSource),
        back=reverse("finance:sources"),
        saved=_saved(),
        save=lambda form: services.funding_source_update(
            source=source, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def source_delete(request, pk):
    source = get_object_or_404(FundingSource, pk=pk)
    return _delete(
        request,
        source,
        back=reverse("finance:sources"),
        delete=lambda: services.funding_source_delete(source=source),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def budget_create(request):
    return _edit(
        request,
        BudgetLineForm,
        BudgetLine(),
        title=_new_title(BudgetLine),
        back=reverse("finance:budget"),
        saved=_created(),
        save=lambda form: services.budget_line_create(data=form.changes()),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    return _edit(
        request,
        BudgetLineForm,
        line,
        title=_edit_title(BudgetLine),
        back=reverse("finance:budget"),
        saved=_saved(),
        save=lambda form: services.budget_line_update(
            line=line, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def budget_delete(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    return _delete(
        request,
        line,
        back=reverse("finance:budget"),
        delete=lambda: services.budget_line_delete(line=line),
    )


# --- Exports of the cost items -------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_GET
def items_csv(request):
    headers, rows, _formats = tables.items_export()
    return exports.csv_response(_export_name("kostenpositionen", "csv"), headers, rows)


@permission_required(VIEW, raise_exception=True)
@require_GET
def items_xlsx(request):
    headers, rows, formats = tables.items_export()
    return exports.xlsx_response(
        _export_name("kostenpositionen", "xlsx"),
        headers,
        rows,
        sheet_title=_("Cost items"),
        number_formats=formats,
    )
