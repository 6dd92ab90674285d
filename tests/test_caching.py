"""core.caching: stamps that follow commit order, one registry of what parts read."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import caching
from core.caching import PARTS, cached, record_reads, stamp
from strategy.models import FieldOfAction, Goal, OrgUnit

from .finance import factories as finance_factories
from .participation.helpers import make_comment, make_consultation, make_councillor, make_faction
from .schools_wg import factories as wg_factories
from .services import require_postgres
from .strategy import factories as strategy_factories


@pytest.mark.django_db
def test_the_stamp_is_one_query_and_changes_with_create_update_delete_and_m2m():
    with CaptureQueriesContext(connection) as queries:
        empty = stamp("strategy.overview")
    assert len(queries) == 1

    field = strategy_factories.field()
    created = stamp("strategy.overview")
    assert created != empty
    assert stamp("strategy.overview") == created, "no write, same stamp"

    field.title = "Neuer Titel"
    field.save()
    updated = stamp("strategy.overview")
    assert updated != created

    field.delete()
    deleted = stamp("strategy.overview")
    assert deleted not in (empty, created, updated)

    source = finance_factories.source()
    item = finance_factories.cost_item()
    before = stamp("finance.plan")
    source.items.add(item)
    assert stamp("finance.plan") != before, "a scope change (M2M) is a change of the plan"


@pytest.mark.django_db
def test_a_write_the_part_does_not_read_leaves_its_stamp():
    before = stamp("schools_wg.parity")
    strategy_factories.field()
    assert stamp("schools_wg.parity") == before


@pytest.mark.django_db
def test_the_stamp_changes_with_the_day():
    with time_machine.travel("2026-12-01 12:00 +01:00", tick=False):
        first = stamp("strategy.overview")
    with time_machine.travel("2026-12-02 12:00 +01:00", tick=False):
        assert stamp("strategy.overview") != first


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_a_stamp_that_never_comes_back():
    """What a transaction cached of its own uncommitted data can never be served later."""
    before = stamp("strategy.overview")
    with pytest.raises(RuntimeError), transaction.atomic():
        strategy_factories.field()
        inside = stamp("strategy.overview")
        raise RuntimeError
    assert stamp("strategy.overview") == before
    strategy_factories.field()
    assert stamp("strategy.overview") not in (before, inside)


def test_cached_builds_once_per_stamp_and_vary():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert cached("demo", "s1", build, "verwaltung") == 1
    assert cached("demo", "s1", build, "verwaltung") == 1
    assert cached("demo", "s1", build, "stadtrat") == 2
    assert cached("demo", "s2", build, "verwaltung") == 3


@pytest.mark.django_db
def test_renaming_a_user_changes_the_stamp_but_logging_in_does_not(client, make_user):
    user = make_user("stadtrat", password="sicheres-Passwort-123")
    before = stamp("participation.discussion")
    client.post(
        "/konto/anmelden/", {"username": user.username, "password": "sicheres-Passwort-123"}
    )
    assert "_auth_user_id" in client.session
    assert stamp("participation.discussion") == before, "a login must not empty the caches"
    user.last_name = "Neuname"
    user.save()
    assert stamp("participation.discussion") != before


def _some_of_everything(make_user):
    """A little data in every table a cached part shows."""
    today = timezone.localdate()
    unit = strategy_factories.org_unit()
    measure = strategy_factories.measure(lead_unit=unit)
    strategy_factories.milestone(measure, due_date=today + timedelta(days=3))
    item = finance_factories.cost_item(measure=measure)
    finance_factories.source().items.add(item)
    finance_factories.budget_line()
    finance_factories.period()
    school = wg_factories.school()
    indicator = wg_factories.indicator()
    wg_factories.standard(school.school_type, indicator, 5)
    wg_factories.measure_value(school, indicator, "2025/26", value=4)
    wg_factories.session()
    wg_factories.member()
    councillor_user = make_user("stadtrat")
    make_councillor(councillor_user, make_faction())
    consultation = make_consultation(goals=[measure.goal])
    make_comment(consultation, councillor_user, goal=measure.goal)
    return consultation, measure.goal, councillor_user


@pytest.mark.django_db
def test_every_cached_builder_reads_only_the_tables_of_its_registry_part(make_user):
    """Fails when a builder starts reading a model its part does not list (its cache would then
    go stale when that model changes)."""
    consultation, goal, councillor = _some_of_everything(make_user)
    verwaltung = Client()
    verwaltung.force_login(make_user("verwaltung"))
    stadtrat = Client()
    stadtrat.force_login(councillor)
    owner = caching.model_of_table()
    with record_reads() as reads:
        for client, url in [
            (verwaltung, reverse("dashboard")),
            (stadtrat, reverse("dashboard")),
            (verwaltung, reverse("strategy:index")),
            (verwaltung, reverse("strategy:index") + "?q=Ma%C3%9Fnahme"),
            (verwaltung, reverse("finance:index")),
            (verwaltung, reverse("schools_wg:parity")),
            (
                stadtrat,
                reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk}),
            ),
        ]:
            assert client.get(url).status_code == 200, url
    assert set(reads) == set(PARTS), "every registry part was built"
    for part, tables in reads.items():
        listed = {label.lower() for label in PARTS[part]}
        read = {owner.get(table, table) for table in tables}
        assert read - listed == set(), f"{part} reads tables its registry entry does not list"
        assert read, part


@pytest.mark.django_db
def test_a_part_whose_builder_reads_an_unlisted_model_is_caught():
    """The check above is not vacuous: a builder reading a model outside its part is seen."""
    with record_reads() as reads:
        cached("probe", stamp("schools_wg.parity"), lambda: list(FieldOfAction.objects.all()))
    assert "strategy.fieldofaction" in {
        caching.model_of_table()[t] for t in reads["schools_wg.parity"]
    }


# --- PostgreSQL: two transactions committing out of order ---------------------------------------


def _overview(client):
    response = client.get(reverse("strategy:index"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_transaction_committing_after_a_page_was_cached_is_seen(make_user):
    """T1 inserts, T2 inserts and tries to commit, the page is cached, T1 commits: the page then
    shows T1's write. With stamps from MAX(history_id) T2 committed first, the page was cached
    under T2's higher id and T1's field stayed missing until the next write."""
    require_postgres()
    client = Client()
    client.force_login(make_user("verwaltung"))
    strategy_factories.field(code="HF 0", title="Bestehendes Feld")
    assert "Bestehendes Feld" in _overview(client)

    t1_inserted, t1_release, t2_done = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def t1():
        try:
            with transaction.atomic():
                FieldOfAction.objects.create(code="HF 1", title="Feld aus T eins", position=1)
                t1_inserted.set()
                assert t1_release.wait(30)
        except Exception as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    def t2():
        try:
            with transaction.atomic():
                FieldOfAction.objects.create(code="HF 2", title="Feld aus T zwei", position=2)
            t2_done.set()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    first, second = threading.Thread(target=t1), threading.Thread(target=t2)
    first.start()
    assert t1_inserted.wait(30)
    second.start()
    # T2 waits for T1 on the counter row: writers of the same model commit in stamp order.
    t2_done.wait(1)
    cached_page = _overview(client)
    assert "Feld aus T eins" not in cached_page
    t1_release.set()
    first.join(30)
    second.join(30)
    assert not errors, errors
    assert t2_done.is_set()
    page = _overview(client)
    assert "Feld aus T eins" in page
    assert "Feld aus T zwei" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_to_another_table_of_the_part_committing_first_does_not_hide_the_slow_one(
    make_user,
):
    """T1 inserts a goal, T2 adds an org unit (same part, other table) and commits, the page is
    cached with T2's write, T1 commits: the page shows T1's goal."""
    require_postgres()
    client = Client()
    client.force_login(make_user("verwaltung"))
    field = strategy_factories.field(code="HF 0", title="Feld")
    _overview(client)

    t1_inserted, t1_release = threading.Event(), threading.Event()
    errors = []

    def t1():
        try:
            with transaction.atomic():
                Goal.objects.create(field=field, code="Z 0.1", title="Ziel aus T eins", position=1)
                t1_inserted.set()
                assert t1_release.wait(30)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=t1)
    first.start()
    assert t1_inserted.wait(30)
    OrgUnit.objects.create(name="Amt aus T zwei")  # T2: autocommit
    cached_page = _overview(client)
    assert "Amt aus T zwei" in cached_page and "Ziel aus T eins" not in cached_page
    t1_release.set()
    first.join(30)
    assert not errors, errors
    assert "Ziel aus T eins" in _overview(client)


@pytest.mark.django_db
def test_funding_source_writes_reach_the_plan_stamp_through_the_generic_hook():
    before = stamp("finance.plan")
    finance_factories.source(to_year=date.today().year)
    assert stamp("finance.plan") != before
