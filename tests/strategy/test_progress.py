"""Progress rolls up: goal = weighted mean of its measures, field = mean of its goals."""

from decimal import Decimal

import pytest

from strategy.models import FieldOfAction, Goal
from strategy.querysets import mean_progress, weighted_progress

from . import factories as f

pytestmark = pytest.mark.django_db


def test_weighted_and_plain_means():
    assert weighted_progress([(100, 3), (0, 1)]) == Decimal("75.0")
    assert weighted_progress([]) is None
    assert weighted_progress([(50, 0)]) is None
    assert mean_progress([Decimal("75"), None, Decimal("25")]) == Decimal("50.0")
    assert mean_progress([None]) is None


def build():
    field = f.field(code="HF 1")
    g1 = f.goal(field, code="Z 1.1")
    f.measure(g1, progress=100, weight=Decimal("3"), lifecycle="completed")
    f.measure(g1, progress=0, weight=Decimal("1"))
    f.measure(g1, progress=0, weight=Decimal("5"), lifecycle="cancelled")  # does not count
    g2 = f.goal(field, code="Z 1.2")
    f.measure(g2, progress=40)
    f.goal(field, code="Z 1.3")  # no measures: no progress, not counted in the field
    other = f.field(code="HF 2")
    f.measure(f.goal(other), progress=10)
    return field, g1, g2


def test_tree_rolls_up_progress():
    field, g1, g2 = build()
    tree = {fld.code: fld for fld in FieldOfAction.objects.tree()}
    goals = {g.code: g for g in tree["HF 1"].goal_list}
    assert goals["Z 1.1"].progress == Decimal("75.0")
    assert goals["Z 1.2"].progress == Decimal("40.0")
    assert goals["Z 1.3"].progress is None
    assert tree["HF 1"].progress == Decimal("57.5")
    assert tree["HF 2"].progress == Decimal("10.0")


def test_database_roll_up_agrees_with_the_tree():
    build()
    by_field = Goal.objects.progress_by_field()
    tree = FieldOfAction.objects.tree()
    for fld in tree:
        assert sorted(by_field[fld.pk], key=str) == sorted(
            (g.progress for g in fld.goal_list), key=str
        )
    assert Goal.objects.overall_progress() == mean_progress(fld.progress for fld in tree)
    assert Goal.objects.overall_progress() == Decimal("33.8")  # mean of 57.5 and 10


def test_goal_page_and_overview_show_the_same_progress(role_client):
    field, g1, _g2 = build()
    client = role_client("stadtrat")
    assert "75&nbsp;%" in client.get(g1.get_absolute_url()).content.decode()
    assert "57,5&nbsp;%" in client.get(field.get_absolute_url()).content.decode()
