"""Working-group records linked to strategy items (settings.DEPENDENTS_PROVIDERS)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dependents import Dependent
from strategy.models import Milestone
from strategy.selectors import goals_of, measures_of, milestones_of

from .models import ActionItem, AgendaItem


def working_group_links(obj):
    """Agenda items about the goals/measures, action items turned into its milestones.

    For a field, goal or measure they are permanent (the item is archived); a milestone alone
    may go: its action item stays and only loses the link.
    """
    milestones = milestones_of(obj)
    actions = ActionItem.objects.filter(milestone__in=milestones).count()
    if isinstance(obj, Milestone):
        return [
            Dependent(
                ngettext(
                    "%(n)d action item of the working group",
                    "%(n)d action items of the working group",
                    actions,
                )
                % {"n": actions},
                actions,
                False,
                effect=_("kept; only the link to the milestone goes"),
            )
        ]
    kept = _("kept: the working group's records stay linked")
    agenda = AgendaItem.objects.filter(
        Q(goal__in=goals_of(obj)) | Q(measure__in=measures_of(obj))
    ).count()
    return [
        Dependent(
            ngettext(
                "%(n)d agenda item of the working group",
                "%(n)d agenda items of the working group",
                agenda,
            )
            % {"n": agenda},
            agenda,
            True,
            effect=kept,
        ),
        Dependent(
            ngettext(
                "%(n)d action item of the working group",
                "%(n)d action items of the working group",
                actions,
            )
            % {"n": actions},
            actions,
            True,
            effect=kept,
        ),
    ]
