"""The PDF: what it contains, its accessibility structure and the URL fetcher's refusals."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from plauen_digital.reports import pdf, services
from plauen_digital.reports.models import ReportJob

from .conftest import REPORTING_DATE
from .helpers import job_pdf, pdf_text


@pytest.fixture
def report(small_strategy):
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    services.generate(job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_report_is_generated_with_its_figures_recorded(report):
    assert report.state == ReportJob.State.DONE
    assert report.progress == 100
    content = job_pdf(report)
    assert content.startswith(b"%PDF-")
    assert report.size == len(content)
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.page_count == len(PdfReader(io.BytesIO(content)).pages) >= 6
    assert report.snapshot["figures"]["strategy.measures"]["value"] == 4
    assert report.pdf.name.startswith("private/reports/2026/")


@pytest.mark.django_db
def test_pdf_text_has_cover_toc_summary_and_every_field(report):
    text = pdf_text(job_pdf(report))
    # Cover: municipality, motion, reporting date.
    assert "Musterstadt" in text
    assert "Reg.-Nr. 222-21" in text
    assert "Stand 15.12.2026" in text
    # Table of contents with page numbers, then the chapters.
    assert "Inhaltsverzeichnis" in text
    assert "1 Zusammenfassung ...." in text
    assert "Handlungsfeld HF 1: Digitale Verwaltung" in text
    assert "Handlungsfeld HF 2: Digitale Schule" in text
    assert "Anhang: Änderungen seit dem letzten Bericht" in text
    # Overall progress: mean of the fields (HF 1: mean of 60 and 20; HF 2: mean of 100 and 0).
    assert "45,0" in text
    assert "M 1.2.1" in text and "überfällig" in text
    # Milestones done and due.
    flat = " ".join(text.split())  # table cells wrap
    assert "✓ Ausschreibung veröffentlicht (erledigt am 28.04.2026)" in flat
    assert "○ Pilotbetrieb (fällig 15.01.2027)" in flat
    assert "! Messbericht (überfällig seit 01.11.2026)" in flat
    assert "Seite 2 von" in text


@pytest.mark.django_db
def test_pdf_is_tagged_german_titled_and_has_bookmarks(report):
    reader = PdfReader(io.BytesIO(job_pdf(report)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == report.title
    titles = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert "Inhaltsverzeichnis" in titles
    assert "1 Zusammenfassung" in titles
    assert any(title.endswith("HF 2: Digitale Schule") for title in titles)
    assert b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_data()


def test_fetcher_serves_static_files_from_disk():
    fetcher = pdf.StaticOnlyURLFetcher()
    response = fetcher.fetch(pdf.static_file_uri("reports/print.css"))
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_accepts_data_urls():
    response = pdf.StaticOnlyURLFetcher().fetch("data:text/plain;base64,SGFsbG8=")
    assert response.read() == b"Hallo"


@pytest.mark.parametrize(
    "url", ["https://example.org/logo.png", "http://127.0.0.1:8000/", "ftp://example.org/x"]
)
def test_fetcher_refuses_external_urls(url):
    with pytest.raises(ValueError):
        pdf.StaticOnlyURLFetcher().fetch(url)


@pytest.mark.parametrize(
    "path",
    [
        Path(settings.BASE_DIR) / "manage.py",
        Path("/etc/passwd"),
        Path(settings.BASE_DIR) / "static" / ".." / "pyproject.toml",
    ],
    ids=["project file", "system file", "path traversal"],
)
def test_fetcher_refuses_files_outside_static(path):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyURLFetcher().fetch(
            path.as_uri() if ".." not in str(path) else f"file://{path}"
        )


def test_refused_url_in_a_document_is_left_out_not_fetched(monkeypatch):
    """WeasyPrint asks the fetcher, which refuses: the PDF is made without the resource."""
    asked = []
    original = pdf.StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyURLFetcher, "fetch", spy)
    html = '<html lang="de"><title>T</title><img src="https://example.org/x.png" alt="x"><p>Text</p></html>'
    content = pdf.render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert asked == ["https://example.org/x.png"]
    with pytest.raises(URLFetchingError):
        from weasyprint.urls import fetch

        with fetch(pdf.StaticOnlyURLFetcher(), "file:///etc/passwd"):
            pass
