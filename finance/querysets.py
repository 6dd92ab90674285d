"""Reads of the finance app as chainable QuerySet methods."""

from django.db import models
from django.db.models import Sum


class CostItemQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row shows (measure code, field, school) in the same query."""
        return self.select_related("measure__goal__field", "school")

    def of_measure(self, measure):
        return self.filter(measure=measure)

    def of_school(self, school):
        return self.filter(school=school)


class FundingSourceQuerySet(models.QuerySet):
    pass


class BudgetLineQuerySet(models.QuerySet):
    def by_year(self):
        """{year: Decimal} summed over the lines of each year."""
        rows = self.values("year").annotate(total=Sum("amount")).order_by("year")
        return {row["year"]: row["total"] for row in rows}
