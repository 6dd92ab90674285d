"""The application shell in a real browser: log in, use the menu, accessibility of the basics."""

import pytest

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/konto/anmelden/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)


def test_login_and_navigate_the_menu(page, live_server, make_user):
    user = make_user("verwaltung", first_name="Vera", last_name="Beispiel")
    login(page, live_server, user.username)
    assert page.get_by_test_id("user-menu").inner_text().startswith("Vera Beispiel")
    assert "Verwaltung" in page.get_by_test_id("user-menu").inner_text()
    assert_accessible(page)  # the dashboard

    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for label, path in [
        ("Strategie", "/strategie/"),
        ("Finanzen", "/finanzen/"),
        ("AG Schule", "/ag-schule/"),
        ("Beteiligung", "/beteiligung/"),
        ("Berichte", "/berichte/"),
        ("Übersicht", "/"),
    ]:
        nav.get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"{live_server.url}{path}")
        assert (
            nav.get_by_role("link", name=label, exact=True).get_attribute("aria-current") == "page"
        )


def test_wrong_password_shows_german_error(page, live_server, make_user):
    user = make_user("stadtrat")
    login(page, live_server, user.username, password="falsch")
    assert page.get_by_role("alert").inner_text().startswith("Bitte geben Sie einen gültigen")
