"""core.history: readable changes "Feld: alt → neu" from simple-history records."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from simple_history.utils import update_change_reason

from core.history import history_entries
from strategy.models import Milestone

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def changes(entry):
    return {c.label: (c.old, c.new) for c in entry.changes}


def test_changes_use_verbose_names_choice_labels_and_related_names():
    old_unit, new_unit = f.org_unit("Hauptamt"), f.org_unit("Kämmerei")
    measure = f.measure(lead_unit=old_unit, lifecycle="planned", progress=0)
    measure.lifecycle = "in_progress"
    measure.lead_unit = new_unit
    measure.progress = 35
    measure.planned_end = date(2026, 12, 15)
    measure.version += 1  # not shown: not editable
    measure.save()
    newest, created = history_entries(measure.history.all())
    assert newest.action == "~" and str(newest.action_label) == "geändert"
    assert changes(newest) == {
        "Federführung": ("Hauptamt", "Kämmerei"),
        "Status": ("geplant", "in Umsetzung"),
        "Fortschritt (%)": ("0", "35"),
        "geplantes Ende": ("–", "15.12.2026"),
    }
    assert str(newest.changes[0]).count("→") == 1
    assert created.action == "+" and "Titel" in changes(created)


def test_saves_without_visible_change_are_skipped_and_reason_kept():
    measure = f.measure()
    measure.save()  # nothing changed
    measure.title = "Neuer Titel"
    measure.save()
    update_change_reason(measure, "Import")
    entries = history_entries(measure.history.all())
    assert [e.action for e in entries] == ["~", "+"]
    assert entries[0].reason == "Import"


def test_many_objects_including_deleted_ones(make_user):
    measure = f.measure()
    kept = f.milestone(measure, title="Bleibt")
    gone = f.milestone(measure, title="Weg")
    gone.delete()
    kept.done_on = date(2026, 11, 1)
    kept.save()
    entries = history_entries(Milestone.history.filter(measure_id=measure.pk))
    assert [(e.action, e.label) for e in entries] == [
        ("~", "Bleibt"),
        ("-", "Weg"),
        ("+", "Weg"),
        ("+", "Bleibt"),
    ]
    assert changes(entries[0]) == {"erledigt am": ("–", "01.11.2026")}


def test_query_count_does_not_grow_with_records(django_assert_num_queries):
    units = [f.org_unit(f"Amt {i}") for i in range(5)]
    measure = f.measure()
    for i in range(20):
        measure.lead_unit = units[i % 5]
        measure.progress = i
        measure.save()
    # records with users (1) + names of the lead units (1) + of the goal, set on creation (1)
    with django_assert_num_queries(3):
        entries = history_entries(measure.history.all())
    assert len(entries) == 21
    with django_assert_num_queries(2):  # the creation is not among the newest three
        assert len(history_entries(measure.history.all(), limit=3)) == 3


def test_history_on_the_page_names_the_editing_user(role_client):
    client = role_client("verwaltung", first_name="Erika", last_name="Muster")
    goal = f.goal(title="Alt")
    client.post(
        reverse("strategy:goal_edit", args=[goal.pk]),
        {"code": goal.code, "title": "Neu", "status": "at_risk", "edited_version": "1"},
    )
    record = goal.history.latest()
    assert record.history_user == client.user
    html = role_client("stadtrat").get(goal.get_absolute_url()).content.decode()
    assert "Erika Muster" in html
    assert "Einschätzung:</span> nicht bewertet" in html and "gefährdet" in html
    assert "Titel:</span> Alt" in html
