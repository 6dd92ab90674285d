"""Each bar of the timeline is labelled and links to its measure."""

import re
from datetime import date

import pytest
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db


def test_every_timeline_row_links_to_its_measure_with_a_label(role_client):
    measure = factories.measure(
        title="Glasfaser für Schulen", planned_start=date(2025, 1, 1), planned_end=date(2030, 6, 30)
    )
    html = role_client("stadtrat").get(reverse("strategy:timeline")).content.decode()
    url = reverse("strategy:measure_detail", args=[measure.pk])
    row = re.search(rf'<a class="tl-link" href="{url}">(.*?)</a>', html, re.S)
    assert row, "the row is a link to the measure"
    title = re.search(r"<title>(.*?)</title>", row.group(1), re.S).group(1)
    assert title == f"{measure.code} Glasfaser für Schulen – geplant: 01.01.2025–30.06.2030"
    assert '<text class="tl-label" x="4"' in row.group(1) and measure.code in row.group(1)
    assert 'class="tl-planned"' in row.group(1)
    # The chart is a group of links, not one opaque image.
    assert re.search(r'<svg class="timeline__svg"[^>]*role="group"', html)
