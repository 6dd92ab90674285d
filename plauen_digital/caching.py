"""Cached reads that are never stale, in any process.

The expensive part of a page (the funding plan, the strategy overview, the parity matrix) depends
on a handful of tables only. Every change through the ORM adds a row to a table's history
(django-simple-history, also for deletions), and bulk inserts raise a table's highest id. So the
highest history id and the highest id of those tables change whenever their data does.
`data_stamp` reads them in one cheap query (each a primary-key index lookup); a cache entry whose
key contains the stamp is simply never asked for again after a change. That holds across gunicorn
workers with their own in-memory caches and without any invalidation code in the services.

Not caught: `QuerySet.update()` and raw SQL, which write no history. Code that uses them on a
stamped model must not rely on these caches (there is none today; grep for `.update(`).
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
        tables.append((model._meta.db_table, model._meta.pk.column))
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_name:
            historical = getattr(model, manager_name).model
            tables.append((historical._meta.db_table, historical._meta.pk.column))
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
