"""Shared by the strategy views: the permissions, the levels of the strategy tree and how an item
is loaded and which page shows it.

Views are one function per URL, each decorated with the permission it needs
(`rules.contrib.views.permission_required`). Reads come from strategy/querysets.py, writes go
through strategy/services.py with the forms' cleaned values.

Every page template wraps its main part in `{% partialdef content %}` (<div id="content">);
htmx requests get that partial, so editing swaps the page body without a reload. Forms post with
hx-target on themselves: an invalid form comes back in place, a saved one re-renders the page
content (HX-Retarget #content). Without JavaScript the same forms post normally and redirect.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import services
from ..models import FieldOfAction, Goal, Measure, Milestone

VIEW = "strategy.view"
MANAGE = "strategy.manage"
RESTORE = "strategy.restore"

# URL slug of each level → model, and the other way round.
LEVELS = {"field": FieldOfAction, "goal": Goal, "measure": Measure, "milestone": Milestone}
SLUGS = {model: slug for slug, model in LEVELS.items()}
PARENTS = {Goal: FieldOfAction, Measure: Goal, Milestone: Measure}


def _load(model, pk):
    qs = model.objects.all()
    if model is Goal:
        qs = qs.select_related("field", "owner_unit")
    elif model is Measure:
        qs = qs.select_related("goal__field", "lead_unit")
    elif model is Milestone:
        qs = qs.select_related("measure__goal__field")
    elif model is FieldOfAction:
        qs = qs.select_related("lead_unit")
    return get_object_or_404(qs, pk=pk)


def page_of(obj):
    """The object whose page lists `obj` (milestones live on their measure's page)."""
    if isinstance(obj, Milestone):
        return obj.measure
    return obj


def parent_of(obj):
    """The item `obj` lies below (None for a field of action)."""
    name = services.PARENT_FIELD[type(obj)]
    return getattr(obj, name) if name else None


def _url(obj):
    return obj.get_absolute_url() if obj is not None else reverse("strategy:index")
