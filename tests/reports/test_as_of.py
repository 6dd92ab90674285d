"""A report dated D states the records as they were at the end of D (rebuilt from the history)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from plauen_digital.reports import data, services
from plauen_digital.reports.asof import AsOf

from ..finance import factories as finance
from ..strategy import factories as strategy
from .helpers import job_pdf, pdf_text

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args):
    return datetime(*args, tzinfo=BERLIN)


def money(value) -> Decimal:
    return Decimal(str(value))


def report(day):
    job = services.report_request(reporting_date=day, enqueue=False)
    services.generate(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error_message
    return job


def comparable(job):
    """The report's data without what depends on when it was made (annex, previous report)."""
    return {
        key: value
        for key, value in job.snapshot["data"].items()
        if key not in ("changes", "previous")
    }


@pytest.fixture
def history(db, time_machine, municipality):
    """Spring 2026: a measure at 20 %, a cost item of 10 000 €, a grant of 50 %, a budget of
    1 000 €. Summer: 80 %, 30 000 €, 75 %, 4 000 €, a second measure, the first milestone done."""
    from finance.models import BudgetLine

    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    field = strategy.field(code="HF 1", title="Digitale Verwaltung")
    goal = strategy.goal(field, code="Z 1.1", title="Onlinezugang")
    measure = strategy.measure(
        goal, code="M 1.1.1", title="Portal", progress=20, lifecycle="in_progress"
    )
    milestone = strategy.milestone(measure, title="Start", due_date=date(2026, 5, 1))
    finance.period(2026, 2028)
    item = finance.cost_item(measure, amount=Decimal("10000.00"), start_year=2026)
    grant = finance.source(rate_pct=Decimal("50"), from_year=2026, to_year=2028)
    grant.items.add(item)
    budget = finance.budget_line(year=2026, amount=Decimal("1000.00"))

    time_machine.move_to(at(2026, 7, 15, 10), tick=False)
    measure.progress = 80
    measure.save()
    milestone.done_on = date(2026, 7, 15)
    milestone.save()
    item.amount = Decimal("30000.00")
    item.save()
    grant.rate_pct = Decimal("75")
    grant.save()
    budget.amount = Decimal("4000.00")
    budget.save()
    BudgetLine.objects.create(year=2027, amount=Decimal("500.00"))
    strategy.measure(goal, code="M 1.1.2", title="Neu im Juli", progress=100)

    time_machine.move_to(at(2026, 8, 1, 12), tick=False)
    return {"measure": measure}


def test_a_report_dated_in_the_past_shows_that_dates_figures(history):
    june = report(date(2026, 6, 30))
    figures = june.snapshot["figures"]
    assert figures["measure.M 1.1.1.progress"]["value"] == 20
    assert "measure.M 1.1.2.progress" not in figures
    assert figures["strategy.measures"]["value"] == 1
    funding = june.snapshot["data"]["funding"]
    # 10 000 € in 2026, half of it granted; the own share 5 000 € against a budget of 1 000 €.
    assert money(funding["totals"]["cost"]) == Decimal("10000.00")
    assert money(funding["totals"]["grants_total"]) == Decimal("5000.00")
    assert money(funding["rows"][0]["budgeted"]) == Decimal("1000.00")
    assert money(funding["totals"]["gap"]) == Decimal("4000.00")
    [measure] = june.snapshot["data"]["fields"][0]["goals"][0]["measures"]
    assert [m["title"] for m in measure["milestones_due"]] == ["Start"]
    assert june.snapshot["data"]["summary"]["overdue_milestones"][0]["what"] == "Start"
    text = pdf_text(job_pdf(june))
    assert "Fortschritt: 20,0" in text
    assert "2026 10.000" in text

    august = report(date(2026, 8, 1))
    figures = august.snapshot["figures"]
    assert figures["measure.M 1.1.1.progress"]["value"] == 80
    assert figures["measure.M 1.1.2.progress"]["value"] == 100
    funding = august.snapshot["data"]["funding"]
    assert money(funding["totals"]["cost"]) == Decimal("30000.00")
    assert money(funding["totals"]["grants_total"]) == Decimal("22500.00")
    assert money(funding["rows"][0]["budgeted"]) == Decimal("4000.00")


def test_the_funding_plan_as_of_today_equals_the_live_plan(history):
    """The rebuilt inputs give the very plan /finanzen/ computes from the tables."""
    from finance.selectors import plan_for

    ctx = data.ReportContext(title="x", reporting_date=date(2026, 8, 1))
    rebuilt = data.build_funding(ctx)
    live = plan_for(summaries=True)
    assert rebuilt["totals"]["cost"] == live.total("cost")
    assert rebuilt["totals"]["gap"] == live.total("gap")
    assert [row["grants_total"] for row in rebuilt["rows"]] == [r.grants_total for r in live.rows]


def test_two_reports_of_the_same_date_agree(history, time_machine):
    first = report(date(2026, 6, 30))
    time_machine.move_to(at(2026, 9, 1, 8), tick=False)
    history["measure"].progress = 95
    history["measure"].save()
    second = report(date(2026, 6, 30))
    assert comparable(first) == comparable(second)
    assert first.snapshot["figures"] == second.snapshot["figures"]


def test_records_without_history_are_named_not_guessed(history):
    """A bulk write without history cannot be placed in time: the report says so."""
    from strategy.models import Measure

    goal = history["measure"].goal
    Measure.objects.bulk_create([Measure(goal=goal, code="M 1.1.9", title="Ohne Historie")])
    june = data.ReportContext(title="x", reporting_date=date(2026, 6, 30))
    summary = data.build_summary(june)
    assert summary["as_of"]["missing"] == 1
    assert summary["measure_count"] == 1
    # Today the record is what it is now, so it counts.
    today = data.ReportContext(title="x", reporting_date=date(2026, 8, 1))
    assert data.build_summary(today)["measure_count"] == 3
    assert data.build_summary(today)["as_of"]["missing"] == 0


def test_participation_as_of_the_date(history, time_machine, make_user):
    from participation.models import Consultation, Vote
    from tests.participation.helpers import make_comment, make_councillor, make_faction

    time_machine.move_to(at(2026, 8, 2, 9), tick=False)
    faction = make_faction("A", seats=3)
    goal = history["measure"].goal
    consultation = Consultation.objects.create(
        title="Erste Beteiligung", opens_at=at(2026, 8, 3, 9), closes_at=at(2026, 8, 20, 18)
    )
    consultation.goals.add(goal)
    councillor = make_councillor(make_user("stadtrat"), faction)
    time_machine.move_to(at(2026, 8, 5, 9), tick=False)
    vote = Vote.objects.create(
        councillor=councillor, consultation=consultation, goal=goal, faction=faction, choice="yes"
    )
    make_comment(consultation, councillor.user, goal=goal)
    time_machine.move_to(at(2026, 8, 10, 9), tick=False)
    vote.choice = "no"
    vote.save()
    time_machine.move_to(at(2026, 9, 1, 9), tick=False)

    def participation(day):
        return data.build_participation(data.ReportContext(title="x", reporting_date=day))

    assert participation(date(2026, 8, 2))["consultations"] == []
    [held] = participation(date(2026, 8, 6))["consultations"]
    assert held["is_open"] and held["comment_count"] == 1
    assert held["goals"][0]["totals"]["yes"] == 1 and held["goals"][0]["totals"]["no"] == 0
    [later] = participation(date(2026, 8, 31))["consultations"]
    assert not later["is_open"]
    assert later["goals"][0]["totals"]["no"] == 1 and later["goals"][0]["totals"]["yes"] == 0
    assert later["goals"][0]["totals"]["seats"] == 3


def test_the_moment_is_the_end_of_the_day_in_berlin(time_machine):
    time_machine.move_to(at(2026, 8, 1, 12), tick=False)
    past = AsOf(date(2026, 6, 30))
    assert past.moment == at(2026, 6, 30, 23, 59, 59, 999999)
    assert not past.is_current
    today = AsOf(date(2026, 8, 1))
    assert today.is_current and today.moment == at(2026, 8, 1, 12)
