"""Every relation has a deliberate on_delete, listed in docs/architecture.md, and nothing that is
removed in the strategy, finance or the working group cascades into a council record."""

import re
from collections import defaultdict, deque
from fnmatch import fnmatchcase
from pathlib import Path

from django.apps import apps
from django.db import models

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
HEADING = "### Relations and what happens when their target goes"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*([A-Z_]+)\s*\|\s*(.+?)\s*\|\s*$")

# The apps whose objects people remove in their daily work.
SOURCES = {"strategy", "finance", "schools_wg"}
# Council records: everything of participation but the notification outbox and settings.
NOT_COUNCIL_RECORDS = {"participation.Notification", "participation.NotificationPreference"}


def is_historical(model):
    """simple-history's models (also the M2M history of Consultation.goals)."""
    return model.__name__.startswith("Historical")


def is_council_record(model):
    label = model._meta.label
    return model._meta.app_label == "participation" and label not in NOT_COUNCIL_RECORDS


def relations():
    """(model, field name, target model, policy) for every relation of every model.

    A many-to-many relation's policy is what happens to its link rows when the target goes:
    the on_delete of the through model's foreign key to the target.
    """
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.is_relation or (field.auto_created and not field.concrete):
                continue
            if field.many_to_many:
                through = field.remote_field.through._meta
                to_target = next(
                    f
                    for f in through.get_fields()
                    if getattr(f, "related_model", None) is field.related_model
                    and f.concrete
                    and f.name != field.m2m_field_name()
                )
                policy = to_target.remote_field.on_delete.__name__
            elif isinstance(field, models.ForeignKey):  # OneToOneField included
                policy = field.remote_field.on_delete.__name__
            else:  # a generic relation, which has no database side
                continue
            found.append((model, field.name, field.related_model, policy))
    return found


def documented():
    """{pattern: (policy, why)} parsed from the table in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    assert HEADING in text, f"{DOC} has no section {HEADING!r}"
    table = {}
    for line in text.split(HEADING, 1)[1].splitlines():
        if line.startswith("#"):
            break
        match = ROW.match(line)
        if match:
            pattern, policy, why = match.groups()
            assert why.strip(), f"{pattern}: the table says no why"
            assert pattern not in table, f"{pattern} is listed twice"
            table[pattern] = (policy, why)
    assert table, "the relation table is empty"
    return table


def documented_policy(table, name):
    """The policy of the first matching row (exact names before the wildcard rows)."""
    if name in table:
        return table[name][0], name
    for pattern, (policy, _why) in table.items():
        if "*" in pattern and fnmatchcase(name, pattern):
            return policy, pattern
    return None, None


def test_every_relation_is_in_the_table_with_its_policy():
    table = documented()
    used = set()
    problems = []
    for model, name, _target, policy in relations():
        label = f"{model._meta.label}.{name}"
        listed, pattern = documented_policy(table, label)
        if listed is None:
            problems.append(f"{label} ({policy}) is not in the table")
        elif listed != policy:
            problems.append(f"{label} is {policy}, the table says {listed} ({pattern})")
        used.add(pattern)
    stale = set(table) - used
    assert not problems, "\n".join(problems)
    assert not stale, f"rows for relations that do not exist: {sorted(stale)}"


def test_historical_models_copy_their_keys_without_constraints():
    for model in apps.get_models():
        if not is_historical(model):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.name != "history_user":
                assert field.remote_field.on_delete is models.DO_NOTHING, field
                assert not field.db_constraint, field


def test_no_cascade_from_strategy_finance_or_working_group_into_council_records():
    """Walk the deletion graph: target → what a delete of it changes (CASCADE rows go on
    cascading, SET_NULL/SET_DEFAULT/SET rows are changed). No path from an object of the
    strategy, finance or the working group may reach a council record."""
    cascades = defaultdict(list)
    changes = defaultdict(list)
    for model, name, target, policy in relations():
        if is_historical(model):
            continue
        source = model
        if policy in ("CASCADE",):
            cascades[target].append((source, name))
        elif policy in ("SET_NULL", "SET_DEFAULT", "SET"):
            changes[target].append((source, name))
        # M2M link rows: the through model is what cascades.
        field = model._meta.get_field(name)
        if field.many_to_many and field.remote_field.through._meta.auto_created:
            cascades[target].append((field.remote_field.through, name))
    problems = []
    for start in apps.get_models():
        if start._meta.app_label not in SOURCES or is_historical(start):
            continue
        seen = {start}
        queue = deque([(start, start._meta.label)])
        while queue:
            model, path = queue.popleft()
            for source, name in changes[model]:
                if is_council_record(source):
                    problems.append(f"{path} → sets {source._meta.label}.{name}")
            for source, name in cascades[model]:
                step = f"{path} → {source._meta.label}.{name}"
                if is_council_record(source):
                    problems.append(step)
                if source not in seen:
                    seen.add(source)
                    queue.append((source, step))
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_walk_finds_a_cascade_into_council_records(monkeypatch):
    """The walk itself works: pretend Vote.goal cascades, and it is found."""
    from participation.models import Vote

    field = Vote._meta.get_field("goal")
    monkeypatch.setattr(field.remote_field, "on_delete", models.CASCADE)
    try:
        test_no_cascade_from_strategy_finance_or_working_group_into_council_records()
    except AssertionError as error:
        assert "participation.Vote.goal" in str(error)
    else:
        raise AssertionError("a cascade from Goal into Vote went unnoticed")
