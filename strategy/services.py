"""Writes of the strategy (docs/architecture.md, "One way for each thing"): functions named
`<entity>_<action>` with keyword-only plain arguments (model instances, dicts of cleaned values,
the acting user), never forms or requests. `item` is a field of action, goal, measure or
milestone (the tree). Each runs in one transaction; history records the user through
HistoryRequestMiddleware (`actor` where the write itself stores the person)."""

import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext

from core.dependents import dependents, has_permanent
from core.editing import save_changes, save_if_unchanged
from core.history import note_change

from .models import FieldOfAction, Goal, Measure, Milestone

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
    """The next free code below `parent`: HF 7, Z 2.4, M 2.1.5 (a read for the new-item form)."""
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


def item_create(*, model, parent=None, data, actor=None):
    """A new field (no parent), goal, measure or milestone below `parent`, at the end of its
    siblings; `data` are the cleaned values (`form.changes()`). A milestone records `actor` as
    its creator."""
    item = model()
    if PARENT_FIELD[model]:
        setattr(item, PARENT_FIELD[model], parent)

    def before_save(instance):
        level = siblings(instance)
        instance.position = (level.aggregate(m=Max("position"))["m"] or 0) + 1
        if isinstance(instance, Milestone) and actor is not None and actor.is_authenticated:
            instance.created_by = actor

    return save_changes(item, data, expected_version=None, before_save=before_save)


def item_update(*, item, data, expected_version):
    """Save the edited values of `item` if nobody saved it after `expected_version`
    (`core.editing.EditConflict` otherwise)."""
    return save_changes(item, data, expected_version=expected_version)


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


def item_remove(*, item, actor=None, reason=""):
    """Delete `item`, or archive it when council records, costs or working-group links depend
    on it. Returns "archived" or "deleted". The check runs again inside the transaction, and
    the database refuses (PROTECT) what a concurrent write would make a lost record."""
    with transaction.atomic():
        item = type(item).objects.select_for_update().get(pk=item.pk)
        if removal_of(item).archive:
            item_archive(item=item, actor=actor, reason=reason)
            return "archived"
        try:
            with transaction.atomic():
                item.delete()
        except (ProtectedError, RestrictedError):
            if isinstance(item, Milestone):
                raise
            item_archive(item=item, actor=actor, reason=reason)
            return "archived"
        return "deleted"


def item_archive(*, item, actor=None, reason=""):
    """Archive a field, goal or measure: out of the working views, kept everywhere else."""
    with transaction.atomic():
        current = type(item).objects.select_for_update().get(pk=item.pk)
        if current.archived_at is not None:
            return current
        current.archived_at = timezone.now()
        current.archived_by = actor if actor is not None and actor.is_authenticated else None
        current.archive_reason = reason
        note_change(current, reason=gettext("Archived") + (f": {reason}" if reason else ""))
        return save_if_unchanged(current, current.version)


def item_restore(*, item):
    """Bring an archived field, goal or measure back into the working views."""
    with transaction.atomic():
        current = type(item).objects.select_for_update().get(pk=item.pk)
        if current.archived_at is None:
            return current
        current.archived_at = None
        current.archived_by = None
        current.archive_reason = ""
        note_change(current, reason=gettext("Restored from the archive"))
        return save_if_unchanged(current, current.version)


def item_move(*, item, direction):
    """Move `item` one place "up" or "down" among its siblings; renumbers the level 1…n.

    Only positions are written (update_fields), so a concurrent edit of the content is kept.
    """
    with transaction.atomic():
        level = list(siblings(item).select_for_update())
        index = next(i for i, obj in enumerate(level) if obj.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(level):
            level[index], level[target] = level[target], level[index]
        for position, obj in enumerate(level, start=1):
            if obj.position != position:
                obj.position = position
                obj.save(update_fields=["position"])


def milestone_mark_done(*, milestone, today=None):
    """Mark a milestone done today; a new version, so open edit forms notice."""
    return _set_done_on(milestone, today or timezone.localdate())


def milestone_reopen(*, milestone):
    """Mark a done milestone open again (a new version as well)."""
    return _set_done_on(milestone, None)


def _set_done_on(milestone, done_on):
    with transaction.atomic():
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        current.done_on = done_on
        save_if_unchanged(current, current.version)
    return current
