"""Reading the history of every audited model as one list, in bulk.

The records of all history tables are merged by one UNION query (only ids, dates, user and
type), ordered newest first and cut to a page; then, per model on the page, one query reads the
page's records (with their user and the objects their names need) together with the id of each
record's predecessor, and one more the predecessors (`core.history.records_with_predecessors`);
`core.history.merge` diffs them, as every history list does.
So a page costs the same number of queries whatever the number of records.

An `archived_at` field that became set reads as "archiviert", one that was cleared as
"wiederhergestellt", for any model that has one (core.history.build_entries).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.apps import apps
from django.db.models import IntegerField, Value
from django.utils import timezone

from core.history import HistoryEntry, merge, records_with_predecessors


def audited_models() -> list:
    """Every model with a simple-history manager, in a stable order (app, model)."""
    found = [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]
    return sorted(found, key=lambda m: m._meta.label)


def history_model(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def app_choices() -> list[tuple[str, str]]:
    """(app label, verbose name) of the apps that have audited models."""
    seen = {}
    for model in audited_models():
        config = model._meta.app_config
        seen.setdefault(config.label, str(config.verbose_name))
    return sorted(seen.items(), key=lambda item: item[1])


@dataclass
class FeedEntry:
    """A history entry with where it belongs: `model` (its verbose name as `kind`) and `url`."""

    entry: HistoryEntry
    model: type
    url: str | None = None

    @property
    def kind(self):
        return self.model._meta.verbose_name

    @property
    def app(self):
        return self.model._meta.app_config.verbose_name

    def __getattr__(self, name):
        return getattr(self.entry, name)


class Feed:
    """The merged history, filtered by app label, user and dates (inclusive, local days)."""

    def __init__(self, app=None, user=None, start=None, end=None):
        self.models = [m for m in audited_models() if app in (None, "", m._meta.app_label)]
        self.filters = {}
        if user is not None:
            self.filters["history_user"] = user
        if start is not None:
            self.filters["history_date__gte"] = _start_of(start)
        if end is not None:
            self.filters["history_date__lt"] = _start_of(end + timedelta(days=1))

    def _union(self):
        parts = [
            history_model(model)
            .objects.filter(**self.filters)
            .annotate(source=Value(index, output_field=IntegerField()))
            .values("history_id", "history_date", "source")
            .order_by()
            for index, model in enumerate(self.models)
        ]
        if not parts:
            return None
        first, *rest = parts
        return first.union(*rest, all=True) if rest else first

    def count(self) -> int:
        union = self._union()
        return union.count() if union is not None else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        """Entries of a slice (Django's Paginator asks for one page this way)."""
        union = self._union()
        if union is None:
            return []
        rows = list(union.order_by("-history_date", "-history_id")[window])
        return self.entries(rows)

    def entries(self, rows):
        wanted = {}
        for row in rows:
            wanted.setdefault(row["source"], []).append(row["history_id"])
        items = [
            (self.models[source], record, previous)
            for source, ids in wanted.items()
            for record, previous in records_with_predecessors(self.models[source], ids)
        ]
        entries = merge(items)
        alive = _existing(entries)
        result = []
        for entry in entries:
            url = None
            if (entry.model, entry.object_id) in alive and hasattr(entry.model, "get_absolute_url"):
                url = entry.record.instance.get_absolute_url()
            result.append(FeedEntry(entry, entry.model, url))
        return result


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _existing(entries):
    """{(model, pk)} of the objects that still exist, one query per model."""
    by_model = {}
    for entry in entries:
        by_model.setdefault(entry.model, set()).add(entry.object_id)
    alive = set()
    for model, ids in by_model.items():
        for pk in model._base_manager.filter(pk__in=ids).order_by().values_list("pk", flat=True):
            alive.add((model, pk))
    return alive
