"""Search and sort of the working group's member list (core.listing)."""

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.listing import ListFilter

from .models import Member

NAME = ("user__last_name", "user__first_name", "pk")


def in_motion_order(queryset):
    """Annotate `category_order`: the categories in the order the motion lists them."""
    whens = [
        When(category=value, then=Value(i))
        for i, (value, _label) in enumerate(Member.Category.choices)
    ]
    return queryset.annotate(category_order=Case(*whens, output_field=IntegerField()))


class MemberFilter(ListFilter):
    """Members stay grouped by category (the motion's order); the sort applies within."""

    search_fields = (
        "user__first_name",
        "user__last_name",
        "organisation",
        "school__name",
        "faction__name",
        "faction__short_name",
    )
    sorts = {
        "name": (_("Name"), ("category_order", *NAME)),
        "seit": (_("Member since"), ("category_order", "started_on", *NAME)),
        "organisation": (
            _("Organisation or school"),
            ("category_order", "school__name", "organisation", *NAME),
        ),
    }
    kategorie = django_filters.ChoiceFilter(
        field_name="category",
        label=_("Category"),
        choices=Member.Category.choices,
        empty_label=_("all"),
    )

    class Meta(ListFilter.Meta):
        model = Member
        fields = []
