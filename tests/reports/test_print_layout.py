"""The printed report as the council office sees it, checked from the PDF file: no glyph prints
over another, wide tables on landscape pages, both charts with their bars; and the structure
tree a screen reader uses (IDTree, Scope on header cells, figures whose Alt states the numbers).
"""

import importlib.util
import io
import os
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from django.conf import settings
from django.core.management import call_command

from plauen_digital.reports import pdf, services

from ..finance import factories as finance_factories
from .conftest import REPORTING_DATE
from .helpers import job_pdf
from .overprint import overprints, page_texts

CHART_BLUE = (0.043, 0.231, 0.549)  # #0b3b8c, the progress and cost bars


def report_pdf(reporting_date=REPORTING_DATE) -> bytes:
    job = services.report_request(reporting_date=reporting_date, enqueue=False)
    services.generate(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error_message
    return job_pdf(job)


def struct_elements(document):
    return list(pdf._struct_elements(document.Root.StructTreeRoot))


def bars_on(page) -> int:
    return sum(
        1
        for rect in page.rects
        if rect.get("non_stroking_color")
        and all(
            abs(a - b) < 0.01 for a, b in zip(rect["non_stroking_color"], CHART_BLUE, strict=False)
        )
        and rect["height"] > 2
    )


def check_structure(content: bytes) -> dict:
    """The PDF/UA parts this project adds or keeps, read back with pikepdf."""
    with pikepdf.open(io.BytesIO(content)) as document:
        assert str(document.Root.Lang) == "de"
        assert document.Root.MarkInfo.Marked
        assert b"pdfuaid" in document.Root.Metadata.read_bytes()
        root = document.Root.StructTreeRoot
        ids = {str(key): value for key, value in pikepdf.NameTree(root.IDTree).items()}
        elements = struct_elements(document)
        headers = [e for e in elements if e.S == "/TH"]
        cells = [e for e in elements if e.S == "/TD"]
        assert headers and cells
        # Every ID of the tree names its element, and every element with an ID is in the tree.
        with_id = {str(e.ID): e for e in elements if "/ID" in e}
        assert set(ids) == set(with_id)
        assert all(ids[key].objgen == element.objgen for key, element in with_id.items())
        # Every data cell's /Headers resolve through the IDTree.
        for cell in cells:
            for header_id in cell.A.get("/Headers", []):
                assert ids[str(header_id)].S == "/TH"
        scopes = {}
        for header in headers:
            assert header.A.O == "/Table"
            group = header.P.P.S
            scopes.setdefault(str(header.A.Scope), set()).add(str(group))
        assert scopes["/Column"] == {"/THead"}
        assert "/THead" not in scopes["/Row"]
        figures = [str(e.Alt) for e in elements if e.S == "/Figure"]
        return {"figures": figures, "headers": len(headers)}


@pytest.mark.django_db
def test_structure_tree_has_idtree_scopes_and_figures_that_state_the_numbers(small_strategy):
    from finance.selectors import plan_for
    from strategy.models import Measure

    finance_factories.example_in_db(measure=Measure.objects.get(code="M 1.1.1"))
    found = check_structure(report_pdf())
    progress, funding = sorted(found["figures"], key=lambda alt: "Kosten" in alt)
    # HF 1: mean of 60 and 20; HF 2: mean of 100 and 0 (the fixture).
    assert progress.startswith("Fortschritt nach Handlungsfeld in Prozent: ")
    assert "HF 1: 40,0 %" in progress and "HF 2: 50,0 %" in progress
    assert funding.startswith("Kosten, Fördermittel und Finanzierungslücke je Jahr in Euro: ")
    for row in plan_for().rows:
        assert f"{row.year}: Kosten {row.cost:,} €".replace(",", ".") in funding


def test_structure_completion_keeps_an_untagged_pdf_as_it_is():
    from weasyprint import HTML

    plain = HTML(string="<p>Text</p>").write_pdf()
    assert pdf.complete_structure(plain) == plain


@pytest.mark.django_db
def test_demo_report_has_no_overprint_its_charts_show_bars_and_wide_tables_lie(settings):
    """On the demo data: no glyph overprints another on any page; the funding chapter (12 year
    columns) is on landscape pages; both charts draw their bars."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    content = report_pdf(reporting_date=REPORTING_DATE)
    assert overprints(content) == []
    texts = page_texts(content)  # PDFium: fast; pdfplumber only for the pages it inspects
    summary_at = next(n for n, text in enumerate(texts) if "1 Zusammenfassung\n" in text)
    # The chapter heading ("9 Finanzierungsplan"), not a table cell that mentions the plan.
    heading = re.compile(r"^\d+ Finanzierungsplan$", re.MULTILINE)
    funding_at = next(n for n, text in enumerate(texts) if heading.search(text))
    grants_at = [n for n, text in enumerate(texts) if "Fördermittel nach Förderprogramm" in text]
    with pdfplumber.open(io.BytesIO(content)) as document:
        summary, funding = document.pages[summary_at], document.pages[funding_at]
        assert bars_on(summary) >= 6  # one per field of action
        assert bars_on(funding) >= 12  # the cost bar of every year
        assert summary.width < summary.height
        assert funding.width > funding.height
        grants = [document.pages[n] for n in grants_at]
        assert grants and all(page.width > page.height for page in grants)
    check_structure(content)


def test_the_overprint_check_finds_glyphs_drawn_over_each_other_and_passes_ligatures():
    from weasyprint import HTML

    overlapping = HTML(
        string='<p style="position:absolute;top:10px;left:10px">Haushalt</p>'
        '<p style="position:absolute;top:14px;left:14px">Förderung</p>'
    ).write_pdf()
    found = overprints(overlapping)
    assert found and found[0].startswith("page 1: 'H'")
    clean = HTML(string="<p>Flächendeckend offiziell qualifiziert finanziert</p>").write_pdf()
    assert overprints(clean) == []


def _large_strategy():
    path = Path(settings.BASE_DIR) / "bench" / "bench_report.py"
    spec = importlib.util.spec_from_file_location("bench_report", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.large_strategy()


@pytest.mark.slow
@pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("RUN_SLOW")),
    reason="about a minute: runs in CI (CI=true) or with RUN_SLOW=1",
)
@pytest.mark.django_db
def test_large_synthetic_strategy_report_has_no_overprint(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    _large_strategy()  # 12 more fields, 120 goals, 1 200 measures (bench/bench_report.py)
    content = report_pdf()
    assert overprints(content) == []
    check_structure(content)
