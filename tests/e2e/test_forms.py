"""Forms in a real browser (issue 13): every inline htmx form sent invalid shows its German error
beside the field with the input kept (htmx swaps the 422 answer in place), axe finds nothing in
the error state, every visible select is drawn with KERN's box, and each error state is
photographed at 1280 and 390 px into $SCREENSHOT_DIR (default var/screenshots/forms)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.finance import factories as finance
from tests.participation.helpers import (
    make_comment,
    make_consultation,
    make_councillor,
    make_faction,
    make_goal,
)
from tests.schools_wg import factories as wg
from tests.strategy import factories as strategy

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots/forms"))
FAILED = "Die Aktion ist fehlgeschlagen"


def shoot(page, name):
    """The page as it is, at 1280 and at 390 px wide (full height)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def assert_error_beside(page, field_id, message):
    """The error sits in the field's own group, is the one its aria-describedby names, and the
    request did not end in the "action failed" alert."""
    control = page.locator(f"#{field_id}")
    error = page.locator(f"#{field_id}_error")
    expect(error).to_have_text(message)
    expect(control).to_have_attribute("aria-invalid", "true")
    described = control.get_attribute("aria-describedby").split()
    assert f"{field_id}_error" in described
    group = page.locator(".kern-form-input, .kern-form-check", has=control)
    expect(group.locator(".kern-error")).to_have_count(1)
    expect(group.locator(f"#{field_id}_error")).to_have_count(1)
    assert FAILED not in page.locator("#messages").inner_text()


def assert_selects_have_a_box(page):
    """Every visible select is inside KERN's wrapper, which draws a visible border and surface."""
    selects = page.locator("select:visible")
    for index in range(selects.count()):
        box = selects.nth(index).evaluate(
            """select => {
                const wrapper = select.parentElement;
                const style = getComputedStyle(wrapper);
                return {
                    wrapped: wrapper.classList.contains("kern-form-input__select-wrapper"),
                    border: parseFloat(style.borderBottomWidth),
                    background: style.backgroundColor,
                    height: wrapper.getBoundingClientRect().height,
                    id: select.id,
                };
            }"""
        )
        assert box["wrapped"], box
        assert box["border"] >= 1, box
        assert box["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), box
        assert box["height"] >= 40, box


def test_session_page_inline_forms_show_their_errors_in_place(page, live_server, make_user):
    user = make_user("verwaltung")
    session = wg.session(title="Sitzung mit Fehlern")
    item = session.action_items.create(title="Geräteliste prüfen")
    strategy.measure(title="Schul-WLAN")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    url = page.url
    assert_selects_have_a_box(page)

    # Agenda item without a title: the error beside "Titel", the notes kept.
    agenda = page.locator("#agenda")
    agenda.get_by_label("Anmerkungen").fill("Bitte vorher die Liste lesen")
    agenda.get_by_role("button", name="Hinzufügen").click()
    assert_error_beside(page, "agenda-title", "Dieses Feld ist zwingend erforderlich.")
    expect(page.locator("#agenda-title")).to_be_focused()  # focus follows the first error
    expect(page.locator("#agenda").get_by_label("Anmerkungen")).to_have_value(
        "Bitte vorher die Liste lesen"
    )
    assert page.url == url

    # Task without a title: the due date kept.
    actions = page.locator("#actions")
    actions.get_by_label("fällig am").fill("2026-12-15")
    actions.get_by_role("button", name="Hinzufügen").click()
    assert_error_beside(page, "action-title", "Dieses Feld ist zwingend erforderlich.")
    expect(page.locator("#action-due_date")).to_have_value("2026-12-15")

    # "Make milestone" without a measure: the error in that row.
    page.locator(f"#milestone-{item.pk}-measure").select_option("")
    page.get_by_role("button", name=f"Zum Meilenstein machen {item.title}").click()
    assert_error_beside(
        page, f"milestone-{item.pk}-measure", "Wählen Sie eine Maßnahme der Strategie."
    )
    assert_accessible(page)
    assert_selects_have_a_box(page)

    # Date and place with the end before the start: the error beside the end, input kept.
    page.get_by_role("link", name="Termin und Ort bearbeiten").click()
    details = page.locator("#session-details")
    details.get_by_label("Titel").fill("Neuer Titel der Sitzung")
    start = timezone.localtime(session.starts_at)
    before = (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    details.get_by_label("Ende", exact=True).fill(before)
    details.get_by_role("button", name="Speichern").click()
    assert_error_beside(page, "id_ends_at", "Die Sitzung muss nach ihrem Beginn enden.")
    expect(page.locator("#id_ends_at")).to_be_focused()
    expect(page.locator("#session-details").get_by_label("Titel")).to_have_value(
        "Neuer Titel der Sitzung"
    )
    expect(page.locator("#id_ends_at")).to_have_value(before)
    assert page.url == url
    assert_accessible(page)
    shoot(page, "session-errors")
    session.refresh_from_db()
    assert session.title == "Sitzung mit Fehlern"  # nothing was saved


def test_strategy_item_form_shows_errors_in_place(page, live_server, make_user):
    goal = strategy.goal()
    user = make_user("verwaltung")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.get_by_role("link", name="Neue Maßnahme").click()
    form = page.locator("form.item-form")
    form.get_by_label("Code").fill("")
    form.get_by_label("Titel", exact=True).fill("Meine Maßnahme")
    form.evaluate("form => form.noValidate = true")
    form.get_by_role("button", name="Speichern").click()
    assert_error_beside(page, "id_code", "Dieses Feld ist zwingend erforderlich.")
    expect(page.locator("form.item-form").get_by_label("Titel", exact=True)).to_have_value(
        "Meine Maßnahme"
    )
    # The legend stands above the first field, not beside it.
    legend = page.locator("form.item-form legend").bounding_box()
    first = page.locator("form.item-form .kern-form-input").first.bounding_box()
    assert first["y"] >= legend["y"] + legend["height"] - 1
    assert_selects_have_a_box(page)
    assert_accessible(page)
    shoot(page, "strategy-measure-errors")


def test_finance_forms_show_errors_in_place(page, live_server, make_user):
    finance.example_in_db()
    user = make_user("verwaltung")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/finanzen/")
    assert_selects_have_a_box(page)  # the plan filters
    page.goto(f"{live_server.url}/finanzen/kostenpositionen/")
    page.get_by_role("link", name="Neue Kostenposition").click()
    form = page.locator("form.finance-form")
    form.get_by_label("Titel").fill("Lernplattform")
    form.evaluate("form => form.noValidate = true")
    form.get_by_role("button", name="Speichern").click()
    assert_error_beside(page, "id_measure", "Dieses Feld ist zwingend erforderlich.")
    expect(page.locator("form.finance-form").get_by_label("Titel")).to_have_value("Lernplattform")
    assert_selects_have_a_box(page)
    assert_accessible(page)
    shoot(page, "finance-item-errors")

    page.goto(f"{live_server.url}/finanzen/")
    page.get_by_role("link", name="Planungszeitraum ändern").click()
    period = page.locator("form.finance-form")
    period.get_by_label("erstes Jahr").fill("2030")
    period.get_by_label("letztes Jahr").fill("2020")
    period.get_by_role("button", name="Speichern").click()
    expect(page.locator("form.finance-form .kern-error").first).to_be_visible()
    assert FAILED not in page.locator("#messages").inner_text()
    expect(page.locator("form.finance-form").get_by_label("erstes Jahr")).to_have_value("2030")
    assert_accessible(page)


@pytest.fixture
def discussion(make_user):
    faction = make_faction("A", seats=5, name="Fraktion A")
    councillor = make_user("stadtrat", first_name="Carola", last_name="Dietrich")
    make_councillor(councillor, faction)
    goal = make_goal(code="Z 2.1", title="Alle Schulen mit Glasfaser")
    consultation = make_consultation([goal], title="Beteiligung Strategieentwurf")
    comment = make_comment(consultation, councillor, "Wann sind die Grundschulen dran?")
    return councillor, consultation, goal, comment


def test_comment_forms_show_errors_in_place(page, live_server, make_user, discussion):
    councillor, consultation, goal, comment = discussion
    login(page, live_server, councillor.username)
    page.goto(f"{live_server.url}/beteiligung/{consultation.pk}/ziele/{goal.pk}/")
    field_id = f"comment-{consultation.pk}-{goal.pk}-text"

    page.locator(f"#{field_id}").fill("   ")  # only spaces: nothing to publish
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    assert_error_beside(page, field_id, "Bitte schreiben Sie einen Kommentar.")
    assert_accessible(page)

    # Editing the own comment empty: the error in place of the comment, the form stays.
    page.get_by_role("link", name="Bearbeiten").first.click()
    edit_id = f"edit-{comment.pk}-text"
    page.locator(f"#{edit_id}").fill(" ")
    page.get_by_role("button", name="Änderungen speichern").click()
    assert_error_beside(page, edit_id, "Bitte schreiben Sie einen Kommentar.")

    # A reply without text.
    page.reload()
    page.get_by_role("link", name="Antworten").first.click()
    reply_id = f"reply-{comment.pk}-text"
    page.locator(f"#{reply_id}").fill(" ")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    assert_error_beside(page, reply_id, "Bitte schreiben Sie einen Kommentar.")
    assert_accessible(page)
    shoot(page, "comment-errors")


def test_hide_form_of_the_moderator_shows_its_error_in_place(
    page, live_server, make_user, discussion
):
    _councillor, consultation, goal, comment = discussion
    moderator = make_user("verwaltung")
    login(page, live_server, moderator.username)
    page.goto(f"{live_server.url}/beteiligung/{consultation.pk}/ziele/{goal.pk}/")
    page.get_by_role("link", name="Ausblenden (Moderation)").first.click()
    reason_id = f"hide-{comment.pk}-reason"
    page.locator(f"#{reason_id}").fill(" ")
    page.get_by_role("button", name="Kommentar ausblenden").click()
    assert_error_beside(page, reason_id, "Bitte geben Sie einen Grund an.")
    assert_accessible(page)


# Forms that post without htmx: each is sent invalid, then scanned with axe and photographed.
PAGE_FORMS = [
    ("strategy-import", "/strategie/import/", None, "Importieren"),
    ("member", "/ag-schule/mitglieder/neu/", None, "Speichern"),
    ("wg-session", "/ag-schule/sitzungen/neu/", "clear-title", "Speichern"),
    ("wg-import", "/ag-schule/paritaet/import/", None, "Importieren"),
    ("wg-standards", "/ag-schule/paritaet/mindeststandards/", "standard", "Speichern"),
    ("consultation", "/beteiligung/verfahren/neu/", None, "Speichern"),
    ("faction", "/beteiligung/fraktionen/neu/", None, "Speichern"),
    ("councillor", "/beteiligung/stadtraete/neu/", None, "Speichern"),
    ("report-request", "/berichte/", "report-date", "Bericht anfordern"),
    ("wg-measurements", "school-values", "value", "Speichern"),
    ("preferences", "/beteiligung/benachrichtigungen/", "no-choice", "Speichern"),
]


@pytest.mark.parametrize(("name", "path", "prepare", "button"), PAGE_FORMS)
def test_page_form_in_its_error_state_is_accessible(
    page, live_server, make_user, name, path, prepare, button
):
    user = make_user("verwaltung")
    wg.indicator()
    school = wg.school()
    strategy.goal()
    if path == "school-values":
        path = f"/ag-schule/schulen/{school.pk}/werte/"
    login(page, live_server, user.username)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    form = page.locator("main form[method=post]").filter(
        has=page.get_by_role("button", name=button)
    )
    form.evaluate("form => form.noValidate = true")
    if prepare == "clear-title":
        form.get_by_label("Titel").fill("")
    elif prepare == "standard":
        form.locator("input[type=text], input:not([type])").first.fill("-5")
    elif prepare == "report-date":
        form.get_by_label("Stichtag").fill("1999-01-01")
    elif prepare == "value":
        form.get_by_label("Schuljahr").fill("2025")
    elif prepare == "no-choice":
        form.evaluate(
            "form => form.querySelectorAll('input[type=radio]').forEach(r => r.checked = false)"
        )
    form.get_by_role("button", name=button).click()
    errors = page.locator("main .kern-error")
    expect(errors.first).to_be_visible()  # waits for the answer
    for index in range(errors.count()):
        error_id = errors.nth(index).get_attribute("id")
        assert error_id and error_id.endswith("_error"), error_id
        owner = page.locator(f'[aria-describedby~="{error_id}"]')
        expect(owner).to_have_count(1)
    assert_selects_have_a_box(page)
    assert_accessible(page)
    shoot(page, f"{name}-errors")


def test_login_with_a_wrong_password_is_accessible(page, live_server, make_user):
    user = make_user("ratsbuero")
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Benutzername")).to_have_value(user.username)
    assert_accessible(page)
    shoot(page, "login-errors")


MAIN_PAGES = ["/", "/strategie/", "/strategie/zeitplan/", "/finanzen/", "/ag-schule/paritaet/"]
MAIN_PAGES += ["/berichte/", "/ag-schule/mitglieder/neu/", "/beteiligung/stadtraete/neu/"]


def test_every_visible_select_on_the_main_pages_has_a_box(page, live_server, make_user):
    finance.example_in_db()
    wg.measure_value(wg.school(), wg.indicator(), "2024/25", value=3)
    user = make_user("verwaltung")
    login(page, live_server, user.username)
    for path in MAIN_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("select:visible").count() >= 1, path  # the footer's at least
        assert_selects_have_a_box(page)


def test_footer_language_select_has_a_box(page, live_server, make_user):
    user = make_user("ratsbuero")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/")
    assert_selects_have_a_box(page)
    wrapper = page.locator("footer .kern-form-input__select-wrapper")
    expect(wrapper).to_have_count(1)
    expect(page.locator("#language-select")).to_have_value("de")
    assert re.search(r"Deutsch", wrapper.inner_text())
