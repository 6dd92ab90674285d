"""seed_scale: the synthetic data set of the load run has the promised size and is usable."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from finance.models import CostItem
from participation.models import Comment, Councillor, Vote
from schools_wg.models import School, SchoolMeasurement
from strategy.models import FieldOfAction, Goal, Measure, Milestone


@pytest.mark.django_db
def test_seed_scale_creates_the_large_data_set(client):
    out = io.StringIO()
    call_command("seed_scale", stdout=out)
    assert FieldOfAction.objects.count() == 12
    assert Goal.objects.count() == 120
    assert Measure.objects.count() == 1_200
    assert Milestone.objects.count() == 4_000
    assert CostItem.objects.count() == 3_000
    assert Councillor.objects.count() == 42
    assert Comment.objects.count() == 20_000
    assert Vote.objects.count() > 42 * 120 * 0.8
    assert School.objects.count() == 19
    years = SchoolMeasurement.objects.values("school_year").distinct().count()
    assert years == 5
    busiest = (
        Comment.objects.values("consultation", "goal").annotate(n=Count("pk")).order_by("-n")[0]
    )
    assert busiest["n"] == 1_000
    assert Comment.objects.filter(parent__parent__isnull=False).count() == 0  # one level only
    # The printed goal page exists and a load-test account may read it.
    path = out.getvalue().split("comments: ")[1].split()[0]
    login = client.post(
        "/konto/anmelden/", {"username": "bench-01", "password": "bench-Passwort-2026"}
    )
    assert login.status_code == 302
    assert client.get(path).status_code == 200
    with pytest.raises(CommandError):
        call_command("seed_scale", stdout=io.StringIO())
