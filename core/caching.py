"""Cached page parts that are never stale, in any process and under concurrent writes.

The expensive parts of pages (the funding plan, the strategy overview, the parity matrix, the
discussion, the dashboard panels) depend on a handful of tables only. PARTS below is the one
registry of which models each cached part reads. Every write of such a model changes that model's
row in `DataVersion` *inside the writing transaction* (`bump`, hooked generically to post_save,
post_delete and m2m_changed in `connect_signals`), and a part's `stamp()` reads those rows before
anything is built. A cache entry whose key contains the stamp is never asked for again after a
change. See docs/architecture.md ("Cache stamps") for why this follows commit order:

- the counter row is written in the same transaction as the data, so the new value becomes
  visible exactly when the data does (never before, never after);
- writing the row takes its row lock, so two transactions writing the same model serialise on
  it; a reader sees the value of the last committed writer and then data at least that new;
- the new value is random, not `value + 1`: a transaction that is rolled back (or a request that
  cached what its own uncommitted transaction wrote) leaves a value that never comes back.

Not seen: writes that bypass the signals, i.e. `bulk_create`, `QuerySet.update()` and raw SQL
(only `seed_scale` writes so, before the server starts).
"""

import hashlib
import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache as memoise
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

T = TypeVar("T")

# An entry is only a shortcut: a day bounds the memory an unused entry keeps.
TIMEOUT = 24 * 60 * 60

# Cached part → the models (app label.Model) its builders read. tests/test_caching.py renders
# every part with an empty cache and fails when a builder reads a table not listed here.
PARTS: dict[str, tuple[str, ...]] = {
    # strategy/index.html: figures, filter form and tree (the filter offers the units).
    "strategy.overview": (
        "strategy.FieldOfAction",
        "strategy.Goal",
        "strategy.Measure",
        "strategy.Milestone",
        "strategy.OrgUnit",
    ),
    # finance/partials/plan.html: the plan reads the finance tables, measure codes and titles and
    # the goals' fields; the filter offers fields, measures and schools.
    "finance.plan": (
        "finance.CostItem",
        "finance.FundingSource",
        "finance.BudgetLine",
        "finance.PlanPeriod",
        "strategy.Measure",
        "strategy.Goal",
        "strategy.FieldOfAction",
        "schools_wg.School",
    ),
    # The parity matrix, trend and school years (schools_wg/parity.py load()).
    "schools_wg.parity": (
        "schools_wg.School",
        "schools_wg.Indicator",
        "schools_wg.SchoolMeasurement",
        "schools_wg.ParityStandard",
    ),
    # Comment pages, results, the consultation and goal, seats (participation/discussion.py).
    "participation.discussion": (
        "participation.Comment",
        "participation.Vote",
        "participation.Faction",
        "participation.Consultation",
        "strategy.Goal",
        "strategy.FieldOfAction",  # goals are shown with their field
        "participation.Councillor",
        "participation.FactionMembership",
        "accounts.User",
    ),
    # Every dashboard panel (one stamp per request for all of them, plauen_digital/dashboard.py).
    "dashboard": (
        "accounts.User",  # councillors' and members' names
        "strategy.OrgUnit",  # lead units of the next deadlines
        "strategy.FieldOfAction",
        "strategy.Goal",
        "strategy.Measure",
        "strategy.Milestone",
        "finance.CostItem",
        "finance.FundingSource",
        "finance.BudgetLine",
        "finance.PlanPeriod",
        "participation.Consultation",
        "participation.Councillor",
        "participation.FactionMembership",
        "schools_wg.School",
        "schools_wg.Member",
        "schools_wg.Indicator",
        "schools_wg.SchoolMeasurement",
        "schools_wg.ParityStandard",
        "schools_wg.Session",
        "reports.ReportJob",
    ),
}


# Saves that write only these fields change nothing a cached part shows (a login is not news).
UNSHOWN_FIELDS = {"accounts.user": frozenset({"last_login"})}


class Stamp(str):
    """A part's stamp: the string is the cache key part, `part` names the registry entry."""

    part: str

    def __new__(cls, value, part):
        stamp = super().__new__(cls, value)
        stamp.part = part
        return stamp


def key_of(model: type[Model]) -> str:
    return model._meta.label_lower


@memoise
def _keys(part: str) -> tuple[str, ...]:
    return tuple(sorted(label.lower() for label in PARTS[part]))


def stamp(part: str) -> Stamp:
    """One query: a string that changes with every committed write of a model `part` reads.

    Read it before reading anything the part shows. Today's date is part of it, since overdue
    flags and the current budget year depend on it."""
    from .models import DataVersion

    keys = _keys(part)
    versions = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "value"))
    raw = "|".join([timezone.localdate().isoformat(), *(str(versions.get(k, 0)) for k in keys)])
    return Stamp(hashlib.sha256(raw.encode()).hexdigest()[:24], part)


def request_stamp(request, part: str) -> Stamp:
    """`stamp(part)`, read once per request (e.g. the dashboard's panels share one)."""
    stamps = request.__dict__.setdefault("_data_stamps", {})
    if part not in stamps:
        stamps[part] = stamp(part)
    return stamps[part]


def cached(name: str, stamp: str, build: Callable[[], T], *vary: object) -> T:
    """`build()`, or its result stored under `name`, `stamp` and `vary` (e.g. a role or page)."""
    key = f"pd:{name}:{stamp}:" + ":".join(str(part) for part in vary)
    value = cache.get(key)
    if value is None:
        with _recording(getattr(stamp, "part", None)):
            value = build()
        cache.set(key, value, TIMEOUT)
    return value


# --- writes -----------------------------------------------------------------------------------


@memoise
def registered_keys() -> frozenset[str]:
    return frozenset(label.lower() for labels in PARTS.values() for label in labels)


def bump(model: type[Model], using: str = "default") -> None:
    """Give `model`'s data a new version, in the current transaction (takes the row's lock)."""
    from .models import DataVersion

    table = connections[using].ops.quote_name(DataVersion._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "value") VALUES (%s, %s) '  # noqa: S608  # nosec B608
            'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
            [key_of(model), secrets.randbits(62)],
        )


def _on_write(sender, instance=None, using="default", update_fields=None, **kwargs):
    key = key_of(type(instance))
    if key not in registered_keys():
        return
    if update_fields and frozenset(update_fields) <= UNSHOWN_FIELDS.get(key, frozenset()):
        return
    bump(type(instance), using)


def _on_m2m(sender, instance, action, model, using="default", **kwargs):
    if action.startswith("post_"):
        for changed in {type(instance), model}:
            if key_of(changed) in registered_keys():
                bump(changed, using)


def connect_signals() -> None:
    """Bump on every ORM write of a registered model (called from CoreConfig.ready)."""
    for key in registered_keys():
        model = apps.get_model(key)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"stamp-save-{key}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"stamp-delete-{key}")
        for m2m in model._meta.many_to_many:
            uid = f"stamp-m2m-{key}-{m2m.name}"
            m2m_changed.connect(_on_m2m, sender=m2m.remote_field.through, dispatch_uid=uid)


# --- checking the registry --------------------------------------------------------------------

_recorders: list[dict] = []
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)


@contextmanager
def record_reads():
    """Collect {part: {table names}} that builders read while this is active (for tests)."""
    reads = defaultdict(set)
    _recorders.append(reads)
    try:
        yield reads
    finally:
        _recorders.remove(reads)


@contextmanager
def _recording(part):
    if not _recorders or part is None:
        yield
        return

    def record(execute, sql, params, many, context):
        for reads in _recorders:
            reads[part].update(TABLE.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield


def model_of_table() -> dict[str, str]:
    """{db table: label of the model whose data it holds} (history and M2M tables → their owner)."""
    owners = {}
    # An explicit through model (e.g. participation's consultation goals) belongs to the model
    # whose M2M field it serves, like an auto-created one: writes to it bump that model.
    through_owner = {
        m2m.remote_field.through: model
        for model in apps.get_models()
        for m2m in model._meta.many_to_many
    }
    for model in apps.get_models(include_auto_created=True):
        owner = model
        if getattr(model, "instance_type", None) is not None:  # a simple-history record model
            owner = model.instance_type
        elif model._meta.auto_created:  # an M2M through table
            owner = model._meta.auto_created
        elif model in through_owner:
            owner = through_owner[model]
        owners[model._meta.db_table] = owner._meta.label_lower
    return owners
