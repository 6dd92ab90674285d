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

    def save_versioned(self, commit_hook=None):
        """Save if nobody else did in between; otherwise add the conflict error and re-raise.

        Editing without a version (a hand-made request; the forms always send one) counts as a
        conflict too: without it nobody can tell whether the item changed meanwhile."""
        expected = self.cleaned_data.get("edited_version")
        if self.instance.pk and expected is None:
            expected = MISSING_VERSION
        instance = self.save(commit=False)
        # A changed M2M (saved below) is a change of the object, even if no column changed.
        m2m_changed = any(f.name in self.changed_data for f in instance._meta.many_to_many)
        try:
            save_if_unchanged(instance, expected, before_save=commit_hook, force=m2m_changed)
        except EditConflict as conflict:
            self.add_error(None, self.conflict_message)
            # Show the new version on the next submit, so saving again is a deliberate choice.
            data = self.data.copy()
            data["edited_version"] = conflict.current.version
            self.data = data
            raise
        self.save_m2m()
        return instance


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
