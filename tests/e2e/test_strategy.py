"""The strategy in a real browser: build a goal and a measure with htmx, edit inline, mark a
milestone done; accessibility of the overview and the detail pages."""

import re

import pytest
from playwright.sync_api import expect

from strategy import demo
from strategy.models import FieldOfAction, Measure

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_create_goal_and_measure_edit_inline_and_mark_milestone_done(page, live_server, make_user):
    field = FieldOfAction.objects.create(code="HF 1", title="Digitale Verwaltung")
    user = make_user("verwaltung", first_name="Vera", last_name="Beispiel")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}{field.get_absolute_url()}")
    page_url = page.url

    # A new goal, through the form htmx loads into the page.
    page.get_by_role("link", name="Neues Ziel").click()
    form = page.locator("form.item-form")
    expect(form.get_by_label("Code")).to_have_value("Z 1.1")
    form.get_by_label("Titel", exact=True).fill("Alle Ämter arbeiten mit der E-Akte")
    form.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("link", name="Alle Ämter arbeiten mit der E-Akte")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("wurde angelegt")
    assert page.url == page_url  # no page load: the content was swapped

    # A new measure on the goal's page.
    page.get_by_role("link", name="Alle Ämter arbeiten mit der E-Akte").click()
    page.get_by_role("link", name="Neue Maßnahme").click()
    form = page.locator("form.item-form")
    expect(form.get_by_label("Code")).to_have_value("M 1.1.1")
    form.get_by_label("Titel", exact=True).fill("Rollout der E-Akte")
    form.get_by_label("geplanter Beginn").fill("2026-01-01")
    form.get_by_label("geplantes Ende").fill("2026-06-30")  # before the start comes next
    form.get_by_label("geplantes Ende").fill("2025-06-30")
    form.get_by_role("button", name="Speichern").click()
    expect(
        form.get_by_text("Das geplante Ende darf nicht vor dem geplanten Beginn")
    ).to_be_visible()
    expect(form.get_by_label("Titel", exact=True)).to_have_value("Rollout der E-Akte")
    form.get_by_label("geplantes Ende").fill("2027-12-31")
    form.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name="Rollout der E-Akte").click()
    measure = Measure.objects.get(code="M 1.1.1")
    expect(page).to_have_url(re.compile(measure.get_absolute_url() + "$"))

    # Edit inline: the form replaces the facts, saving swaps the page content.
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    form = page.locator("form.item-form")
    form.get_by_label("Fortschritt (%)").fill("40")
    form.get_by_label("Ampel").select_option(label="gelb")
    form.get_by_label("Status", exact=True).select_option(label="in Umsetzung")
    form.get_by_role("button", name="Speichern").click()
    expect(page.locator("#summary")).to_contain_text("40\u00a0%")
    expect(page.locator("#summary")).to_contain_text("Ampel gelb")
    history = page.locator(".history")
    expect(history).to_contain_text("Vera Beispiel")
    expect(history).to_contain_text("Fortschritt (%): 0")

    # A milestone, then mark it done with one click.
    page.get_by_role("link", name="Neuer Meilenstein").click()
    form = page.locator("form.item-form")
    form.get_by_label("Titel", exact=True).fill("Abnahme Welle 1")
    form.get_by_label("fällig am").fill("2026-12-15")
    form.get_by_role("button", name="Speichern").click()
    item = page.locator(".milestone", has_text="Abnahme Welle 1")
    expect(item).to_contain_text("offen")
    item.get_by_role("button", name="Als erledigt markieren").click()
    item = page.locator(".milestone", has_text="Abnahme Welle 1")
    expect(item).to_contain_text("erledigt am")
    assert measure.milestones.get().done_on is not None
    measure.refresh_from_db()
    assert (measure.progress, measure.traffic_light) == (40, "yellow")


def test_overview_and_detail_pages_are_accessible(page, live_server, make_user):
    demo.seed()
    user = make_user("verwaltung")  # sees the editing controls too
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/strategie/")
    expect(page.get_by_role("heading", name="Digitalisierungsstrategie", level=1)).to_be_visible()
    assert_accessible(page)
    measure = Measure.objects.get(code="M 5.1.1")
    for url in (
        measure.get_absolute_url(),
        measure.goal.get_absolute_url(),
        measure.goal.field.get_absolute_url(),
        "/strategie/fristen/",
        "/strategie/zeitplan/",
    ):
        page.goto(f"{live_server.url}{url}")
        assert_accessible(page)


def test_overview_filters_without_reload(page, live_server, make_user):
    demo.seed()
    user = make_user("stadtrat")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/strategie/")
    expect(page.get_by_role("link", name="Neues Handlungsfeld")).to_have_count(0)
    page.get_by_label("Suche nach Code oder Titel").fill("Kita")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.locator("#tree")).to_contain_text("1 von")
    expect(page.get_by_role("link", name="Kita-Ticket: Kita-Platz online anmelden")).to_be_visible()
    assert "q=Kita" in page.url


def test_goal_measures_load_when_the_goal_is_opened(page, live_server, make_user):
    demo.seed()
    measure = Measure.objects.select_related("goal").get(code="M 5.1.1")
    goal = measure.goal
    user = make_user("ag_schule")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/strategie/")
    details = page.locator(f"#goal-{goal.pk}")
    link = details.get_by_role("link", name=measure.title)
    expect(link).to_have_count(0)  # not in the page until the goal is opened
    details.locator("summary").click()
    expect(link).to_be_visible()
    expect(details.get_by_role("table")).to_contain_text(measure.code)
    assert_accessible(page)
    link.click()
    expect(page).to_have_url(re.compile(measure.get_absolute_url() + "$"))


def test_reorder_fields_on_the_overview(page, live_server, make_user):
    FieldOfAction.objects.create(code="HF 1", title="Digitale Verwaltung", position=1)
    FieldOfAction.objects.create(code="HF 2", title="Digitale Schule", position=2)
    user = make_user("verwaltung")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/strategie/")
    page.get_by_role("button", name="Nach oben verschieben: HF 2").click()
    expect(page.locator(".tree-field").first).to_contain_text("Digitale Schule")
    assert list(FieldOfAction.objects.values_list("code", flat=True)) == ["HF 2", "HF 1"]


def test_subscribe_to_the_deadlines_in_a_calendar_program(page, live_server, make_user):
    user = make_user("stadtrat")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/strategie/fristen/")
    page.get_by_role("link", name="Im Kalenderprogramm abonnieren").click()
    expect(page.get_by_role("heading", name="Fristen abonnieren")).to_be_visible()
    expect(page.get_by_test_id("no-feed")).to_be_visible()

    page.get_by_role("button", name="Adresse erstellen").click()
    address = page.get_by_label("Ihre Kalenderadresse")
    expect(address).to_have_value(re.compile(r"/strategie/fristen/abo/[\w-]+\.ics$"))
    expect(page.get_by_role("status")).to_contain_text("neue Kalenderadresse")
    assert_accessible(page)

    # A calendar program fetches the address without a session.
    feed = page.context.request.get(address.input_value(), headers={"Cookie": ""})
    assert feed.status == 200 and b"BEGIN:VCALENDAR" in feed.body()

    page.get_by_role("button", name="Adresse widerrufen").click()
    expect(page.get_by_test_id("no-feed")).to_be_visible()
