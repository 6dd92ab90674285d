"""CSV import of indicator values: all or nothing, errors by row and column, upload limits."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools_wg.models import Indicator, SchoolMeasurement

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup_data():
    f.school("Lessing-Gymnasium")
    f.school("Grundschule Reusa")
    f.indicator("pupils_per_device", Indicator.Direction.LOWER)
    f.indicator("wlan_share", Indicator.Direction.HIGHER)
    f.indicator("media_concept", Indicator.Direction.LOWER, value_type="date")


def upload(client, text, name="werte.csv", content_type="text/csv", encoding="utf-8-sig"):
    content = text.encode(encoding) if isinstance(text, str) else text
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("schools_wg:import"), {"file": file})


HEADER = "Schule;Schuljahr;pupils_per_device;wlan_share;media_concept\r\n"


def test_valid_file_imports_every_value(role_client, setup_data):
    client = role_client("verwaltung")
    text = (
        HEADER
        + "Lessing-Gymnasium;2025/26;2,5;95;15.03.2025\r\n"
        + "Grundschule Reusa;2025/26;9,8;;\r\n"
    )
    response = upload(client, text)
    assert response.status_code == 302
    values = {
        (m.school.name, m.indicator.code): m.value or m.date_value
        for m in SchoolMeasurement.objects.select_related("school", "indicator")
    }
    assert values == {
        ("Lessing-Gymnasium", "pupils_per_device"): D("2.50"),
        ("Lessing-Gymnasium", "wlan_share"): D("95.00"),
        ("Lessing-Gymnasium", "media_concept"): date(2025, 3, 15),
        ("Grundschule Reusa", "pupils_per_device"): D("9.80"),
    }
    # Importing again updates values and keeps the others (empty cells change nothing).
    upload(client, HEADER + "Grundschule Reusa;2025/26;;40;\r\n")
    assert SchoolMeasurement.objects.count() == 5


def test_one_bad_cell_imports_nothing_and_names_row_and_column(role_client, setup_data):
    client = role_client("verwaltung")
    text = (
        HEADER
        + "Lessing-Gymnasium;2025/26;2,5;95;15.03.2025\r\n"
        + "Grundschule Reusa;2025/26;viel;40;31.02.2024\r\n"
        + "Unbekannte Schule;2025-26;1;1;\r\n"
    )
    response = upload(client, text)
    assert response.status_code == 422
    assert not SchoolMeasurement.objects.exists()
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [
        (3, "pupils_per_device"),
        (3, "media_concept"),
        (4, "Schule"),
        (4, "Schuljahr"),
    ]
    html = response.content.decode()
    assert "nichts wurde importiert" in html
    assert "Geben Sie eine Zahl ab 0 ein, z. B. 4,5." in html
    assert "Unbekannte Schule." in html


def test_header_and_duplicate_rows_are_checked(role_client, setup_data):
    client = role_client("verwaltung")
    response = upload(client, "Schule;Schuljahr;unknown_code\r\nLessing-Gymnasium;2025/26;1\r\n")
    assert [(e.row, e.column) for e in response.context["errors"]] == [(1, "unknown_code")]
    text = HEADER + "Lessing-Gymnasium;2025/26;1;;\r\n" + "lessing-gymnasium;2025/26;2;;\r\n"
    response = upload(client, text)
    assert "stehen bereits in Zeile 2" in response.content.decode()
    assert not SchoolMeasurement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("werte.xlsx", b"a;b", "text/csv", "Endung .csv"),
        ("werte.csv", b"x" * (1024 * 1024 + 1), "text/csv", "größer als 1 MB"),
        ("werte.csv", b"a;b", "application/pdf", "keine CSV-Datei"),
        ("werte.csv", "Schule;Schuljahr;x\r\n".encode("utf-16"), "text/csv", "UTF-8"),
    ],
)
def test_upload_limits(role_client, setup_data, name, content, content_type, message):
    client = role_client("verwaltung")
    response = upload(client, content, name=name, content_type=content_type)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SchoolMeasurement.objects.exists()
