"""The council office requests a status report, watches it being generated and downloads it."""

import threading

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from plauen_digital.reports import services, tasks
from plauen_digital.reports.models import ReportJob

from .helpers import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued(monkeypatch, settings, tmp_path):
    """Requests are queued but not run: the test plays the worker, so it can watch the page."""
    settings.MEDIA_ROOT = tmp_path / "files"
    job_ids = []
    monkeypatch.setattr(
        tasks.generate_report, "apply_async", lambda args, kwargs: job_ids.append(args[0])
    )
    return job_ids


def test_ratsbuero_requests_watches_and_downloads_a_report(page, live_server, make_user, queued):
    from accounts.models import Municipality

    Municipality.objects.create(name="Musterstadt", motion_reference="Reg.-Nr. 222-21")
    user = make_user("ratsbuero", first_name="Rita", last_name="Rat")
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/berichte/")
    expect(page.get_by_text("Es wurde noch kein Sachstandsbericht erstellt.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Stichtag").fill("2026-12-15")
    page.get_by_role("button", name="Bericht anfordern").click()
    page.wait_for_url("**/berichte/*/")
    state = page.get_by_test_id("report-state")
    expect(state).to_contain_text("wartend")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible(page)

    # The "worker" generates the report while the page polls the status every two seconds.
    (job_id,) = queued
    worker = threading.Thread(target=services.generate, args=(job_id,))
    worker.start()
    expect(state).to_contain_text("fertig", timeout=60_000)
    worker.join()
    job = ReportJob.objects.get(pk=job_id)
    expect(page.get_by_text(job.sha256)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == job.download_name
    reader = PdfReader(download.path())
    assert len(reader.pages) == job.page_count
    assert "Musterstadt" in reader.pages[0].extract_text()

    # The archive lists it with who requested it.
    page.goto(f"{live_server.url}/berichte/")
    row = page.get_by_role("row", name=job.title)
    expect(row).to_contain_text("Rita Rat")
    expect(row).to_contain_text("fertig")
