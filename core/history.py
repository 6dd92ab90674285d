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
user and the objects the records' names follow are select_related, `label_relations`) plus one
per related model whose names the changes show (fetched in bulk), so the number of queries does
not grow with the number of records. Pass querysets that are already filtered (several are
merged newest first) and, for long histories, `limit` the number of entries shown.

`merge` is the one way records become entries: "Letzte Änderungen" (plauen_digital/changes/
feed.py) reads its page's records and their predecessors with `records_with_predecessors` and
merges them the same way.

Fields that users do not edit (`editable=False`: version counters, auto_now stamps, positions)
are left out of the changes; pass `exclude` to leave out more.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery
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
    model: type | None = None  # the audited model
    record: object = None  # the historical record shown

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)


def note_change(instance, *, reason: str | None = None, user=None) -> None:
    """What the next save's history row records besides the values: why (`reason`) and, outside
    a request (tasks, commands), who (`user`); inside one, HistoryRequestMiddleware records the
    user. django-simple-history reads these two attributes at save time."""
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]


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
                model=model,
                record=record,
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


def label_relations(history) -> list[str]:
    """What to select_related on records of the historical model `history` so that naming a
    record (its model's __str__) needs no query: each foreign key and, one step further, the
    foreign keys of its target (a school value is named "school – indicator – year")."""
    related = []
    for f in history._meta.concrete_fields:
        if f.is_relation and f.name != "history_user":
            related.append(f.name)
            related += [
                f"{f.name}__{g.name}"
                for g in f.related_model._meta.concrete_fields
                if g.is_relation and g.many_to_one
            ]
    return related


def history_entries(*record_sets, exclude=(), limit=None):
    """Readable entries, newest first, of one or more querysets of historical records (each of
    one model; several are merged, e.g. a school's records and those of its values).

    Each object's records are diffed in the order they were written; a save that changed
    nothing a user would see is left out. Queries: one per queryset (user and what the names
    need select_related) plus the related names (`build_entries`)."""
    items = []
    for records in record_sets:
        model = records.model.instance_type
        pk_name = model._meta.pk.attname
        rows = records.select_related("history_user", *label_relations(records.model)).order_by(
            pk_name, "history_date", "history_id"
        )
        previous_by_object = {}
        for record in rows:
            object_id = getattr(record, pk_name)
            items.append((model, record, previous_by_object.get(object_id)))
            previous_by_object[object_id] = record
    return merge(items, exclude=exclude, skip_unchanged=True, limit=limit)


def merge(items, *, exclude=(), skip_unchanged=False, limit=None):
    """HistoryEntry objects, newest first, for [(model, record, previous record or None)] of any
    models: each record diffed against its predecessor, related names fetched in bulk.

    `skip_unchanged` leaves out saves that changed no tracked field (history_entries); the
    "Letzte Änderungen" feed keeps them, its pages are cut from a count of all records."""
    fields = {}
    raw, models = [], []
    for model, record, previous in items:
        if model not in fields:
            fields[model] = tracked_fields(model, exclude)
        diffs = diff(record, previous, fields[model])
        if skip_unchanged and record.history_type == "~" and previous is not None and not diffs:
            continue
        raw.append((record, diffs))
        models.append(model)
    order = sorted(
        range(len(raw)),
        key=lambda i: (raw[i][0].history_date, raw[i][0].history_id),
        reverse=True,
    )[:limit]
    model_of = {id(raw[i][0]): models[i] for i in order}
    return build_entries([raw[i] for i in order], lambda record: model_of[id(record)])


def records_with_predecessors(model, history_ids):
    """[(record, previous record or None)] for the given ids of `model`'s history, two queries:
    the records (with what their names need) and each one's predecessor id as a subquery, then
    the predecessors of the changes."""
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    pk_name = model._meta.pk.attname
    before = history.objects.filter(
        **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    records = list(
        history.objects.filter(history_id__in=history_ids)
        .select_related("history_user", *label_relations(history))
        .annotate(previous_id=Subquery(before.values("history_id")[:1]))
    )
    previous_ids = [r.previous_id for r in records if r.history_type == "~" and r.previous_id]
    previous = history.objects.in_bulk(previous_ids) if previous_ids else {}
    return [(r, previous.get(r.previous_id)) for r in records]


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
