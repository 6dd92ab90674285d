"""Demo data of the chapter "Vorgehen und Beteiligung" (`demo_data/approach.yaml`): the process
phases and the committee dates, relative to the year the demo is loaded. Idempotent (`ensure`)."""

from django.utils import timezone

from core.demo import ensure, load, when

from .models import CommitteeDate, ProcessPhase


def seed(stdout=None):
    from strategy.models import OrgUnit

    now = timezone.now()
    data = load(__package__, "approach")
    units = {unit.name: unit for unit in OrgUnit.objects.all()}
    for phase in data["phases"]:
        ensure(
            ProcessPhase,
            title=phase["title"],
            defaults={
                "starts_on": when(phase["starts_on"], now),
                "ends_on": when(phase["ends_on"], now),
                "responsible": units.get(phase["responsible"]),
                "description": phase["description"],
            },
        )
    for meeting in data["committee_dates"]:
        ensure(
            CommitteeDate,
            body=meeting["body"],
            subject=meeting["subject"],
            defaults={"meets_at": when(meeting["meets_at"], now), "purpose": meeting["purpose"]},
        )
    if stdout:
        stdout.write(
            f"reports: {len(data['phases'])} process phases, "
            f"{len(data['committee_dates'])} committee dates"
        )
