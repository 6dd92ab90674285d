"""plauen_digital.caching: the stamp changes with every write, so cached reads are never stale."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plauen_digital.accounts.models import Municipality
from plauen_digital.caching import cached, data_stamp


@pytest.mark.django_db
def test_the_stamp_is_one_query_and_changes_with_create_update_and_delete():
    with CaptureQueriesContext(connection) as queries:
        empty = data_stamp(Municipality)
    assert len(queries) == 1

    city = Municipality.objects.create(name="Plauen")
    created = data_stamp(Municipality)
    assert created != empty
    assert data_stamp(Municipality) == created, "no write, same stamp"

    city.name = "Stadt Plauen"
    city.save()
    updated = data_stamp(Municipality)
    assert updated != created

    city.delete()
    assert data_stamp(Municipality) not in (empty, created, updated)


@pytest.mark.django_db
def test_a_model_without_history_is_stamped_by_its_highest_id(make_user):
    from django.contrib.auth import get_user_model

    before = data_stamp(get_user_model())
    make_user("stadtrat")
    assert data_stamp(get_user_model()) != before


@pytest.mark.django_db
def test_the_stamp_changes_with_the_day():
    with time_machine.travel("2026-12-01 12:00 +01:00", tick=False):
        first = data_stamp(Municipality)
    with time_machine.travel("2026-12-02 12:00 +01:00", tick=False):
        assert data_stamp(Municipality) != first


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
    from django.contrib.auth import get_user_model

    user = make_user("stadtrat", password="sicheres-Passwort-123")
    before = data_stamp(get_user_model())
    client.post(
        "/konto/anmelden/", {"username": user.username, "password": "sicheres-Passwort-123"}
    )
    assert "_auth_user_id" in client.session
    assert data_stamp(get_user_model()) == before, "a login must not empty the caches"
    user.last_name = "Neuname"
    user.save()
    assert data_stamp(get_user_model()) != before
