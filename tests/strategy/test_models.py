"""Validation of the strategy models and their forms: German messages, nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from strategy.forms import GoalForm, MeasureForm
from strategy.models import Measure

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def measure_data(**overrides):
    data = {
        "code": "M 1.1.1",
        "title": "E-Akte einführen",
        "priority": "high",
        "lifecycle": "in_progress",
        "traffic_light": "green",
        "progress": "40",
        "weight": "1",
        "planned_start": "2025-01-01",
        "planned_end": "2025-12-31",
    }
    data.update(overrides)
    return data


def test_end_before_start_is_refused_in_german():
    goal = f.goal()
    form = MeasureForm(measure_data(planned_end="2024-06-30"), parent=goal)
    assert not form.is_valid()
    assert form.errors["planned_end"] == [
        "Das geplante Ende darf nicht vor dem geplanten Beginn liegen."
    ]
    form = MeasureForm(
        measure_data(actual_start="2025-03-01", actual_end="2025-02-01"), parent=goal
    )
    assert not form.is_valid()
    assert "tatsächliche Ende" in form.errors["actual_end"][0]


def test_completed_measure_needs_progress_100():
    form = MeasureForm(measure_data(lifecycle="completed", progress="90"), parent=f.goal())
    assert not form.is_valid()
    assert form.errors["progress"] == [
        "Eine abgeschlossene Maßnahme hat einen Fortschritt von 100 %."
    ]
    form = MeasureForm(measure_data(lifecycle="completed", progress="100"), parent=f.goal())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["-1", "101"])
def test_progress_outside_0_to_100_is_refused(value):
    form = MeasureForm(measure_data(progress=value), parent=f.goal())
    assert not form.is_valid()
    assert "progress" in form.errors


def test_progress_constraint_holds_in_the_database():
    measure = f.measure()
    measure.progress = 150
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


def test_dates_constraint_holds_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.measure(planned_start=date(2025, 5, 1), planned_end=date(2025, 4, 1))


def test_code_is_unique_within_its_parent_only():
    goal = f.goal()
    f.measure(goal, code="M 1.1.1")
    form = MeasureForm(measure_data(code="M 1.1.1"), parent=goal)
    assert not form.is_valid()
    assert form.errors["code"] == ["Der Code M 1.1.1 ist hier bereits vergeben."]
    other_goal = f.goal()
    assert MeasureForm(measure_data(code="M 1.1.1"), parent=other_goal).is_valid()


def test_goal_code_unique_in_field_and_normalised():
    field = f.field()
    f.goal(field, code="Z 1.1")
    form = GoalForm({"code": "  z   1.1 ", "title": "x", "status": "on_track"}, parent=field)
    assert not form.is_valid()
    form = GoalForm({"code": "Z  1.2", "title": "x", "status": "on_track"}, parent=field)
    assert form.is_valid()
    assert form.cleaned_data["code"] == "Z 1.2"


def test_model_clean_is_the_single_rule():
    measure = Measure(lifecycle="completed", progress=50)
    with pytest.raises(ValidationError) as exc:
        measure.clean()
    assert "progress" in exc.value.message_dict


def test_milestone_outside_measure_period_is_flagged():
    measure = f.measure(planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31))
    inside = f.milestone(measure, due_date=date(2025, 6, 1))
    before = f.milestone(measure, due_date=date(2024, 12, 1))
    after = f.milestone(measure, due_date=date(2026, 1, 2))
    assert not inside.outside_measure_period
    assert before.outside_measure_period and after.outside_measure_period


def test_last_updated_changes_on_save():
    measure = f.measure()
    first = measure.updated_at
    measure.title = "Neu"
    measure.save()
    measure.refresh_from_db()
    assert measure.updated_at > first
