"""No main page is wider than a phone: at 390 px the page itself never scrolls sideways, for
every role (wide tables scroll inside their own region, with a hint)."""

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)

PHONE = 390


def _login(page, base, username):
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden").click()


def test_no_main_page_is_wider_than_a_phone_for_any_role(browser, live_server):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    base = live_server.url
    too_wide, seen = [], 0
    for role in screenshots.ROLES:
        context = browser.new_context(viewport={"width": PHONE, "height": 800}, locale="de-DE")
        page = context.new_page()
        _login(page, base, role)
        for name, target in screenshots.PAGES:
            path = screenshots.resolve(page, base, target)
            if path is None:
                continue  # a page this role is not offered
            response = page.goto(base + path)  # waits for "load"; no page loads more later
            if response.status == 403:
                continue
            assert response.status == 200, (role, name, response.status)
            seen += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide.append(f"{role} {name} ({path}): {width} px")
        context.close()
    assert seen >= 80  # every role saw its pages
    assert not too_wide, "\n".join(too_wide)
    # The same demo data (seeding is slow): the plan table scrolls in its region.
    _wide_table_scrolls_in_its_region_with_a_hint(browser, base)


def _wide_table_scrolls_in_its_region_with_a_hint(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    _login(page, base, "verwaltung")
    page.goto(f"{base}/finanzen/")
    region = page.get_by_role("region", name="Finanzierungsplan in Euro je Jahr")
    assert region.get_attribute("tabindex") == "0"
    hint = page.locator(".table-scroll-hint").first
    overflowing = region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert hint.is_visible() == overflowing
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.wait_for_function("!document.querySelector('.table-scroll-hint').hidden")
    assert hint.inner_text() == "Tabelle seitlich scrollbar"
    # The first column stays in view while the table scrolls.
    first_cell = region.locator("tbody th").first
    before = first_cell.bounding_box()["x"]
    region.evaluate("el => { el.scrollLeft = 400; }")
    assert abs(first_cell.bounding_box()["x"] - before) < 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    context.close()
