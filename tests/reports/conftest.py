"""Fixtures of the report tests: private storage in a temporary folder, a small strategy."""

from datetime import date

import pytest

from accounts.models import Municipality

REPORTING_DATE = date(2026, 12, 15)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def municipality(db):
    return Municipality.objects.create(
        name="Musterstadt", short_name="Muster", motion_reference="Reg.-Nr. 222-21"
    )


@pytest.fixture
def small_strategy(municipality):
    """Two fields of action, three goals, four measures, milestones done, due and overdue."""
    from strategy.models import FieldOfAction, Goal, Measure, Milestone

    verwaltung = FieldOfAction.objects.create(code="HF 1", title="Digitale Verwaltung", position=1)
    schule = FieldOfAction.objects.create(code="HF 2", title="Digitale Schule", position=2)
    portal = Goal.objects.create(field=verwaltung, code="Z 1.1", title="Onlinezugang für alle")
    akte = Goal.objects.create(field=verwaltung, code="Z 1.2", title="E-Akte eingeführt")
    wlan = Goal.objects.create(field=schule, code="Z 2.1", title="WLAN in jedem Klassenzimmer")
    m1 = Measure.objects.create(
        goal=portal,
        code="M 1.1.1",
        title="Bürgerportal starten",
        lifecycle="in_progress",
        traffic_light="green",
        progress=60,
        planned_start=date(2026, 1, 1),
        planned_end=date(2027, 3, 31),
    )
    Measure.objects.create(
        goal=akte,
        code="M 1.2.1",
        title="E-Akte im Bauamt",
        lifecycle="in_progress",
        traffic_light="red",
        progress=20,
        planned_end=date(2026, 10, 31),  # overdue on the reporting date
    )
    m3 = Measure.objects.create(
        goal=wlan,
        code="M 2.1.1",
        title="WLAN-Ausleuchtung Grundschulen",
        lifecycle="completed",
        traffic_light="green",
        progress=100,
    )
    Measure.objects.create(
        goal=wlan, code="M 2.1.2", title="Access Points Oberschulen", lifecycle="planned"
    )
    Milestone.objects.create(
        measure=m1,
        title="Ausschreibung veröffentlicht",
        due_date=date(2026, 5, 1),
        done_on=date(2026, 4, 28),
    )
    Milestone.objects.create(measure=m1, title="Pilotbetrieb", due_date=date(2027, 1, 15))
    Milestone.objects.create(measure=m3, title="Messbericht", due_date=date(2026, 11, 1))
    return {"fields": [verwaltung, schule]}


@pytest.fixture
def council(small_strategy, django_user_model):
    """Two factions; a closed consultation on Z 1.1 with four votes and two comments."""
    from datetime import timedelta

    from django.utils import timezone

    from participation.models import (
        Comment,
        Consultation,
        Councillor,
        Faction,
        FactionMembership,
        Vote,
    )
    from strategy.models import Goal

    term = date(2024, 8, 1)
    gruene = Faction.objects.create(name="Grüne Liste", short_name="GL", seats=4, term_start=term)
    buerger = Faction.objects.create(name="Bürgerforum", short_name="BF", seats=3, term_start=term)
    goal = Goal.objects.get(code="Z 1.1")
    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Beteiligung Onlinezugang",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
    )
    consultation.goals.set([goal])
    votes = [(gruene, "yes"), (gruene, "yes"), (gruene, "abstain"), (buerger, "no")]
    for n, (faction, choice) in enumerate(votes):
        user = django_user_model.objects.create_user(username=f"rat-{n}")
        councillor = Councillor.objects.create(user=user)
        FactionMembership.objects.create(councillor=councillor, faction=faction, valid_from=term)
        Vote.objects.create(
            consultation=consultation,
            goal=goal,
            councillor=councillor,
            faction=faction,
            choice=choice,
        )
        if n < 2:
            Comment.objects.create(
                consultation=consultation, goal=goal, author=user, text=f"Kommentar {n}"
            )
    return consultation
