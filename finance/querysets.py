"""Reads of the finance app as chainable QuerySet methods."""

from django.db import models
from django.db.models import Q, Sum


class CostItemQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row shows (measure code, field, school) in the same query."""
        return self.select_related("measure__goal__field", "school")

    def in_field(self, field):
        return self.filter(measure__goal__field=field)

    def of_measure(self, measure):
        return self.filter(measure=measure)

    def of_school(self, school):
        return self.filter(school=school)

    def eligible_for(self, source):
        """Items `source` may fund: by its explicit item and category scopes."""
        qs = self
        if not source.funds_all_items:
            qs = qs.filter(pk__in=source.items.values("pk"))
        if not source.funds_all_categories:
            qs = qs.filter(category__in=source.eligible_categories)
        return qs

    def search(self, text):
        return self.filter(Q(title__icontains=text) | Q(key__icontains=text))


class FundingSourceQuerySet(models.QuerySet):
    pass


class BudgetLineQuerySet(models.QuerySet):
    def by_year(self):
        """{year: Decimal} summed over the lines of each year."""
        rows = self.values("year").annotate(total=Sum("amount")).order_by("year")
        return {row["year"]: row["total"] for row in rows}
