"""Search, sort and pages for long lists (cost items, funding programmes, members).

A list's `ListFilter` (django-filter) names the fields `q` searches and the orders `sortierung`
offers; `filtered_page(request, filterset_class, queryset)` applies both and returns the filter (its
form for the page) and one page of rows (`?seite=N`, 50 rows). Rows, search and sort cost the same
queries for any number of rows: the search is one WHERE, the sort one ORDER BY.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50


class ListFilterForm(forms.Form):
    """KERN-UX classes on the filter inputs (the form renderer adds the rest)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "kern-form-input__select" if isinstance(field.widget, forms.Select) else None
            field.widget.attrs.setdefault("class", css or "kern-form-input__input")


class ListFilter(django_filters.FilterSet):
    """Subclasses set `search_fields` (lookups ORed for each word of `q`) and `sorts`
    ({value: (label, order_by fields)}, the first is the default)."""

    search_fields: tuple[str, ...] = ()
    sorts: dict = {}

    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        form = ListFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        choices = [(value, label) for value, (label, _fields) in self.sorts.items()]
        self.filters["sortierung"] = django_filters.ChoiceFilter(
            label=_("Sort by"), choices=choices, method="sort", empty_label=None
        )
        self.filters["sortierung"].model = self.queryset.model
        self.filters["sortierung"].parent = self

    def search(self, queryset, name, value):
        for word in value.split()[:10]:  # every word must match one of the fields
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields))
            )
        return queryset

    def sort(self, queryset, name, value):
        return queryset.order_by(*self.sorts[value][1])

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sortierung"):
            queryset = queryset.order_by(*next(iter(self.sorts.values()))[1])
        return queryset

    @property
    def active(self):
        """True when the reader searched or filtered (not just sorted)."""
        if not self.is_bound or not self.form.is_valid():
            return False
        values = self.form.cleaned_data
        return any(
            value not in (None, "") for name, value in values.items() if name != "sortierung"
        )


def filtered_page(request, filterset_class, queryset):
    """(filter, page) for a list view; an invalid value is shown beside its field and ignored."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("seite"))
    return filterset, page
