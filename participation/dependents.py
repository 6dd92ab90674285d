"""Council records that depend on a strategy field or goal (settings.DEPENDENTS_PROVIDERS).

All of them are permanent: a field or goal with any of them is archived, never deleted."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dependents import Dependent
from strategy.selectors import goals_of

from .models import Comment, Consultation, ModerationLog, Vote


def council_records(obj):
    goals = goals_of(obj)
    kept = _("kept: council records are permanent")
    consultations = Consultation.objects.filter(goals__in=goals).distinct().count()
    votes = Vote.objects.filter(goal__in=goals).count()
    comments = Comment.objects.filter(goal__in=goals).count()
    moderation = ModerationLog.objects.filter(comment__goal__in=goals).count()
    return [
        Dependent(
            ngettext("%(n)d consultation", "%(n)d consultations", consultations)
            % {"n": consultations},
            consultations,
            True,
            effect=kept,
        ),
        Dependent(
            ngettext("%(n)d vote", "%(n)d votes", votes) % {"n": votes}, votes, True, effect=kept
        ),
        Dependent(
            ngettext("%(n)d comment", "%(n)d comments", comments) % {"n": comments},
            comments,
            True,
            effect=kept,
        ),
        Dependent(
            ngettext("%(n)d moderation entry", "%(n)d moderation entries", moderation)
            % {"n": moderation},
            moderation,
            True,
            effect=kept,
        ),
    ]
