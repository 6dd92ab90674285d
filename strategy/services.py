"""Writes of the strategy that do more than save one form: create with position, delete,
reorder, mark a milestone done, import. Each runs in one transaction; history records the user
through HistoryRequestMiddleware (or `user` where given outside a request)."""

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plauen_digital.editing import save_if_unchanged

from .models import DeadlineFeed, FieldOfAction, Goal, Measure, Milestone

# Which attribute holds the parent of each tree model (None: the root level).
PARENT_FIELD = {FieldOfAction: None, Goal: "field", Measure: "goal", Milestone: "measure"}


def siblings(obj):
    """The objects on the same level as `obj` (same parent), in display order."""
    model = type(obj)
    parent_field = PARENT_FIELD[model]
    qs = model._default_manager.all()
    if parent_field:
        qs = qs.filter(**{f"{parent_field}_id": getattr(obj, f"{parent_field}_id")})
    return qs.order_by("position", "code" if model is not Milestone else "due_date", "pk")


def _number(code):
    """The dotted number at the end of a code: "Z 2.1" → "2.1"."""
    match = re.search(r"(\d+(?:\.\d+)*)\s*$", code or "")
    return match.group(1) if match else ""


def suggest_code(model, parent=None):
    """The next free code below `parent`: HF 7, Z 2.4, M 2.1.5."""
    if model is FieldOfAction:
        existing = FieldOfAction.objects.values_list("code", flat=True)
        numbers = [int(n) for n in map(_number, existing) if n.isdigit()]
        return f"HF {max(numbers, default=0) + 1}"
    prefix = {Goal: "Z", Measure: "M"}[model]
    parent_number = _number(parent.code)
    existing = model._default_manager.filter(**{PARENT_FIELD[model]: parent}).values_list(
        "code", flat=True
    )
    last = [_number(c).rsplit(".", 1)[-1] for c in existing]
    n = max((int(x) for x in last if x.isdigit()), default=0) + 1
    return f"{prefix} {parent_number}.{n}" if parent_number else f"{prefix} {n}"


def create_item(form, user=None):
    """Save a new tree object from its (valid) form at the end of its siblings."""

    def before_save(instance):
        level = siblings(instance)
        instance.position = (level.aggregate(m=Max("position"))["m"] or 0) + 1
        if isinstance(instance, Milestone) and user is not None and user.is_authenticated:
            instance.created_by = user

    return form.save_versioned(commit_hook=before_save)


def delete_item(obj):
    """Delete a tree object and everything below it (history keeps a record of each)."""
    with transaction.atomic():
        obj.delete()


def move_item(obj, direction):
    """Move `obj` one place "up" or "down" among its siblings; renumbers the level 1…n.

    Only positions are written (update_fields), so a concurrent edit of the content is kept.
    """
    with transaction.atomic():
        level = list(siblings(obj).select_for_update())
        index = next(i for i, item in enumerate(level) if item.pk == obj.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(level):
            level[index], level[target] = level[target], level[index]
        for position, item in enumerate(level, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def set_milestone_done(milestone, done, today=None):
    """Mark a milestone done today (or open again); a new version, so open edit forms notice."""
    with transaction.atomic():
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        current.done_on = (today or timezone.localdate()) if done else None
        save_if_unchanged(current, current.version)
    return current


def renew_deadline_feed(user) -> DeadlineFeed:
    """A new secret address for the user's deadline calendar; the previous one stops working."""
    with transaction.atomic():
        DeadlineFeed.objects.filter(user=user).delete()
        return DeadlineFeed.objects.create(user=user)


def revoke_deadline_feed(user) -> None:
    DeadlineFeed.objects.filter(user=user).delete()
