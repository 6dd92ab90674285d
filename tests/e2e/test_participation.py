"""Council participation in a real browser: a councillor comments and votes and sees the result
change; axe scans of the participation dashboard and a goal discussion with comments."""

import re

import pytest
from playwright.sync_api import expect

from tests.participation.helpers import (
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_councillor,
    make_faction,
    make_goal,
)

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(make_user):
    faction = make_faction("A", seats=5, name="Fraktion A")
    councillor = make_user("stadtrat", first_name="Carola", last_name="Dietrich")
    make_councillor(councillor, faction)
    other = make_user("stadtrat", first_name="Bernd", last_name="Albrecht")
    make_councillor(other, faction)
    goal = make_goal(code="Z 2.1", title="Alle Schulen mit Glasfaser")
    consultation = make_consultation([goal], title="Beteiligung Strategieentwurf")
    question = make_comment(
        consultation, other, "Wann sind die Grundschulen dran?\nBitte Zeitplan."
    )
    make_comment(consultation, make_user("verwaltung"), "Im Sommer 2027.", parent=question)
    make_closed_consultation([make_goal()], title="Frühere Beteiligung")
    return councillor, consultation, goal


def test_councillor_comments_and_votes_and_sees_the_result_change(page, live_server, setting):
    councillor, consultation, goal = setting
    login(page, live_server, councillor.username)
    page.goto(f"{live_server.url}/beteiligung/")
    page.get_by_role("link", name="Beteiligung Strategieentwurf").click()
    expect(
        page.get_by_text(re.compile(r"läuft bis \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr")).first
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("Zur Diskussion")).click()
    page.wait_for_url(f"**/beteiligung/{consultation.pk}/ziele/{goal.pk}/")

    summary = page.get_by_test_id("result-summary")
    expect(summary).to_contain_text("Zustimmung 0")

    # Comment with htmx: the thread updates without a page load.
    page.evaluate("window.__noReload = true")
    page.get_by_label("Ihr Kommentar").fill("Wir unterstützen das Ziel.\nMit <b>Nachdruck</b>.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    first_comment = page.get_by_test_id("comment-text").first
    expect(first_comment).to_contain_text("Wir unterstützen das Ziel.")
    expect(first_comment).to_contain_text("Mit <b>Nachdruck</b>.")  # shown as text, not markup
    expect(page.get_by_role("heading", name="3 Kommentare")).to_be_visible()
    assert page.evaluate("window.__noReload") is True

    # Vote, then change the vote: the result follows.
    page.get_by_role("button", name="Zustimmung", exact=True).click()
    expect(page.get_by_test_id("my-vote")).to_have_text("✓ Ihre Stimme: Zustimmung")
    expect(page.get_by_test_id("result-summary")).to_contain_text("Zustimmung 1 · Ablehnung 0")
    page.get_by_role("button", name="Ablehnung", exact=True).click()
    expect(page.get_by_test_id("result-summary")).to_contain_text("Zustimmung 0 · Ablehnung 1")
    assert page.evaluate("window.__noReload") is True
    assert_accessible(page)  # the goal discussion with comments, replies, vote and results

    # Reload: everything was saved.
    page.reload()
    expect(page.get_by_test_id("my-vote")).to_have_text("✓ Ihre Stimme: Ablehnung")


def test_dashboard_is_accessible(page, live_server, setting):
    councillor, consultation, goal = setting
    login(page, live_server, councillor.username)
    page.goto(f"{live_server.url}/beteiligung/")
    expect(page.get_by_role("heading", name="Laufende Beteiligungen")).to_be_visible()
    expect(page.get_by_role("link", name="Z 2.1 Alle Schulen mit Glasfaser")).to_be_visible()
    assert_accessible(page)


def test_load_more_comments_with_htmx(page, live_server, setting, make_user):
    councillor, consultation, goal = setting
    for n in range(25):
        make_comment(consultation, councillor, f"Beitrag {n:02d}")
    login(page, live_server, councillor.username)
    page.goto(f"{live_server.url}/beteiligung/{consultation.pk}/ziele/{goal.pk}/")
    expect(page.get_by_text("Wann sind die Grundschulen dran?")).to_have_count(0)
    page.get_by_role("link", name="Mehr laden").click()
    expect(page.get_by_text("Wann sind die Grundschulen dran?")).to_be_visible()
    expect(page.get_by_role("link", name="Mehr laden")).to_have_count(0)
    assert_accessible(page)
