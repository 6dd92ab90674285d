"""The Plauen demo strategy: realistic size, overdue and done items, idempotent."""

from datetime import date

import pytest
from django.utils import timezone

from strategy import demo
from strategy.models import FieldOfAction, Goal, Measure, Milestone, OrgUnit

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (OrgUnit, FieldOfAction, Goal, Measure, Milestone)] + [
        m.history.count() for m in (FieldOfAction, Goal, Measure, Milestone)
    ]


def test_demo_strategy_is_realistic_and_idempotent():
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first  # no new rows and no new history
    assert FieldOfAction.objects.count() == 6
    assert 15 <= Goal.objects.count() <= 20
    assert 40 <= Measure.objects.count() <= 60
    today = timezone.localdate()
    assert Measure.objects.overdue().exists()
    assert Milestone.objects.overdue().exists()
    assert Milestone.objects.due_between(today, today + timezone.timedelta(days=30)).exists()
    assert Measure.objects.filter(lifecycle="completed").exists()
    council = Milestone.objects.get(title="Erste Vorstellung im Stadtrat")
    assert council.due_date == date(today.year, 12, 15)
    years = {m.planned_end.year for m in Measure.objects.all()}
    assert min(years) <= 2022 and max(years) >= 2029
    due = {m.due_date.year for m in Milestone.objects.all()}
    assert min(due) <= 2022 and max(due) >= 2029  # milestones spread over the whole period
    assert Milestone.objects.filter(done_on__isnull=False).exists()
    for measure in Measure.objects.all():
        measure.full_clean()  # every demo measure passes the model's own rules
