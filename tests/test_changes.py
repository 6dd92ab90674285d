"""The page "Letzte Änderungen": every audited change across the apps, filtered, paginated."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.history import build_entries
from strategy.models import Measure

from .finance import factories as finance_factories
from .schools_wg import factories as wg_factories
from .strategy import factories as strategy_factories

pytestmark = pytest.mark.django_db
URL = reverse("changes:index")


@pytest.mark.parametrize(
    ("role", "status"),
    [("verwaltung", 200), ("ratsbuero", 200), ("stadtrat", 403), ("ag_schule", 403)],
)
def test_who_may_see_the_page_and_the_link_in_the_header(role_client, role, status):
    client = role_client(role)
    assert client.get(URL).status_code == status
    header = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{URL}"' in header) is (status == 200)


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def rows_of(response):
    """The table of changes (not the filter form, whose person list names everyone)."""
    return response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0]


def _edit_as(client, user, measure, **changes):
    """An edit through the measure form, so the history names the user."""
    from strategy.forms import MeasureForm

    from .test_no_op_saves import unchanged_data

    client.force_login(user)
    data = {**unchanged_data(MeasureForm(instance=measure)), **changes}
    response = client.post(reverse("strategy:measure_edit", args=[measure.pk]), data)
    assert response.status_code == 302


def test_lists_who_changed_what_newest_first_with_old_and_new_values_and_links(client, make_user):
    anna = make_user("verwaltung", first_name="Anna", last_name="Amt")
    measure = strategy_factories.measure(title="Glasfaser", progress=10)
    _edit_as(client, anna, measure, progress="35")
    gone = strategy_factories.measure(title="Verworfen")
    gone_url = gone.get_absolute_url()
    gone.delete()

    page = rows_of(client.get(URL))
    newest, changed = page.index("Verworfen"), page.index("Anna Amt")
    assert newest < changed, "newest first"
    assert "gelöscht" in page
    assert "Fortschritt (%):</span> 10" in page and "35" in page
    assert f'href="{measure.get_absolute_url()}"' in page
    assert f'href="{gone_url}"' not in page, "no link to what no longer exists"


def test_filters_by_app_person_and_dates(client, make_user):
    anna = make_user("verwaltung", first_name="Anna", last_name="Amt")
    bernd = make_user("verwaltung", first_name="Bernd", last_name="Büro")
    with time_machine.travel("2026-03-10 10:00 +01:00", tick=False):
        measure = strategy_factories.measure(title="Alte Maßnahme")
    with time_machine.travel("2026-06-10 10:00 +02:00", tick=False):
        _edit_as(client, anna, measure, progress="20")
    school = wg_factories.school(name="Grundschule Nord")
    finance_factories.source(title="Landesprogramm")
    client.force_login(bernd)

    def shown(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return rows_of(response)

    only_schools = shown(app="schools_wg")
    assert school.name in only_schools and "Landesprogramm" not in only_schools
    by_anna = shown(person=anna.pk)
    assert "Alte Maßnahme" in by_anna and school.name not in by_anna
    march = shown(start="2026-03-01", end="2026-03-31")
    assert "angelegt" in march and "Anna Amt" not in march and school.name not in march

    invalid = client.get(URL, {"start": "2026-05-01", "end": "2026-04-01"})
    assert invalid.status_code == 422
    assert "Das Enddatum darf nicht vor dem Anfangsdatum liegen." in invalid.content.decode()


def test_pages_of_fifty_keep_the_filters(role_client):
    client = role_client("verwaltung")
    for _ in range(60):
        strategy_factories.org_unit()
    first = client.get(URL, {"app": "strategy"}).content.decode()
    assert first.count('<tr class="kern-table__row">') == 51  # the head row and 50 entries
    assert "app=strategy&amp;seite=2" in first
    second = client.get(URL, {"app": "strategy", "seite": "2"}).content.decode()
    assert second.count('<tr class="kern-table__row">') == 11


def _history_of(n):
    """n changes by a user spread over measures, milestones, cost items and schools, some
    deleted objects among them."""
    today = timezone.localdate()
    for i in range(n // 5):
        measure = strategy_factories.measure(progress=0)
        measure.progress = 10
        measure.save()
        milestone = strategy_factories.milestone(measure, due_date=today + timedelta(days=i))
        finance_factories.cost_item(measure=measure)
        wg_factories.school(name=f"Schule {n}-{i}")
        milestone.delete()


@pytest.mark.parametrize("n", [10, 200])
def test_the_page_runs_the_same_number_of_queries_for_10_and_200_changes(
    role_client, django_assert_num_queries, n
):
    client = role_client("verwaltung")
    _history_of(n)
    client.get(URL)  # warm the session
    # The shell's 4 (session, user, role groups, municipality); the union's count and page; per
    # model on the page (measure, milestone, cost item, school, goal, field) its records and
    # which objects still exist; the predecessors of the changed measures; the names of related
    # objects (fields, goals, measures); the person filter's choices.
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


QUERIES = 4 + 2 + 6 * 2 + 1 + 3 + 1


def test_setting_or_clearing_archived_at_reads_as_archived_or_restored():
    archived_at = models.DateTimeField(verbose_name="archiviert am")
    archived_at.set_attributes_from_name("archived_at")
    record = SimpleNamespace(
        history_date=timezone.now(),
        history_user=None,
        history_type="~",
        history_change_reason="",
        id=1,
        code="M 1",
        title="Maßnahme",
    )
    when = timezone.now()
    archived, restored = build_entries(
        [(record, [(archived_at, None, when)]), (record, [(archived_at, when, None)])],
        lambda r: Measure,
    )
    assert (str(archived.action_label), str(restored.action_label)) == (
        "archiviert",
        "wiederhergestellt",
    )
