"""What lies below a field, goal or measure, for the deletion/archiving confirmation
(settings.DEPENDENTS_PROVIDERS), and the querysets other apps' providers count from."""

from django.utils.translation import ngettext

from core.dependents import Dependent

from .models import FieldOfAction, Goal, Measure, Milestone


def goals_of(obj):
    """The goals of a field, the goal itself, or none (measure, milestone)."""
    if isinstance(obj, FieldOfAction):
        return Goal.objects.filter(field=obj)
    if isinstance(obj, Goal):
        return Goal.objects.filter(pk=obj.pk)
    return Goal.objects.none()


def measures_of(obj):
    """The measures of a field or goal, or the measure itself."""
    if isinstance(obj, FieldOfAction):
        return Measure.objects.filter(goal__field=obj)
    if isinstance(obj, Goal):
        return Measure.objects.filter(goal=obj)
    if isinstance(obj, Measure):
        return Measure.objects.filter(pk=obj.pk)
    return Measure.objects.none()


def milestones_of(obj):
    if isinstance(obj, Milestone):
        return Milestone.objects.filter(pk=obj.pk)
    return Milestone.objects.filter(measure__in=measures_of(obj))


def below(obj):
    """Goals, measures and milestones below `obj`. Without an effect: the confirmation says
    whether they go with it or stay in the archive with it (services.removal_of)."""
    found = []
    effect = ""
    if isinstance(obj, FieldOfAction):
        n = goals_of(obj).count()
        found.append(
            Dependent(ngettext("%(n)d goal", "%(n)d goals", n) % {"n": n}, n, False, effect=effect)
        )
    if isinstance(obj, FieldOfAction | Goal):
        n = measures_of(obj).count()
        found.append(
            Dependent(
                ngettext("%(n)d measure", "%(n)d measures", n) % {"n": n}, n, False, effect=effect
            )
        )
    n = milestones_of(obj).count()
    found.append(
        Dependent(
            ngettext("%(n)d milestone", "%(n)d milestones", n) % {"n": n}, n, False, effect=effect
        )
    )
    return found
