"""Cached reads that are never stale, in any process.

The expensive part of a page (the funding plan, the strategy overview, the parity matrix) depends
on a handful of tables only. Every change through the ORM adds a row to a table's history
(django-simple-history, also for deletions), so the highest history id of those tables changes
whenever their data does. `data_stamp` reads them in one cheap query (each a primary-key index
lookup; for a model without history, the highest id of its own table and, if it has an indexed
`updated_at` column, its latest value, as for users). A cache entry whose key
contains the stamp is simply never asked for again after a change. That holds across gunicorn
workers with their own in-memory caches and without any invalidation code in the services.

Not seen: writes that bypass the history, i.e. `bulk_create`, `QuerySet.update()` and raw SQL.
Only `seed_scale` uses such writes on stamped models, and it runs before the server starts.
(Reading the base tables too would catch bulk inserts, at twice the planning time of the query.)
"""

import functools
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.utils import timezone

T = TypeVar("T")

# An entry is only a shortcut: a day bounds the memory an unused entry keeps.
TIMEOUT = 24 * 60 * 60


@functools.cache  # simple-history builds a new manager class on every `Model.history` read
def _tables(models: tuple[type[Model], ...]) -> tuple[tuple[str, str], ...]:
    tables = []
    for model in models:
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        stamped = getattr(model, manager_name).model if manager_name else model
        tables.append((stamped._meta.db_table, stamped._meta.pk.column))
        if not manager_name and any(f.name == "updated_at" for f in model._meta.fields):
            tables.append((model._meta.db_table, model._meta.get_field("updated_at").column))
    return tuple(tables)


def data_stamp(*models: type[Model]) -> str:
    """A short string that changes whenever a row of `models` (or their history) is written.

    Today's date is part of it, since overdue flags and the current budget year depend on it."""
    quote = connection.ops.quote_name
    # Names come from model metadata, never from input.
    columns = ", ".join(
        f"(SELECT MAX({quote(pk)}) FROM {quote(table)})"  # noqa: S608  # nosec B608
        for table, pk in _tables(models)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        highest = cursor.fetchone()
    raw = f"{timezone.localdate().isoformat()}|{'|'.join(str(value) for value in highest)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def cached(name: str, stamp: str, build: Callable[[], T], *vary: object) -> T:
    """`build()`, or its result stored under `name`, `stamp` and `vary` (e.g. a role or page)."""
    key = f"pd:{name}:{stamp}:" + ":".join(str(part) for part in vary)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
