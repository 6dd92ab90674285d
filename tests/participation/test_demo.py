"""Demo participation data: councillors for factions A–E, an open and a closed consultation."""

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import demo as accounts_demo
from participation import demo
from participation.models import Comment, Consultation, Councillor, Vote

from .helpers import make_goal

pytestmark = pytest.mark.django_db


def participation_rows():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("participation").get_models()
    }


def test_without_goals_only_councillors_are_seeded():
    accounts_demo.seed()
    demo.seed()
    assert Councillor.objects.current().count() == 42
    assert not Consultation.objects.exists()


def test_demo_is_complete_and_idempotent():
    accounts_demo.seed()
    for _ in range(5):
        make_goal()
    demo.seed()
    first = participation_rows()
    demo.seed()
    assert participation_rows() == first

    councillors = Councillor.objects.current()
    assert councillors.count() == 42
    stadtrat = Councillor.objects.get(user__username="stadtrat")
    assert stadtrat.faction_on().short_name == "A"
    assert stadtrat.user.check_password("demo")
    assert Councillor.objects.get(user__username="rat-e11").faction_on().short_name == "E"

    now = timezone.now()
    (running,) = Consultation.objects.open()
    assert 2 <= running.goals.count() <= 3
    assert now + timezone.timedelta(days=3) < running.closes_at < now + timezone.timedelta(days=7)
    (closed,) = Consultation.objects.closed()
    voters = Vote.objects.filter(consultation=closed).values("councillor").distinct().count()
    assert 30 < voters < 42
    replies = Comment.objects.filter(consultation=closed, parent__isnull=False)
    assert replies.filter(author__username="verwaltung").exists()
    assert replies.count() >= 2
