"""Every status report URL, for anonymous and each role (tests/test_url_permissions.py)."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from plauen_digital.reports.models import ReportJob

from ..url_cases import READERS, UrlCase

REQUESTERS = frozenset({"verwaltung", "ratsbuero"})
DOWNLOADERS = frozenset({"verwaltung", "stadtrat", "ratsbuero"})
URL_TABLE_PDF = "private/reports/url-table/report.pdf"


def make_job(**fields) -> ReportJob:
    fields.setdefault("title", "Sachstandsbericht")
    fields.setdefault("reporting_date", date(2026, 12, 15))
    return ReportJob.objects.create(**fields)


def pending_job(user):
    return {"pk": make_job().pk}


def failed_job(user):
    return {"pk": make_job(state=ReportJob.State.FAILED, error_message="Fehler").pk}


def done_job(user):
    # A fixed name, overwritten on every run: the file lives in the (git-ignored) var/ folder.
    default_storage.delete(URL_TABLE_PDF)
    name = default_storage.save(URL_TABLE_PDF, ContentFile(b"%PDF-1.7\n%%EOF\n"))
    job = make_job(state=ReportJob.State.DONE, progress=100, size=15, page_count=1)
    job.pdf.name = name
    job.save()
    return {"pk": job.pk}


CASES = [
    UrlCase("reports:index", allowed=READERS),
    UrlCase("reports:index", allowed=READERS, htmx=True, label="archive page"),
    UrlCase(
        "reports:request",
        allowed=REQUESTERS,
        method="post",
        data={"reporting_date": "2026-12-15", "title": ""},
        ok=(302,),
    ),
    UrlCase("reports:detail", allowed=READERS, setup=pending_job),
    UrlCase("reports:status", allowed=READERS, setup=pending_job, htmx=True),
    UrlCase(
        "reports:download",
        allowed=DOWNLOADERS,
        setup=done_job,
        # AG Schule reads the archive but never gets the PDF; anonymous users go to the login.
        expect={"ag_schule": 403},
    ),
    UrlCase("reports:retry", allowed=REQUESTERS, method="post", setup=failed_job, ok=(302,)),
    UrlCase("reports:compare", allowed=DOWNLOADERS),
]
