"""Long choice lists in a real browser: the programme's item picker and the member form's person
search filter as one types; the ticked items are saved."""

from datetime import date

import pytest

from finance.models import FundingSource
from participation.models import Councillor, FactionMembership
from schools_wg.models import Member
from tests.finance import factories as f
from tests.schools_wg import factories as wg
from tests.strategy import factories as strategy

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_item_picker_filters_groups_and_saves_the_ticked_items(page, live_server, make_user):
    wlan, tablets = strategy.measure(title="WLAN an Schulen"), strategy.measure(title="Tablets")
    a = f.cost_item(wlan, title="Access Points Grundschule")
    f.cost_item(wlan, title="Verkabelung")
    b = f.cost_item(tablets, title="iPads Klasse 5")
    source = f.source(title="DigitalPakt")
    login(page, live_server, make_user("verwaltung").username)
    page.goto(f"{live_server.url}/finanzen/foerderprogramme/{source.pk}/bearbeiten/")
    search = page.get_by_label("Liste filtern")
    search.fill("access")
    assert page.get_by_label("Access Points Grundschule").is_visible()
    assert not page.get_by_label("Verkabelung").is_visible()
    assert not page.get_by_label("iPads Klasse 5").is_visible()  # its whole group is hidden
    page.get_by_label("Access Points Grundschule").check()
    search.fill("Tablets")  # a group's heading matches: all its items show
    page.get_by_label("iPads Klasse 5").check()
    assert page.get_by_text("2 ausgewählt").is_visible()
    search.fill("")
    # The scope is explicit: ticked items count for a programme limited to its selection.
    page.get_by_role("group", name="Geförderte Positionen").get_by_label("nur ausgewählte").check()
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_role("button", name="Speichern").click()
    assert set(FundingSource.objects.get(pk=source.pk).items.all()) == {a, b}


def test_member_form_finds_a_councillor_by_name(page, live_server, make_user):
    faction = wg.faction("A")
    rita = wg.user("Stadtrat", first_name="Rita", last_name="Ratgeber")
    FactionMembership.objects.create(
        councillor=Councillor.objects.create(user=rita),
        faction=faction,
        valid_from=date(2024, 6, 1),
    )
    wg.user("Stadtrat", first_name="Otto", last_name="Other")
    login(page, live_server, make_user("verwaltung").username)
    page.goto(f"{live_server.url}/ag-schule/mitglieder/neu/")
    page.get_by_label("Nach Namen suchen").fill("ratg")
    options = page.locator("#id_user option:not([hidden])")
    assert [t.strip() for t in options.all_inner_texts()] == [
        "---------",
        f"Rita Ratgeber ({rita.username}, Stadtrat)",
    ]
    page.locator("#id_user").select_option(str(rita.pk))
    page.get_by_label("Kategorie").select_option("faction")
    page.get_by_label("Fraktion").select_option(str(faction.pk))
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server.url}/ag-schule/#members")
    assert Member.objects.get().user == rita
