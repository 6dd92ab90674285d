"""Shared steps of browser tests: log in through the form, scan a page with axe."""

from axe_playwright_python.sync_playwright import Axe

PASSWORD = "sicheres-Passwort-123"  # the make_user fixture's default
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    # Wait for the page the login leads to (no page loads anything later on its own, so its
    # "load" event is enough; "networkidle" would add half a second to every login).
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden").click()


def assert_accessible(page):
    """No violation of WCAG 2.1 A/AA that axe-core can detect on the current page."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()
