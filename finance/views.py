"""Views of the finance app. The plan comes from finance/services.plan_for (the engine); writes
go through versioned forms (no lost updates) and finance/services.py.

Every page template wraps its main part in `{% partialdef content %}` (<div id="content">);
htmx requests get that partial. Edit forms are loaded into the page's #editor slot and post
with hx-target on themselves: an invalid form comes back in place with German errors, a saved
one reloads the list (HX-Location into #content). Without JavaScript the same links open full
pages and the forms post normally and redirect.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseLocation

from core import exports
from core.caching import cached
from core.dependents import dependents
from core.editing import EditConflict, current_values
from core.history import history_entries
from core.htmx import CONFLICT, INVALID, render_content, render_htmx
from core.listing import filtered_page

from . import services, tables
from .chart import build_chart
from .engine import floor_euros
from .filters import CostItemFilter, FundingSourceFilter
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
PAGE_SIZE = 50
HISTORY_LIMIT = 50


def readable(view):
    return permission_required(VIEW, raise_exception=True)(view)


def manager_only(view):
    return permission_required(MANAGE, raise_exception=True)(view)


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


@readable
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


@readable
@require_GET
def plan_csv(request):
    headers, rows, _formats = _plan_export(request)
    return exports.csv_response(_export_name("finanzierungsplan", "csv"), headers, rows)


@readable
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


@manager_only
@require_http_methods(["GET", "POST"])
def period_edit(request):
    """Template: finance/form.html; the years the plan covers."""
    period = PlanPeriod.objects.order_by("pk").first() or PlanPeriod()
    if period.pk is None and request.method == "GET":
        first, last = services.adapter.plan_years(
            CostItem.objects.values_list("start_year", flat=True)
        )
        period.first_year, period.last_year = first, last
    return _edit(
        request,
        PlanPeriodForm,
        period,
        title=_("Plan period"),
        back=reverse("finance:index"),
        saved=_("The plan period has been saved."),
    )


# --- Lists ---------------------------------------------------------------------------------


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("seite"))


@readable
@require_GET
def items(request):
    """Template: finance/items.html; context: filter (search, category, sort), page (cost items
    with measure and school)."""
    filterset, page = filtered_page(request, CostItemFilter, CostItem.objects.for_list())
    return render_content(request, "finance/items.html", {"filter": filterset, "page": page})


@readable
@require_GET
def sources(request):
    """Template: finance/sources.html; context: filter (search, provider, status, sort), page
    (funding sources)."""
    filterset, page = filtered_page(request, FundingSourceFilter, FundingSource.objects.all())
    return render_content(request, "finance/sources.html", {"filter": filterset, "page": page})


@readable
@require_GET
def budget(request):
    """Template: finance/budget.html; context: page (budget lines), totals per year, history."""
    page = _page(request, BudgetLine.objects.order_by("year", "account", "pk"))
    context = {
        "page": page,
        "totals": sorted(BudgetLine.objects.by_year().items()),
        "history": history_entries(BudgetLine.history.all(), limit=HISTORY_LIMIT),
    }
    return render_content(request, "finance/budget.html", context)


@readable
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


@readable
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

KINDS = {
    "item": (CostItem, CostItemForm, "finance:items"),
    "source": (FundingSource, FundingSourceForm, "finance:sources"),
    "budget": (BudgetLine, BudgetLineForm, "finance:budget"),
}


def _edit(request, form_class, instance, *, title, back, saved, initial=None):
    """Show, check and save a versioned form; conflicts show the values saved meanwhile."""
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                obj = services.save_form(form)
            except EditConflict as exc:
                conflict = exc.current
            else:
                messages.success(request, saved % {"item": obj})
                return _go(request, back)
    else:
        form = form_class(instance=instance, initial=initial)
    context = {
        "form": form,
        "title": title,
        "action": request.get_full_path(),
        "cancel_url": back,
        "form_id": f"form-{form._meta.model._meta.model_name}-{instance.pk or 'new'}",
        "conflict_values": current_values(form, conflict) if conflict is not None else None,
    }
    status = 200
    if conflict is not None:
        status = CONFLICT
    elif form.is_bound:  # posted and not saved: invalid
        status = INVALID
    return render_htmx(request, "finance/form.html", context, partial="form", status=status)


def _go(request, url):
    if request.htmx:
        return HttpResponseLocation(url, target="#content", swap="outerHTML")
    return redirect(url)


def _kind(kind):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


@manager_only
@require_http_methods(["GET", "POST"])
def create(request, kind):
    model, form_class, list_url = _kind(kind)
    initial = {}
    if model is CostItem:
        for name in ("measure", "school"):
            if request.GET.get(name, "").isdigit():
                initial[name] = int(request.GET[name])
    return _edit(
        request,
        form_class,
        model(),
        title=_("New %(item)s") % {"item": model._meta.verbose_name},
        back=reverse(list_url),
        saved=_("„%(item)s“ has been created."),
        initial=initial,
    )


@manager_only
@require_http_methods(["GET", "POST"])
def edit(request, kind, pk):
    model, form_class, list_url = _kind(kind)
    obj = get_object_or_404(model, pk=pk)
    return _edit(
        request,
        form_class,
        obj,
        title=_("Edit %(item)s") % {"item": model._meta.verbose_name},
        back=reverse(list_url),
        saved=_("Your changes to „%(item)s“ have been saved."),
    )


@manager_only
@require_http_methods(["GET", "POST"])
def delete(request, kind, pk):
    """GET: template finance/confirm_delete.html (partial confirm); POST deletes."""
    model, _form, list_url = _kind(kind)
    obj = get_object_or_404(model, pk=pk)
    back = reverse(list_url)
    if request.method == "POST":
        label = str(obj)
        services.delete(obj)
        messages.success(request, _("„%(item)s“ has been deleted.") % {"item": label})
        return _go(request, back)
    context = {
        "object": obj,
        "verbose_name": model._meta.verbose_name,
        "cancel_url": back,
        "action": request.path,
        "dependents": dependents(obj),
    }
    return render_htmx(request, "finance/confirm_delete.html", context, partial="confirm")


# --- Exports of the cost items -------------------------------------------------------------


@readable
@require_GET
def items_csv(request):
    headers, rows, _formats = tables.items_export()
    return exports.csv_response(_export_name("kostenpositionen", "csv"), headers, rows)


@readable
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
