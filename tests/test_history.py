"""core.history reads in bulk: the queries of `history_entries` do not grow with its records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.history import history_entries
from schools_wg.models import SchoolMeasurement

from .schools_wg import factories as wg

pytestmark = pytest.mark.django_db


def measurement_history(rows, prefix):
    """A school with `rows` indicator values (one per indicator: each name needs its indicator)
    and each value changed once, so the history has 2 × rows records."""
    school = wg.school()
    for n in range(rows):
        value = wg.measure_value(school, wg.indicator(code=f"{prefix}{n}"), "2025/26", value=n)
        value.value += 1
        value.save()
    return SchoolMeasurement.history.filter(school_id=school.pk)


def queries_for(records):
    with translation.override("de"), CaptureQueriesContext(connection) as queries:
        entries = history_entries(records)
        labels = [entry.label for entry in entries]
    return len(queries), entries, labels


def test_history_entries_queries_do_not_grow_with_rows():
    few, few_entries, few_labels = queries_for(measurement_history(10, "few"))
    many, many_entries, many_labels = queries_for(measurement_history(200, "many"))
    assert len(few_entries) == 20 and len(many_entries) == 400
    assert few == many
    # The names are the objects' own (school – indicator – year), read with the records.
    assert all(" – 2025/26" in label and "Schule" in label for label in many_labels)
