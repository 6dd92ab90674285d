"""Funding programmes: the list, a programme's page (its grants per year) and create/edit/delete
(tests/finance/test_sources.py, test_lists.py, test_pickers.py)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.history import history_entries
from core.htmx import render_content
from core.listing import filtered_page

from .. import selectors, services
from ..filters import FundingSourceFilter
from ..forms import FundingSourceForm
from ..models import FundingSource
from .common import HISTORY_LIMIT, MANAGE, VIEW, created, delete, edit, edit_title, new_title, saved


@permission_required(VIEW, raise_exception=True)
@require_safe
def sources(request):
    """Template: finance/sources.html; context: filter (search, provider, status, sort), page
    (funding sources)."""
    filterset, page = filtered_page(request, FundingSourceFilter, FundingSource.objects.all())
    return render_content(request, "finance/sources.html", {"filter": filterset, "page": page})


@permission_required(VIEW, raise_exception=True)
@require_safe
def source_detail(request, pk):
    """Template: finance/source_detail.html; context: source, its grants per year, history."""
    source = get_object_or_404(FundingSource.objects.prefetch_related("items"), pk=pk)
    finance_plan = selectors.plan_for()
    grants = [(row.year, row.grants.get(source.key, 0)) for row in finance_plan.plan.years]
    context = {
        "source": source,
        "grants": grants,
        "grant_total": sum(amount for _year, amount in grants),
        "cliffs": [c for c in finance_plan.cliffs if c.source_id == source.key],
        "history": history_entries(source.history.all(), limit=HISTORY_LIMIT),
    }
    return render_content(request, "finance/source_detail.html", context)


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def source_create(request):
    return edit(
        request,
        FundingSourceForm,
        FundingSource(),
        title=new_title(FundingSource),
        back=reverse("finance:sources"),
        saved=created(),
        save=lambda form: services.funding_source_create(data=form.changes()),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request, pk):
    source = get_object_or_404(FundingSource, pk=pk)
    return edit(
        request,
        FundingSourceForm,
        source,
        title=edit_title(FundingSource),
        back=reverse("finance:sources"),
        saved=saved(),
        save=lambda form: services.funding_source_update(
            source=source, data=form.changes(), expected_version=form.expected_version()
        ),
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def source_delete(request, pk):
    source = get_object_or_404(FundingSource, pk=pk)
    return delete(
        request,
        source,
        back=reverse("finance:sources"),
        delete=lambda: services.funding_source_delete(source=source),
    )
