"""Imports in a real browser: upload an older export, see the preview with the conflict,
take it over, confirm; a bad file shows its error beside the field. Plus a look at the
"Letzte Änderungen" page."""

import csv
import io

import pytest
from playwright.sync_api import expect

from strategy.models import Measure

from ..services import require_chromium
from ..strategy import factories as f
from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _export_with(progress_by_code):
    header = ["Handlungsfeld", "Ziel", "Maßnahme", "Fortschritt (%)", "Ampel"]
    header += ["Geplanter Beginn", "Geplantes Ende", "Tatsächlicher Beginn", "Tatsächliches Ende"]
    header.append("Version")
    rows = [header]
    for m in Measure.objects.select_related("goal__field").order_by("code"):
        rows.append(
            [
                m.goal.field.code,
                m.goal.code,
                m.code,
                str(progress_by_code.get(m.code, m.progress)),
                m.get_traffic_light_display(),
                "",
                "",
                "",
                "",
                "1",
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_upload_preview_take_over_and_confirm(page, live_server, make_user, tmp_path):
    require_chromium()
    goal = f.goal(f.field(code="HF 1"), code="Z 1.1")
    glasfaser = f.measure(goal, code="M 1.1.1", title="Glasfaser", progress=10)
    akte = f.measure(goal, code="M 1.1.2", title="E-Akte", progress=20)
    # Someone edits Glasfaser after the (version 1) export was taken.
    glasfaser.progress = 70
    glasfaser.version = 2
    glasfaser.save()
    user = make_user("verwaltung")
    login(page, live_server, user.username)

    bad = tmp_path / "kaputt.csv"
    bad.write_bytes(b"Handlungsfeld;Ziel\r\nHF 1;Z 1.1\r\n")
    page.goto(f"{live_server.url}/strategie/import/")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Importieren").click()
    error = page.locator("#id_file_error")
    expect(error).to_contain_text("Spalte")
    assert_accessible(page)

    old = tmp_path / "strategie.csv"
    old.write_bytes(_export_with({"M 1.1.1": 15, "M 1.1.2": 30}))
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(old))
    page.get_by_role("button", name="Importieren").click()
    conflicts = page.get_by_test_id("import-conflicts")
    expect(conflicts).to_contain_text("M 1.1.1 Glasfaser")
    expect(conflicts).to_contain_text("70")
    expect(page.get_by_test_id("import-changes")).to_contain_text("M 1.1.2 E-Akte")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "preview-1280.png"), full_page=True)
    assert_accessible(page)

    page.get_by_label("Zeile 2: M 1.1.1 Glasfaser").check()
    page.get_by_role("button", name="Import bestätigen").click()
    expect(page.get_by_text("Import abgeschlossen: 2 Zeilen gespeichert.")).to_be_visible()
    glasfaser.refresh_from_db()
    akte.refresh_from_db()
    assert (glasfaser.progress, akte.progress) == (15, 30)

    page.goto(f"{live_server.url}/aenderungen/")
    expect(page.get_by_role("heading", name="Letzte Änderungen")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Fortschritt (%)")
    assert_accessible(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"changes-{width}.png"), full_page=True)
