"""The chapters built from the other apps' read functions, as they appear in the PDF."""

import re

import pytest

from plauen_digital.reports import services

from .conftest import REPORTING_DATE
from .helpers import job_pdf, pdf_text


def generate():
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    services.generate(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error_message
    return job, pdf_text(job_pdf(job))


@pytest.mark.django_db
def test_vote_results_per_faction_and_comments(council):
    job, text = generate()
    assert "Ratsbeteiligung" in text
    assert "Beteiligung Onlinezugang" in text
    assert "Bisher wurde 1 Beteiligung durchgeführt." in text
    assert "schrieben 2 Kommentare" in text
    # Faction, seats, approval, rejection, abstention, not voted.
    assert re.search(r"Grüne Liste\s+4\s+2\s+0\s+1\s+1", text)
    assert re.search(r"Bürgerforum\s+3\s+0\s+1\s+0\s+2", text)
    assert re.search(r"Stadtrat gesamt\s+7\s+2\s+1\s+1\s+3", text)
    figures = job.snapshot["figures"]
    assert figures["participation.consultations"]["value"] == 1
    assert figures["participation.comments"]["value"] == 2


@pytest.mark.django_db
def test_chapters_without_data_say_so_in_german(municipality):
    job, text = generate()
    assert "Es sind noch keine Handlungsfelder, Ziele oder Maßnahmen erfasst." in text
    assert "Es wurde noch keine Beteiligung des Stadtrats durchgeführt." in text
    assert "Es sind noch keine Kostenpositionen erfasst" in text
    assert "Dies ist der erste Sachstandsbericht" in text


@pytest.mark.django_db
def test_working_group_members_factions_sessions_and_parity(small_strategy):
    from schools_wg.models import Indicator, Member, Registration, School

    from ..schools_wg import factories as f

    a = f.faction("A", name="Fraktion Alpha")
    f.faction("B", name="Fraktion Beta")
    f.member(category=Member.Category.FACTION, faction=a)
    f.member(category=Member.Category.PARENTS)
    f.member(category=Member.Category.PARENTS)
    held = f.session(days=-10, title="Auftaktsitzung")
    for attended in (True, True, False):
        Registration.objects.create(
            session=held, member=f.member(), status="confirmed", attended=attended
        )
    wlan = f.indicator("wlan_share", Indicator.Direction.HIGHER, name="WLAN-Abdeckung")
    f.standard(School.SchoolType.GS, wlan, 90)
    f.measure_value(f.school("Grundschule Nord"), wlan, "2025/26", 100)
    f.measure_value(f.school("Grundschule Süd"), wlan, "2025/26", 30)

    job, text = generate()
    assert "AG Schule" in text
    assert re.search(r"Eltern\s+5", text)  # two parents and the three registered members
    assert "Vertretene Fraktionen: Fraktion Alpha." in text
    assert "Nicht vertreten: Fraktion Beta." in text
    assert re.search(r"Auftaktsitzung\s+\S+, \S+ Uhr\s+3\s+2", text)
    # Parity overview: one of two primary schools meets the WLAN standard; Süd is behind.
    assert "Schuljahr 2025/26" in text
    assert re.search(r"WLAN-Abdeckung\s+1 / 2\s+50,0", text)
    assert re.search(r"Grundschule Süd\s+GS\s+1\s+WLAN-Abdeckung", text)
    assert job.snapshot["figures"]["wg.sessions"]["value"] == 1


@pytest.mark.django_db
def test_funding_table_figures_equal_the_engine(small_strategy):
    from django.utils.formats import number_format

    from finance.adapter import build_scenario
    from finance.engine import compute_plan, funding_cliffs
    from strategy.models import Measure

    from ..finance import factories as finance

    finance.example_in_db(measure=Measure.objects.get(code="M 2.1.1"))
    scenario = build_scenario()
    plan = compute_plan(scenario)
    job, text = generate()
    flat = " ".join(text.split())

    def euro(value):
        return f"{number_format(value, 0, force_grouping=True)}\u00a0€".replace("\u00a0", " ")

    flat = flat.replace("\u00a0", " ")
    assert "Finanzierungsplan" in flat
    for row in plan.years:
        cells = [row.cost_once, row.cost_annual, row.cost, row.grants_total, row.own_required]
        assert f"{row.year} " + " ".join(euro(v) for v in cells) in flat, row
        assert job.snapshot["figures"][f"funding.{row.year}.cost"]["value"] == row.cost
        assert job.snapshot["figures"][f"funding.{row.year}.gap"]["value"] == row.gap
    assert f"{euro(plan.total('cost'))} Kosten gesamt" in flat
    # The whole plan belongs to HF 2 (the measure's field); the cliffs are named.
    assert f"HF 2 Digitale Schule {euro(plan.total('cost'))}" in flat
    for cliff in funding_cliffs(scenario, plan):
        assert f"{cliff.title} endet {cliff.last_year}" in flat
