"""Export as CSV/XLSX and import of the same file: a round trip changes nothing; bad files
are refused whole with row and column."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from strategy.models import Measure

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    unit = f.org_unit("Hauptamt")
    field = f.field(code="HF 1", title="Digitale Verwaltung")
    goal = f.goal(field, code="Z 1.1")
    a = f.measure(
        goal,
        code="M 1.1.1",
        title='=HYPERLINK("http://evil")',
        lead_unit=unit,
        lifecycle="in_progress",
        traffic_light="yellow",
        progress=40,
        planned_start=date(2025, 1, 1),
        planned_end=date(2026, 12, 31),
        actual_start=date(2025, 2, 1),
    )
    b = f.measure(goal, code="M 1.1.2", title="E-Akte", progress=0)
    # Same measure code below another goal: the import tells them apart by goal and field.
    other = f.measure(f.goal(f.field(code="HF 2"), code="Z 2.1"), code="M 1.1.1", progress=5)
    return a, b, other


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def upload(client, name, content):
    return client.post(
        reverse("strategy:import"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_csv_export_has_german_headers_and_neutralises_formulas(role_client, strategy):
    response = role_client("stadtrat").get(reverse("strategy:export_csv"))
    rows = read_csv(response.content)
    assert rows[0][:4] == ["Handlungsfeld", "Ziel", "Maßnahme", "Titel"]
    assert "Fortschritt (%)" in rows[0] and "Ampel" in rows[0]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Titel"].startswith("'=")
    assert first["Ampel"] == "gelb" and first["Status"] == "in Umsetzung"
    assert first["Geplantes Ende"] == "31.12.2026"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(role_client, strategy, kind):
    client = role_client("verwaltung")
    exported = client.get(reverse(f"strategy:export_{kind}")).content
    before = {m.pk: (m.version, m.updated_at) for m in Measure.objects.all()}
    history_before = Measure.history.count()
    response = upload(client, f"strategie.{kind}", exported)
    assert "0 Maßnahmen aktualisiert" in response.content.decode()
    assert {m.pk: (m.version, m.updated_at) for m in Measure.objects.all()} == before
    assert Measure.history.count() == history_before


def test_csv_import_updates_progress_light_and_dates(role_client, strategy):
    a, b, other = strategy
    client = role_client("verwaltung")
    rows = read_csv(client.get(reverse("strategy:export_csv")).content)
    header = rows[0]
    for row in rows[1:]:
        if row[1] == "Z 1.1" and row[2] == "M 1.1.1":
            row[header.index("Fortschritt (%)")] = "75"
            row[header.index("Ampel")] = "Grün"
            row[header.index("Tatsächliches Ende")] = "15.12.2026"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    response = upload(client, "s.csv", buffer.getvalue().encode("utf-8"))
    assert "1 Maßnahme aktualisiert" in response.content.decode()
    a.refresh_from_db()
    other.refresh_from_db()
    assert (a.progress, a.traffic_light, a.actual_end) == (75, "green", date(2026, 12, 15))
    assert a.version == 2
    assert a.history.latest().history_user == client.user
    assert other.progress == 5  # same code below another goal is untouched


def test_bad_xlsx_is_refused_whole_with_row_and_column(role_client, strategy):
    a, b, _other = strategy
    client = role_client("verwaltung")
    workbook = load_workbook(io.BytesIO(client.get(reverse("strategy:export_xlsx")).content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    # Row 2: a valid change that must NOT be written, because other rows are wrong.
    sheet.cell(row=2, column=col["Fortschritt (%)"], value=90)
    sheet.cell(row=3, column=col["Fortschritt (%)"], value=120)
    sheet.cell(row=3, column=col["Ampel"], value="lila")
    sheet.cell(row=4, column=col["Geplantes Ende"], value="morgen")
    sheet.append(["HF 9", "Z 9.9", "M 9.9.9"] + [None] * (len(header) - 3))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, "s.xlsx", buffer.getvalue())
    html = response.content.decode()
    assert "Es wurde nichts importiert" in html
    errors = response.context["errors"]
    found = {(e.row, e.column) for e in errors}
    assert (3, "Fortschritt (%)") in found
    assert (3, "Ampel") in found
    assert (4, "Geplantes Ende") in found
    assert (5, "Maßnahme") in found
    assert "Geben Sie den Fortschritt als ganze Zahl von 0 bis 100 ein." in html
    a.refresh_from_db()
    assert a.progress == 40 and a.version == 1  # nothing half-saved


def test_import_checks_model_rules_and_missing_columns(role_client, strategy):
    client = role_client("verwaltung")
    workbook = Workbook()
    workbook.active.append(["Handlungsfeld", "Ziel", "Maßnahme", "Ampel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors = upload(client, "x.xlsx", buffer.getvalue()).context["errors"]
    assert {e.column for e in errors} >= {"Fortschritt (%)", "Geplanter Beginn"}
    assert all(e.message == "Diese Spalte fehlt." for e in errors)

    rows = read_csv(client.get(reverse("strategy:export_csv")).content)
    header = rows[0]
    rows[1][header.index("Geplantes Ende")] = "01.01.2020"  # before the planned start
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    response = upload(client, "s.csv", buffer.getvalue().encode("utf-8"))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "Geplantes Ende")]


def test_import_refuses_other_file_types(role_client):
    response = upload(role_client("verwaltung"), "s.txt", b"x")
    assert "Bitte laden Sie eine CSV- oder XLSX-Datei hoch." in response.content.decode()


def test_xlsx_export_has_german_headers_dates_and_no_formulas(role_client, strategy):
    response = role_client("ratsbuero").get(reverse("strategy:export_xlsx"))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Handlungsfeld", "Ziel", "Maßnahme", "Titel"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no cell runs as a formula
    first = {name: c.value for name, c in zip(header, sheet[2], strict=True)}
    assert first["Titel"] == '\'=HYPERLINK("http://evil")'
    assert first["Ampel"] == "gelb" and first["Fortschritt (%)"] == 40
    assert sheet.cell(row=2, column=header.index("Geplantes Ende") + 1).is_date
