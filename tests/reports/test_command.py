"""`manage.py status_report` writes the same PDF the web page produces."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from plauen_digital.reports.models import ReportJob

from .helpers import pdf_text


@pytest.mark.django_db
def test_command_writes_a_valid_pdf(small_strategy, tmp_path, capsys):
    target = tmp_path / "bericht.pdf"
    call_command("status_report", "--date", "2026-12-15", "--output", str(target))
    content = target.read_bytes()
    reader = PdfReader(target)
    job = ReportJob.objects.get()
    assert content.startswith(b"%PDF-")
    assert len(reader.pages) == job.page_count
    assert hashlib.sha256(content).hexdigest() == job.sha256
    assert "Stand 15.12.2026" in pdf_text(content)
    assert job.sha256 in capsys.readouterr().out


@pytest.mark.django_db
def test_command_refuses_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="JJJJ-MM-TT"):
        call_command("status_report", "--date", "15.12.2026", "--output", str(tmp_path / "x.pdf"))
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_command_fails_loudly_when_the_report_fails(small_strategy, tmp_path, monkeypatch):
    from plauen_digital.reports import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html: 1 / 0)
    with pytest.raises(CommandError, match="fehlgeschlagen"):
        call_command("status_report", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_command_help_and_usage_errors_are_german_and_clean():
    """From the shell: --help works, a bad date is a usage error (status 2), not a traceback."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    help_run = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "status_report", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert help_run.returncode == 0, help_run.stderr
    assert "Erzeugt einen Sachstandsbericht" in help_run.stdout
    bad = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "status_report", "--date", "2026-13-01", "--output", "x"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Ungültiges Datum" in bad.stderr and "Traceback" not in bad.stderr
