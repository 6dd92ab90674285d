"""Search, sort and pages of the finance lists (core.listing.filtered_page)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.listing import ListFilter

from .models import CATEGORY_CHOICES, BudgetLine, CostItem, FundingSource

TREE_ORDER = ("measure__goal__field__position", "measure__goal__position", "measure__position")


class CostItemFilter(ListFilter):
    search_fields = ("title", "key", "measure__code", "measure__title", "school__name")
    sorts = {
        "massnahme": (_("Measure"), (*TREE_ORDER, "title", "pk")),
        "titel": (_("Title"), ("title", "pk")),
        "betrag": (_("Amount, highest first"), ("-amount", "title", "pk")),
        "beginn": (_("Start year"), ("start_year", "title", "pk")),
    }
    kategorie = django_filters.ChoiceFilter(
        field_name="category", label=_("Category"), choices=CATEGORY_CHOICES, empty_label=_("all")
    )

    class Meta(ListFilter.Meta):
        model = CostItem
        fields = []


class FundingSourceFilter(ListFilter):
    search_fields = ("title", "programme", "key", "file_number")
    sorts = {
        "prioritaet": (_("Order of application"), ("priority", "key")),
        "titel": (_("Title"), ("title", "pk")),
        "satz": (_("Rate, highest first"), ("-rate_pct", "title", "pk")),
        "beginn": (_("First eligible year"), ("from_year", "title", "pk")),
    }
    geber = django_filters.ChoiceFilter(
        field_name="provider",
        label=_("Provider"),
        choices=FundingSource.Provider.choices,
        empty_label=_("all"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FundingSource.Status.choices, empty_label=_("all")
    )

    class Meta(ListFilter.Meta):
        model = FundingSource
        fields = []


class BudgetLineFilter(django_filters.FilterSet):
    """The budget lines: no search and one order (year, account), only the pages."""

    class Meta:
        model = BudgetLine
        fields = []
