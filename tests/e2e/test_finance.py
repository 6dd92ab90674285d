"""The funding plan in a real browser: Verwaltung adds a cost item, the plan table and chart change."""

import pytest

from tests.finance import factories as f

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cost_2025(page):
    row = page.locator('[data-testid="plan-table"] tr[data-row="cost"] td')
    # Columns: 2023 … 2027, total; 2025 is the third.
    return int("".join(ch for ch in row.nth(2).inner_text() if ch.isdigit()))


def _bar_2025(page):
    values = page.locator('[data-testid="plan-chart"] g[data-year="2025"] rect').evaluate_all(
        "rects => rects.map(r => Number(r.dataset.value))"
    )
    return sum(values)


def test_verwaltung_adds_a_cost_item_and_sees_the_plan_and_chart_change(
    page, live_server, make_user
):
    f.example_in_db()
    user = make_user("verwaltung")
    login(page, live_server, user.username)

    page.goto(f"{live_server.url}/finanzen/")
    assert page.get_by_role("heading", name="Finanzierungsplan", level=1).is_visible()
    assert _cost_2025(page) == 33213
    assert _bar_2025(page) == 33213
    assert page.get_by_text("Förderende: laufende Kosten ab 2025 ohne Förderung").first.is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Finanzen").get_by_role(
        "link", name="Kostenpositionen"
    ).click()
    page.wait_for_url(f"{live_server.url}/finanzen/kostenpositionen/")
    page.get_by_role("link", name="Neue Kostenposition").click()
    form = page.locator("form.finance-form")
    form.wait_for()
    assert page.url.endswith("/finanzen/kostenpositionen/")  # loaded in place by htmx
    form.get_by_label("Maßnahme").select_option(label="IMP Importierte Kostenpositionen")
    form.get_by_label("Schlüssel").fill("schulsozialarbeit-it")
    form.get_by_label("Titel").fill("Lernplattform-Lizenzen")
    form.get_by_label("Kategorie").select_option(label="Lizenzen/Software")
    form.get_by_label("Haushaltsart").select_option(label="konsumtiv")
    form.get_by_label("Betrag (€)").fill("5000")
    form.get_by_label("Wiederkehr").select_option(label="jährlich")
    form.get_by_label("Startjahr").fill("2025")
    form.get_by_role("button", name="Speichern").click()
    page.get_by_text("„Lernplattform-Lizenzen“ wurde angelegt.").wait_for()
    assert page.get_by_role("link", name="Lernplattform-Lizenzen", exact=True).is_visible()

    page.get_by_role("navigation", name="Finanzen").get_by_role(
        "link", name="Finanzierungsplan"
    ).click()
    page.wait_for_url(f"{live_server.url}/finanzen/")
    assert _cost_2025(page) == 33213 + 5000
    assert _bar_2025(page) == 33213 + 5000


def test_invalid_input_is_explained_beside_the_field(page, live_server, make_user):
    f.example_in_db()
    user = make_user("verwaltung")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/finanzen/haushalt/")
    page.get_by_role("link", name="Neuer Haushaltsansatz").click()
    form = page.locator("form.finance-form")
    form.get_by_label("Jahr").fill("2026")
    form.get_by_label("Betrag (€)").fill("-100")
    # The browser's own min check would stop the submit; the server check is what is tested.
    form.get_by_label("Betrag (€)").evaluate("input => input.removeAttribute('min')")
    form.get_by_role("button", name="Speichern").click()
    error = page.locator("#id_amount_error")
    error.wait_for()
    assert error.inner_text() == "Der Betrag darf nicht negativ sein."
    assert form.get_by_label("Betrag (€)").input_value() == "-100"
    assert_accessible(page)
