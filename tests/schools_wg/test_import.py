"""CSV import of indicator values: all or nothing, errors by row and column, upload limits."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools_wg.models import Indicator, SchoolMeasurement

from ..imports import confirm_preview
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
    response = client.post(reverse("schools_wg:import"), {"file": file})
    return confirm_preview(client, reverse("schools_wg:import"), response, follow=False)


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
    # Importing the export again with one value changed updates it and keeps the others
    # (empty cells change nothing).
    lines = [
        line.split(";")
        for line in client.get(reverse("schools_wg:export"))
        .content.decode("utf-8-sig")
        .splitlines()
    ]
    header = lines[0]
    assert header[:2] == ["Schule", "Schuljahr"] and header[-1] == "Stand"
    reusa = next(line for line in lines if line[0] == "Grundschule Reusa")
    assert reusa[header.index("pupils_per_device")] == "9,80"
    reusa[header.index("wlan_share")] = "40"
    assert upload(client, "\r\n".join(";".join(line) for line in lines)).status_code == 302
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


def _preview(client, text):
    file = SimpleUploadedFile("werte.csv", text.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("schools_wg:import"), {"file": file})


def test_an_older_export_is_refused_for_rows_changed_since_unless_taken_over(
    role_client, setup_data
):
    client = role_client("verwaltung")
    assert upload(client, HEADER + "Grundschule Reusa;2025/26;9,8;50;\r\n").status_code == 302
    old_export = client.get(reverse("schools_wg:export")).content.decode("utf-8-sig")
    # Someone corrects the value in the browser after the export.
    reusa = SchoolMeasurement.objects.get(indicator__code="wlan_share")
    reusa.value = D("60")
    reusa.save()

    stale = old_export.replace(";50,00;", ";55,00;")
    response = _preview(client, stale)
    assert response.status_code == 200
    conflicts = response.content.decode().split('data-testid="import-conflicts"')[1]
    conflicts = conflicts.split("</table>")[0]
    assert "Grundschule Reusa 2025/26" in conflicts
    assert "60,00" in conflicts and "55,00" in conflicts  # current and file value
    assert SchoolMeasurement.objects.get(pk=reusa.pk).value == D("60"), "a preview writes nothing"

    # Confirmed without taking it over: the newer value stays.
    kept = confirm_preview(client, reverse("schools_wg:import"), response)
    assert "behält ihre aktuellen Werte" in kept.content.decode()
    assert SchoolMeasurement.objects.get(pk=reusa.pk).value == D("60")

    # Taken over explicitly: the file's value goes in.
    school = reusa.school
    response = _preview(client, stale)
    confirm_preview(
        client, reverse("schools_wg:import"), response, take_over=[f"school:{school.pk}:2025/26"]
    )
    assert SchoolMeasurement.objects.get(pk=reusa.pk).value == D("55")


def test_german_numbers_only(role_client, setup_data):
    client = role_client("verwaltung")
    response = upload(client, HEADER + "Grundschule Reusa;2025/26;4.5;;\r\n")
    assert response.status_code == 422
    assert not SchoolMeasurement.objects.exists()
    assert upload(client, HEADER + "Grundschule Reusa;2025/26;1.234,5;;\r\n").status_code == 302
    assert SchoolMeasurement.objects.get().value == D("1234.50")
