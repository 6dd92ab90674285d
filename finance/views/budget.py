"""Budget lines: the list with totals per year and history, create/edit/delete
(tests/finance/test_budget.py)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.history import history_entries
from core.htmx import render_content
from core.listing import filtered_page

from .. import services
from ..filters import BudgetLineFilter
from ..forms import BudgetLineForm
from ..models import BudgetLine
from .common import HISTORY_LIMIT, MANAGE, VIEW, created, delete, edit, edit_title, new_title, saved


@permission_required(VIEW, raise_exception=True)
@require_safe
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


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def budget_create(request):
    return edit(
        request,
        BudgetLineForm,
        BudgetLine(),
        title=new_title(BudgetLine),
        back=reverse("finance:budget"),
        saved=created(),
        save=lambda form: services.budget_line_create(data=form.changes()),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def budget_edit(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    return edit(
        request,
        BudgetLineForm,
        line,
        title=edit_title(BudgetLine),
        back=reverse("finance:budget"),
        saved=saved(),
        save=lambda form: services.budget_line_update(
            line=line, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def budget_delete(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    return delete(
        request,
        line,
        back=reverse("finance:budget"),
        delete=lambda: services.budget_line_delete(line=line),
    )
