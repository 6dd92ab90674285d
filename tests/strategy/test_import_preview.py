"""Imports are edits: preview, conflicts with newer edits, take-over, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportPreview
from strategy.models import Measure

from ..imports import confirm_preview, token_of
from . import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("strategy:import")


@pytest.fixture
def measures():
    goal = f.goal(f.field(code="HF 1"), code="Z 1.1")
    return (
        f.measure(goal, code="M 1.1.1", title="Glasfaser", progress=10),
        f.measure(goal, code="M 1.1.2", title="E-Akte", progress=20),
    )


def export(client):
    return list(
        csv.reader(
            io.StringIO(client.get(reverse("strategy:export_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )


def with_progress(rows, values):
    """The exported rows with progress set per measure code; as CSV bytes."""
    header = rows[0]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        if row[2] in values:
            row[header.index("Fortschritt (%)")] = str(values[row[2]])
        out.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(out)
    return buffer.getvalue().encode("utf-8")


def preview(client, content, name="strategie.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def edit_in_browser(client, measure, progress):
    from strategy.forms import MeasureForm
    from tests.test_no_op_saves import unchanged_data

    data = {**unchanged_data(MeasureForm(instance=measure)), "progress": str(progress)}
    assert client.post(reverse("strategy:measure_edit", args=[measure.pk]), data).status_code == 302


def section(response, testid):
    return response.content.decode().split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_importing_an_older_export_never_silently_undoes_a_newer_edit(role_client, measures):
    glasfaser, akte = measures
    client = role_client("verwaltung")
    old = export(client)
    edit_in_browser(client, glasfaser, 70)  # after the export

    response = preview(client, with_progress(old, {"M 1.1.1": 10, "M 1.1.2": 30}))
    assert response.status_code == 200
    conflicts = section(response, "import-conflicts")
    assert "M 1.1.1 Glasfaser" in conflicts and "70" in conflicts and "10" in conflicts
    changes = section(response, "import-changes")
    assert "M 1.1.2 E-Akte" in changes and "Fortschritt (%)" in changes
    assert "M 1.1.1" not in changes
    glasfaser.refresh_from_db()
    akte.refresh_from_db()
    assert (glasfaser.progress, akte.progress) == (70, 20), "the preview writes nothing"

    done = confirm_preview(client, URL, response)
    assert "1 Zeile gespeichert" in done.content.decode()
    assert "behält ihre aktuellen Werte" in done.content.decode()
    glasfaser.refresh_from_db()
    akte.refresh_from_db()
    assert (glasfaser.progress, akte.progress) == (70, 30)


def test_a_conflicting_row_is_written_when_the_user_takes_it_over(role_client, measures):
    glasfaser, _akte = measures
    client = role_client("verwaltung")
    old = export(client)
    edit_in_browser(client, glasfaser, 70)
    response = preview(client, with_progress(old, {"M 1.1.1": 15}))
    confirm_preview(client, URL, response, take_over=[f"measure:{glasfaser.pk}"])
    glasfaser.refresh_from_db()
    assert glasfaser.progress == 15
    assert glasfaser.history.latest().history_change_reason  # marked as an import


def test_a_file_without_versions_counts_as_changed_after_the_export(role_client, measures):
    client = role_client("verwaltung")
    rows = [row[:-1] for row in export(client)]  # no "Version" column
    response = preview(client, with_progress(rows, {"M 1.1.2": 25}))
    assert "M 1.1.2 E-Akte" in section(response, "import-conflicts")


def test_an_edit_between_preview_and_confirmation_stops_the_whole_import(role_client, measures):
    glasfaser, akte = measures
    client = role_client("verwaltung")
    response = preview(client, with_progress(export(client), {"M 1.1.1": 11, "M 1.1.2": 22}))
    edit_in_browser(client, akte, 90)  # after the preview
    stale = confirm_preview(client, URL, response, follow=False)
    assert stale.status_code == 409
    assert "Seit der Vorschau geändert" in stale.content.decode()
    glasfaser.refresh_from_db()
    assert glasfaser.progress == 10, "nothing was written"
    # The new preview lists the conflict; confirming it now writes the other row.
    confirm_preview(client, URL, stale)
    glasfaser.refresh_from_db()
    akte.refresh_from_db()
    assert (glasfaser.progress, akte.progress) == (11, 90)


def test_all_or_nothing_when_a_write_fails_half_way(role_client, measures, monkeypatch):
    glasfaser, akte = measures
    client = role_client("verwaltung")
    response = preview(client, with_progress(export(client), {"M 1.1.1": 11, "M 1.1.2": 22}))
    original = Measure.save

    def failing_save(self, *args, **kwargs):
        if self.pk == akte.pk:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Measure, "save", failing_save)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        confirm_preview(client, URL, response)
    monkeypatch.undo()
    glasfaser.refresh_from_db()
    assert glasfaser.progress == 10
    assert ImportPreview.objects.count() == 1, "the upload is kept for another try"


def test_the_preview_is_kept_on_the_server_and_only_for_its_uploader(
    role_client, make_user, measures
):
    client = role_client("verwaltung")
    response = preview(client, with_progress(export(client), {"M 1.1.2": 22}))
    token = token_of(response)
    stored = ImportPreview.objects.get(token=token)
    assert stored.kind == "strategy.measures" and bytes(stored.content).startswith(b"Handlungsfeld")

    other = Client()
    other.force_login(make_user("verwaltung"))
    assert other.post(URL, {"token": token}).status_code == 403
    assert other.post(URL, {"token": "erfunden"}).status_code == 403
    measures[1].refresh_from_db()
    assert measures[1].progress == 20


def test_a_bad_file_shows_the_error_beside_the_field(role_client, measures):
    client = role_client("verwaltung")
    response = preview(client, b"Handlungsfeld;Ziel\r\nHF 1;Z 1.1\r\n")
    assert response.status_code == 422
    html = response.content.decode()
    field_error = html.split('id="id_file_error"')[1].split("</p>")[0]
    assert "Diese Spalte fehlt." in field_error or "Spalte" in field_error
    assert not ImportPreview.objects.exists()


def test_progress_must_be_a_german_number(role_client, measures):
    client = role_client("verwaltung")
    response = preview(client, with_progress(export(client), {"M 1.1.2": "12.5"}))
    assert response.status_code == 422
    assert "ganze Zahl von 0 bis 100" in response.content.decode()
