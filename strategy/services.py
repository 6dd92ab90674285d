"""Writes of the strategy that do more than save one form: create with position, delete,
reorder, mark a milestone done, import. Each runs in one transaction; history records the user
through HistoryRequestMiddleware (or `user` where given outside a request)."""

import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext

from core.dependents import dependents, has_permanent
from core.editing import save_if_unchanged

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
    """Delete a tree object and everything below it (history keeps a record of each).

    Raises ProtectedError when something permanent depends on it; use `remove_item`."""
    with transaction.atomic():
        obj.delete()


@dataclass
class Removal:
    """What removing `obj` does: `archive` when permanent records depend on it, else delete."""

    obj: object
    dependents: list
    archive: bool


def removal_of(obj) -> Removal:
    """What depends on `obj` (other apps report it: settings.DEPENDENTS_PROVIDERS)."""
    found = dependents(obj)
    archive = not isinstance(obj, Milestone) and has_permanent(found)
    # What lies below (no effect of its own) shares the item's fate.
    effect = gettext("kept with it in the archive") if archive else gettext("deleted with it")
    found = [d if d.effect else replace(d, effect=effect) for d in found]
    return Removal(obj, found, archive=archive)


def remove_item(obj, user, reason=""):
    """Delete `obj`, or archive it when council records, costs or working-group links depend
    on it. Returns "archived" or "deleted". The check runs again inside the transaction, and
    the database refuses (PROTECT) what a concurrent write would make a lost record."""
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        if removal_of(obj).archive:
            archive_item(obj, user, reason)
            return "archived"
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError):
            if isinstance(obj, Milestone):
                raise
            archive_item(obj, user, reason)
            return "archived"
        return "deleted"


def archive_item(obj, user, reason=""):
    """Archive a field, goal or measure: out of the working views, kept everywhere else."""
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        if current.archived_at is not None:
            return current
        current.archived_at = timezone.now()
        current.archived_by = user if user is not None and user.is_authenticated else None
        current.archive_reason = reason
        current._change_reason = gettext("Archived") + (f": {reason}" if reason else "")
        return save_if_unchanged(current, current.version)


def restore_item(obj, user):
    """Bring an archived field, goal or measure back into the working views."""
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        if current.archived_at is None:
            return current
        current.archived_at = None
        current.archived_by = None
        current.archive_reason = ""
        current._change_reason = gettext("Restored from the archive")
        return save_if_unchanged(current, current.version)


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
