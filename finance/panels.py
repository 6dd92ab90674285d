"""The finance sections of other apps' detail pages (settings.DETAIL_PANELS)."""

from django.db.models import Sum

from . import selectors
from .models import CostItem


def measure_panel(request, measure):
    """The measure's cost items, its total cost of ownership over the plan years, what grants
    pay, its own share and gap, and the funding cliffs it carries. None without cost items."""
    if not request.user.has_perm("finance.view"):
        return None
    summary = selectors.measure_summary(measure)
    if summary is None:
        return None
    return {
        "template": "finance/partials/measure_panel.html",
        "measure": measure,
        "summary": summary,
        "cliffs": summary.plan.cliffs,
    }


def school_panel(request, school):
    """The school's cost items and their sum per recurrence. None without cost items."""
    if not request.user.has_perm("finance.view"):
        return None
    items = list(CostItem.objects.of_school(school).select_related("measure"))
    if not items:
        return None
    totals = dict(
        CostItem.objects.of_school(school)
        .values_list("recurrence")
        .annotate(total=Sum("amount"))
        .values_list("recurrence", "total")
    )
    summary = selectors.plan_for(school=school)
    return {
        "template": "finance/partials/school_panel.html",
        "school": school,
        "items": items,
        "once_total": totals.get(CostItem.Recurrence.ONCE, 0),
        "annual_total": totals.get(CostItem.Recurrence.ANNUAL, 0),
        "fp": summary,
        "tco": summary.total("cost"),
        "grants": summary.total("grants_total"),
        "gap": summary.total("gap"),
    }
