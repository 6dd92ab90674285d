"""The school working group in a real browser: joining a session, accessibility of its pages."""

from datetime import date

import pytest

from schools_wg.models import Indicator, Member, School
from tests.schools_wg import factories as f

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_joins_a_session_and_sees_themselves_on_the_list(page, live_server, make_user):
    user = make_user("ag_schule", first_name="Anna", last_name="Muster")
    f.member(user, Member.Category.PARENTS)
    session = f.session(capacity=2, title="Paritäts-Übersicht beraten")
    other = f.member()
    from schools_wg import services

    services.session_join(session_id=session.pk, member=other)

    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/ag-schule/")
    page.get_by_role("link", name="Paritäts-Übersicht beraten").click()
    page.wait_for_url(f"{live_server.url}/ag-schule/sitzungen/{session.pk}/")
    participants = page.locator("#participants")
    assert "1 von 2 Plätzen belegt." in participants.inner_text()
    assert "Anna Muster" not in participants.inner_text()

    page.get_by_role("button", name="Teilnahme zusagen").click()
    names = page.get_by_test_id("participants")
    names.get_by_text("Anna Muster (Sie)").wait_for()
    assert str(other.user) in names.inner_text()
    assert "2 von 2 Plätzen belegt." in participants.inner_text()
    assert page.get_by_role("status").first.inner_text() == "Sie haben Ihre Teilnahme zugesagt."
    # htmx swapped only the section: still the same page, and the change is stored.
    assert page.url == f"{live_server.url}/ag-schule/sitzungen/{session.pk}/"
    assert session.registrations.filter(member__user=user, status="confirmed").exists()
    assert_accessible(page)  # the session page after the swap

    page.get_by_role("button", name="Teilnahme absagen").click()
    page.get_by_role("button", name="Teilnahme zusagen").wait_for()
    assert "Anna Muster" not in page.locator("#participants").inner_text()


def test_group_page_is_accessible(page, live_server, make_user):
    user = make_user("verwaltung")
    f.member(f.user("AG Schule", email="eltern@example.org"), Member.Category.PARENTS)
    f.member(category=Member.Category.FACTION, faction=f.faction("A"))
    f.faction("B")
    f.session(title="Nächste Sitzung")
    f.session(days=-20, title="Vergangene Sitzung")
    f.school("Lessing-Gymnasium", School.SchoolType.GYM)
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/ag-schule/")
    assert page.get_by_test_id("missing-factions").is_visible()
    assert "eltern@example.org" in page.get_by_test_id("members").inner_text()
    assert_accessible(page)


def test_session_page_for_verwaltung_is_accessible(page, live_server, make_user):
    user = make_user("verwaltung")
    session = f.session()
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/ag-schule/sitzungen/{session.pk}/")
    assert_accessible(page)
    # Edit date and place in place (htmx), then save.
    page.get_by_role("link", name="Termin und Ort bearbeiten").click()
    details = page.locator("#session-details")
    details.get_by_label("Titel").fill("Umbenannte Sitzung")
    details.get_by_role("button", name="Speichern").click()
    page.locator("#session-details").get_by_text("Termin und Ort bearbeiten").wait_for()
    session.refresh_from_db()
    assert session.title == "Umbenannte Sitzung"


def test_parity_dashboard_is_accessible(page, live_server, make_user):
    user = make_user("ratsbuero")
    devices = f.indicator("pupils_per_device", Indicator.Direction.LOWER, unit="Schüler")
    wlan = f.indicator("wlan_share", Indicator.Direction.HIGHER, unit="%")
    concept = f.indicator("media_concept", Indicator.Direction.LOWER, value_type="date")
    for indicator, threshold in ((devices, 3), (wlan, 90), (concept, 36)):
        f.standard(School.SchoolType.GS, indicator, threshold)
    for i, name in enumerate(["Grundschule Reusa", "Grundschule Jößnitz", "Herbart-Grundschule"]):
        school = f.school(name)
        for year in ("2024/25", "2025/26"):
            f.measure_value(school, devices, year, 2 + 3 * i)
            f.measure_value(school, wlan, year, 100 - 30 * i)
            f.measure_value(school, concept, year, date_value=date(2024 - 2 * i, 1, 1))
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/ag-schule/paritaet/")
    assert "Grundschule Jößnitz" in page.get_by_test_id("furthest-behind").inner_text()
    assert_accessible(page)
    page.get_by_label("Schuljahr", exact=True).select_option("2024/25")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**schuljahr=2024%2F25")
    assert (
        "2024/25"
        in page.get_by_role("heading", name="Indikatoren im Schuljahr 2024/25").inner_text()
    )
