"""No lost updates: optimistic concurrency for objects edited in the browser.

A model inherits `VersionedModel`; its edit form carries the version the user started from
(`VersionedForm`), and the save goes through `save_if_unchanged`, which locks the row, compares
versions and refuses with `EditConflict` when someone else saved in between. The view then shows
the current values next to what the user typed (see templates/includes/edit_conflict.html).
"""

from django import forms
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved the object after the user opened the form."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


# No row ever has this version (versions start at 1), so an edit without one is a conflict.
MISSING_VERSION = 0


class VersionedForm(forms.ModelForm):
    """A ModelForm that remembers which version of the object the user edited."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    conflict_message = _(
        "Someone else changed this item while you were editing it. Your input has been kept; "
        "the current values are shown next to it. Please check and save again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["edited_version"] = self.instance.version

    def note_conflict(self, conflict: "EditConflict") -> None:
        """Show the conflict on the form: the error, and the new version on the next submit, so
        saving again is a deliberate choice. Noting the same conflict twice shows it once."""
        if self.conflict_message not in self.non_field_errors():
            self.add_error(None, self.conflict_message)
        data = self.data.copy()
        data["edited_version"] = conflict.current.version
        self.data = data

    def expected_version(self) -> int | None:
        """The version the user edited; an edit without one (a hand-made request: the forms
        always send one) counts as a conflict, since nobody can tell what changed meanwhile."""
        expected = self.cleaned_data.get("edited_version")
        if self.instance.pk and expected is None:
            return MISSING_VERSION
        return expected

    def changes(self) -> dict:
        """The cleaned values of the model's own fields (no `edited_version`): what a service's
        `data` argument takes."""
        names = {f.name for f in self.instance._meta.get_fields() if f.concrete or f.many_to_many}
        return {k: v for k, v in self.cleaned_data.items() if k in names}


def save_changes(instance, data: dict, *, expected_version, before_save=None):
    """Set `data` (field name → value, many-to-many included) on `instance` and save it, only if
    its row still has `expected_version` (`EditConflict` otherwise); the one way services write
    an edited object (docs/architecture.md, "Editing the same item twice")."""
    model = type(instance)
    m2m = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = list(value)
        else:
            setattr(
                instance, field.attname if field.is_relation else name, _pk_or_value(value, field)
            )
    changed_m2m = {
        name: values
        for name, values in m2m.items()
        if instance.pk is None
        or {getattr(v, "pk", v) for v in values}
        != set(getattr(instance, name).values_list("pk", flat=True))
    }
    with transaction.atomic():
        save_if_unchanged(
            instance, expected_version, before_save=before_save, force=bool(changed_m2m)
        )
        for name, values in changed_m2m.items():
            getattr(instance, name).set(values)
    return instance


def _pk_or_value(value, field):
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def save_if_unchanged(instance, expected_version, before_save=None, force=False):
    """Save `instance` only if its row still has `expected_version`; bump the version.

    A save that changes no value (the form sent back as it was) writes nothing: no history row,
    no new version, so the history says only what happened. `force` saves anyway (an M2M of the
    object changed)."""
    model = type(instance)
    with transaction.atomic():
        if instance.pk is None:
            if before_save:
                before_save(instance)
            instance.save()
            return instance
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        instance.version = current.version
        if before_save:
            before_save(instance)
        if not force and same_values(instance, current):
            return instance
        instance.version = current.version + 1
        instance.save()
    return instance


def same_values(instance, current):
    """Whether `instance` holds the values stored in `current` (version and auto times aside)."""
    for f in type(instance)._meta.concrete_fields:
        if f.primary_key or f.name == "version" or getattr(f, "auto_now", False):
            continue
        if f.value_from_object(instance) != f.value_from_object(current):
            return False
    return True


def current_values(form, current):
    """Pairs (label, current value as text) for the fields of `form`, for the conflict view."""
    values = model_to_dict(
        current, fields=[name for name in form.fields if name != "edited_version"]
    )
    rows = []
    for name, value in values.items():
        field = form.fields[name]
        if hasattr(field, "choices") and not isinstance(value, list):
            value = dict(field.choices).get(value, value)
        rows.append((field.label, "" if value is None else value))
    return rows
