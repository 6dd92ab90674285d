"""Readable change history from django-simple-history records, for any audited model.

    from core.history import history_entries

    entries = history_entries(measure.history.all())               # one object
    entries = history_entries(Milestone.history.filter(measure_id=measure.pk))  # many, incl. deleted
    {% include "includes/history.html" with entries=entries %}

Each entry says who did what when: `date`, `user` (None for changes made outside a request, e.g.
the demo seed), `action` ("+" created, "~" changed, "-" deleted) with a translated
`action_label`, the object's `label` (its str() at that time) and `changes`, a list of
`Change(field, label, old, new)` with texts ready to show ("Status: geplant → in Umsetzung"):
field verbose names, choice labels instead of stored values, names of related objects instead of
ids, German dates and numbers.

Consecutive records of the same object are diffed in memory. Queries: one for the records (the
user is select_related) plus at most one per foreign-key field that changed (names fetched in
bulk), so the number of queries does not grow with the number of records. Pass a queryset that is
already filtered and, for long histories, `limit` the number of entries shown (newest first).

Fields that users do not edit (`editable=False`: version counters, auto_now stamps, positions)
are left out of the changes; pass `exclude` to leave out more.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy

# Contexts keep these short words from clashing with the same msgids elsewhere.
ACTION_LABELS = {
    "+": pgettext_lazy("history", "created"),
    "~": pgettext_lazy("history", "changed"),
    "-": pgettext_lazy("history", "deleted"),
    "archived": pgettext_lazy("history", "archived"),
    "restored": pgettext_lazy("history", "restored"),
}
# A model with this field has an archive lifecycle: setting it is "archived", clearing it
# "restored" (whichever model it is).
ARCHIVED_FIELD = "archived_at"
EMPTY = "–"


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str

    def __str__(self):
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class HistoryEntry:
    date: datetime
    user: object
    action: str
    label: str
    reason: str = ""
    changes: list = field(default_factory=list)
    object_id: object = None

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)


def tracked_fields(model, exclude=()):
    """The concrete fields of `model` (the audited model, not the historical one) worth showing."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in exclude
    ]


def _display(value, model_field, related_names):
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        return related_names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(pgettext_lazy("history", "yes") if value else pgettext_lazy("history", "no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return str(value)  # counts, percentages and years (2027, not 2.027)
    return str(value)


def display_value(value, model_field):
    """A value of `model_field` as the history shows it (German dates, choice labels)."""
    names = {}
    if model_field.is_relation and value is not None:
        names = _related_names({model_field: {value}})
    return _display(value, model_field, names)


def _related_names(fields_and_ids):
    """{(related model, id): str(object)} with one query per related model."""
    by_model = defaultdict(set)
    for model_field, ids in fields_and_ids.items():
        by_model[model_field.related_model].update(ids)
    names = {}
    for related_model, ids in by_model.items():
        for pk, obj in related_model._base_manager.in_bulk(ids).items():
            names[(related_model, pk)] = str(obj)
    return names


def diff(record, previous, fields):
    """[(model field, old, new)] of a record against the one before it (None: none before)."""
    if record.history_type == "~" and previous is not None:
        return [
            (f, getattr(previous, f.attname), getattr(record, f.attname))
            for f in fields
            if getattr(previous, f.attname) != getattr(record, f.attname)
        ]
    if record.history_type == "+":
        return [
            (f, None, getattr(record, f.attname))
            for f in fields
            if getattr(record, f.attname) not in (None, "")
        ]
    return []


def build_entries(raw, model_of=lambda record: record.instance_type):
    """HistoryEntry objects for [(record, diffs)], related names fetched in bulk."""
    wanted = defaultdict(set)
    for _record, diffs in raw:
        for f, old, new in diffs:
            if f.is_relation:
                wanted[f].update(v for v in (old, new) if v is not None)
    names = _related_names(wanted)
    entries = []
    for record, diffs in raw:
        model = model_of(record)
        action = record.history_type
        for f, _old, new in diffs:
            if f.name == ARCHIVED_FIELD and action == "~":
                action = "archived" if new is not None else "restored"
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                action=action,
                label=_record_label(record, model),
                reason=record.history_change_reason or "",
                object_id=getattr(record, model._meta.pk.attname),
                changes=[
                    Change(
                        field=f.name,
                        label=str(f.verbose_name),
                        old=_display(old, f, names),
                        new=_display(new, f, names),
                    )
                    for f, old, new in diffs
                ],
            )
        )
    return entries


def history_entries(records, *, exclude=(), limit=None):
    """Readable entries (newest first) for a queryset of historical records of one model."""
    model = records.model.instance_type
    fields = tracked_fields(model, exclude)
    pk_name = model._meta.pk.attname
    rows = list(
        records.select_related("history_user").order_by(pk_name, "history_date", "history_id")
    )

    raw = []  # (record, [(model_field, old, new)])
    previous_by_object = {}
    for record in rows:
        object_id = getattr(record, pk_name)
        previous = previous_by_object.get(object_id)
        diffs = diff(record, previous, fields)
        previous_by_object[object_id] = record
        if record.history_type == "~" and previous is not None and not diffs:
            continue  # a save that changed nothing a user would see
        raw.append((record, diffs))

    raw.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    if limit is not None:
        raw = raw[:limit]
    return build_entries(raw, lambda record: model)


def _record_label(record, model):
    """str() of the object as it was. The model's __str__ runs on the record itself, which has
    the same fields, so relations the caller select_related on the record cost no query."""
    try:
        return model.__str__(record)
    except (models.ObjectDoesNotExist, AttributeError):
        try:
            return str(record.instance)
        except models.ObjectDoesNotExist:
            return str(getattr(record, model._meta.pk.attname))
