"""What depends on strategy items and finance records (settings.DEPENDENTS_PROVIDERS)."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dependents import Dependent
from strategy.selectors import measures_of

from .models import CostItem, FundingSource


def _cost_items(qs, permanent, effect):
    totals = qs.aggregate(n=Count("pk"), amount=Sum("amount"))
    n = totals["n"]
    return Dependent(
        ngettext("%(n)d cost item", "%(n)d cost items", n) % {"n": n},
        n,
        permanent,
        amount=totals["amount"],
        effect=effect,
    )


def costs(obj):
    """Cost items of the measures below a field, goal or measure: they keep the item alive."""
    items = CostItem.objects.filter(measure__in=measures_of(obj))
    return [_cost_items(items, True, _("kept and still planned: costs are deleted in finance"))]


def cost_item(item):
    """Programmes whose selection names the item: deleting it takes it out of their selection."""
    found = []
    sources = FundingSource.objects.filter(items=item).annotate(selected=Count("items"))
    for source in sources.order_by("priority", "key"):
        if source.selected == 1:
            effect = _("it funds nothing until someone chooses its items again")
        else:
            effect = _("%(n)d other selected items remain") % {"n": source.selected - 1}
        found.append(
            Dependent(
                _("Funding programme „%(title)s“ loses this item from its selection")
                % {"title": source.title},
                1,
                False,
                effect=effect,
            )
        )
    return found


def funding_source(source):
    """The items in a programme's selection stay; only their link to it goes."""
    return [
        _cost_items(source.items.all(), False, _("kept; they lose the grants of this programme"))
    ]
