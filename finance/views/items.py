"""Cost items: the list, a cost item's page, create/edit/delete and the list's CSV/Excel exports
(tests/finance/test_items.py, test_lists.py, test_pickers.py)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core import exports
from core.history import history_entries
from core.htmx import render_content
from core.listing import filtered_page

from .. import selectors, services, tables
from ..engine import floor_euros
from ..filters import CostItemFilter
from ..forms import CostItemForm
from ..models import CostItem
from .common import (
    HISTORY_LIMIT,
    MANAGE,
    VIEW,
    created,
    delete,
    edit,
    edit_title,
    export_name,
    new_title,
    saved,
)


@permission_required(VIEW, raise_exception=True)
@require_safe
def items(request):
    """Template: finance/items.html; context: filter (search, category, sort), page (cost items
    with measure and school)."""
    filterset, page = filtered_page(request, CostItemFilter, CostItem.objects.for_list())
    return render_content(request, "finance/items.html", {"filter": filterset, "page": page})


@permission_required(VIEW, raise_exception=True)
@require_safe
def item_detail(request, pk):
    """Template: finance/item_detail.html; context: item, its plan slice, history."""
    item = get_object_or_404(CostItem.objects.for_list(), pk=pk)
    finance_plan = selectors.plan_for()
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


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def item_create(request):
    """Template: finance/form.html; `?measure=` and `?school=` preselect (measure and school
    pages link here)."""
    initial = {
        name: int(request.GET[name])
        for name in ("measure", "school")
        if request.GET.get(name, "").isdigit()
    }
    return edit(
        request,
        CostItemForm,
        CostItem(),
        title=new_title(CostItem),
        back=reverse("finance:items"),
        saved=created(),
        save=lambda form: services.cost_item_create(data=form.changes()),
        initial=initial,
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request, pk):
    item = get_object_or_404(CostItem, pk=pk)
    return edit(
        request,
        CostItemForm,
        item,
        title=edit_title(CostItem),
        back=reverse("finance:items"),
        saved=saved(),
        save=lambda form: services.cost_item_update(
            item=item, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def item_delete(request, pk):
    item = get_object_or_404(CostItem, pk=pk)
    return delete(
        request,
        item,
        back=reverse("finance:items"),
        delete=lambda: services.cost_item_delete(item=item),
    )


# --- Exports of the cost items -------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_safe
def items_csv(request):
    headers, rows, _formats = tables.items_export()
    return exports.csv_response(export_name("kostenpositionen", "csv"), headers, rows)


@permission_required(VIEW, raise_exception=True)
@require_safe
def items_xlsx(request):
    headers, rows, formats = tables.items_export()
    return exports.xlsx_response(
        export_name("kostenpositionen", "xlsx"),
        headers,
        rows,
        sheet_title=_("Cost items"),
        number_formats=formats,
    )
