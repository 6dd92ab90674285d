"""Complete and honest contents: cut lists count the rest, the cover names who asked for the
report, the Summe row carries the plan's rate, the annex lists real changes only."""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.templatetags.pd_format import percent
from plauen_digital.reports import data, services

from ..finance import factories as finance_factories
from .conftest import REPORTING_DATE
from .helpers import job_pdf, pdf_text

pytestmark = pytest.mark.django_db


def generate(job):
    services.generate(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error_message
    return " ".join(pdf_text(job_pdf(job)).split())


def html_of(job):
    return " ".join(services.render_html(job, services.build_report_data(job)).split())


def test_cover_names_the_person_who_requested_the_report(small_strategy, make_user):
    user = make_user("verwaltung", first_name="Vera", last_name="Waltung")
    job = services.report_request(reporting_date=REPORTING_DATE, requested_by=user, enqueue=False)
    text = generate(job)
    assert "Angefordert von" in text and "Vera Waltung, " in text


def test_cover_of_a_scheduled_report_says_it_was_created_automatically(
    small_strategy, time_machine
):
    time_machine.move_to(date(2026, 12, 1))
    job = services.report_create_annual()
    text = html_of(job)
    assert "automatisch erstellt (Zeitplan)" in text
    assert "jährlicher Zeitplan" not in text


def test_cover_of_a_command_line_report(small_strategy, tmp_path):
    call_command("status_report", output=str(tmp_path / "r.pdf"), date="2026-12-15")
    text = " ".join(pdf_text((tmp_path / "r.pdf").read_bytes()).split())
    assert "automatisch erstellt (Kommandozeile)" in text


def test_a_cut_deadline_list_says_how_many_it_leaves_out_and_where(small_strategy):
    from strategy.models import Measure, Milestone

    measure = Measure.objects.get(code="M 1.1.1")
    extra = data.DEADLINE_LIMIT + 4
    for n in range(extra):
        Milestone.objects.create(
            measure=measure, title=f"Schritt {n}", due_date=REPORTING_DATE + timedelta(days=n + 1)
        )
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    summary = services.build_report_data(job)["summary"]
    # The fixture's own deadlines in the horizon (Pilotbetrieb 15.01.2027, the planned end of
    # M 1.1.1 on 31.03.2027) count too.
    assert len(summary["deadlines"]) == data.DEADLINE_LIMIT
    assert summary["deadlines_more"] == extra + 2 - data.DEADLINE_LIMIT == 6
    assert "… und 6 weitere Fristen, vollständig unter /strategie/fristen/" in generate(job)


def test_a_list_that_is_not_cut_says_nothing_more(small_strategy):
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    assert "weitere Frist" not in html_of(job)


def test_summe_row_shows_the_coverage_rate_of_the_plan(small_strategy):
    from finance.selectors import plan_for
    from strategy.models import Measure

    finance_factories.example_in_db(measure=Measure.objects.get(code="M 1.1.1"))
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    html = services.render_html(job, services.build_report_data(job))
    footer = html[html.index("<tfoot>", html.index("Mehrjähriger Finanzierungsplan")) :]
    footer = footer[: footer.index("</tfoot>")]
    rate = plan_for().coverage_pct
    assert rate is not None
    cells = re.findall(r'<td class="num">([^<]*)</td>', footer)
    assert cells[-1] == percent(rate, 1) != "–"


def test_annex_leaves_out_saves_that_changed_nothing(small_strategy, time_machine):
    from strategy.models import Measure

    first = services.report_request(reporting_date=date(2026, 11, 1), enqueue=False)
    generate(first)
    time_machine.move_to(timezone.now() + timedelta(days=1))
    unchanged = Measure.objects.get(code="M 2.1.1")
    unchanged.save()  # a history row whose diff is empty
    changed = Measure.objects.get(code="M 1.2.1")
    changed.progress = 80
    changed.save()
    second = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    text = generate(second)
    changes = second.snapshot["data"]["changes"]
    assert [(e["object"], e["type"]) for e in changes["entries"]] == [(str(changed), "geändert")]
    assert changes["entries"][0]["changes"] == ["Fortschritt (%): 20 → 80"]
    assert [(c["changed"], c["created"], c["deleted"]) for c in changes["counts"]] == [(1, 0, 0)]
    assert changes["more"] == 0
    assert "Fortschritt (%): 20 → 80" in text
    assert "WLAN-Ausleuchtung" not in text.split("Anhang: Änderungen seit dem letzten Bericht")[-1]
