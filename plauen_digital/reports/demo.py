"""Demo data of the chapter "Vorgehen und Beteiligung": the process phases and the committee
dates of a Plauen-like city, relative to the year the demo is loaded (the first presentation in
the Stadtrat on 15 December, as the strategy demo's milestone). Idempotent (`ensure`)."""

from datetime import date, datetime

from django.utils import timezone

from core.demo import ensure

from .models import CommitteeDate, ProcessPhase


def _at(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def phases(year):
    """(title, start, end, unit name, description)."""
    return [
        (
            "Auftrag und Organisation",
            date(year, 1, 1),
            date(year, 3, 31),
            "Hauptamt",
            "Umsetzung des Antrags Reg.-Nr. 222-21: Koordination beim Koordinator "
            "Digitalisierung, Federführung je Handlungsfeld festlegen, Arbeitsgruppe Schule "
            "berufen.",
        ),
        (
            "Bestandsaufnahme",
            date(year, 4, 1),
            date(year, 9, 30),
            "IT-Stelle / KISA-Koordination",
            "Erhebung der Ausstattung der Verwaltung und der 19 Schulen in Trägerschaft der "
            "Stadt:\n- Netz, WLAN und Endgeräte je Schule\n- laufende Kosten und Fördermittel\n"
            "- Online-Dienste der Verwaltung",
        ),
        (
            "Ziele und Maßnahmen, Beteiligung des Stadtrats",
            date(year, 9, 1),
            date(year, 12, 31),
            "Hauptamt",
            "Entwurf der Ziele und Maßnahmen je Handlungsfeld; die Stadträtinnen und Stadträte "
            "kommentieren und bewerten die Ziele in zwei Beteiligungsverfahren.",
        ),
        (
            "Finanzierung und Haushalt",
            date(year + 1, 1, 1),
            date(year + 1, 4, 30),
            "Kämmerei",
            "Folgekosten und Förderprogramme in die mittelfristige Finanzplanung übernehmen; "
            "Lücken nach dem Auslaufen von Förderungen benennen.",
        ),
        (
            "Beschluss und Umsetzung",
            date(year + 1, 5, 1),
            date(year + 1, 12, 31),
            "Hauptamt",
            "Beschluss der Strategie im Stadtrat, danach jährlicher Sachstandsbericht im Dezember.",
        ),
    ]


def committee_dates(year):
    """(body, when, subject, purpose)."""
    purpose = CommitteeDate.Purpose
    return [
        (
            "Verwaltungsausschuss",
            _at(year, 11, 10, 16),
            "Vorgehen und Beteiligung des Stadtrats an der Digitalisierungsstrategie",
            purpose.CONSULTATION,
        ),
        (
            "Stadtrat",
            _at(year, 12, 15, 17),
            "Erste Darstellung des Vorgehens und der Beteiligung (Antrag Reg.-Nr. 222-21)",
            purpose.INFORMATION,
        ),
        (
            "Verwaltungsausschuss",
            _at(year + 1, 3, 16, 16),
            "Entwurf der Digitalisierungsstrategie mit Finanzierungsplan",
            purpose.CONSULTATION,
        ),
        (
            "Stadtrat",
            _at(year + 1, 4, 28, 17),
            "Beschluss der Digitalisierungsstrategie",
            purpose.DECISION,
        ),
    ]


def seed(stdout=None):
    from strategy.models import OrgUnit

    year = timezone.localdate().year
    units = {unit.name: unit for unit in OrgUnit.objects.all()}
    for title, starts_on, ends_on, unit, description in phases(year):
        ensure(
            ProcessPhase,
            title=title,
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "responsible": units.get(unit),
                "description": description,
            },
        )
    dates = committee_dates(year)
    for body, meets_at, subject, purpose in dates:
        ensure(
            CommitteeDate,
            body=body,
            subject=subject,
            defaults={"meets_at": meets_at, "purpose": purpose},
        )
    if stdout:
        stdout.write(f"reports: {len(phases(year))} process phases, {len(dates)} committee dates")
