"""Every status report URL, for anonymous and each role (tests/test_url_permissions.py)."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from plauen_digital.reports.models import CommitteeDate, ProcessPhase, ReportJob

from ..url_cases import READERS, UrlCase

REQUESTERS = frozenset({"verwaltung", "ratsbuero"})
EDITORS = frozenset({"verwaltung"})
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


def phase(user):
    return {
        "pk": ProcessPhase.objects.create(
            title="Bestandsaufnahme", starts_on=date(2026, 4, 1), ends_on=date(2026, 9, 30)
        ).pk
    }


def committee_date(user):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    meets_at = datetime(2026, 12, 15, 17, tzinfo=ZoneInfo("Europe/Berlin"))
    return {
        "pk": CommitteeDate.objects.create(body="Stadtrat", meets_at=meets_at, subject="Bericht").pk
    }


PHASE_DATA = {"title": "Phase", "starts_on": "2026-01-01", "ends_on": "2026-03-31"}
DATE_DATA = {
    "body": "Stadtrat",
    "meets_at": "2026-12-15T17:00",
    "subject": "Bericht",
    "purpose": "decision",
}


def edit_data(data):
    """The form data of an edit: the object's current version comes with it."""
    return lambda user: {**data, "edited_version": 1}


CASES = [
    UrlCase(
        "reports:preview",
        allowed=EDITORS,
        method="post",
        htmx=True,
        data={"reporting_date": "2026-12-15", "title": "", "coordination": "", "approach_text": ""},
    ),
    UrlCase("reports:approach", allowed=READERS),
    UrlCase("reports:phase_create", allowed=EDITORS),
    UrlCase("reports:phase_create", allowed=EDITORS, method="post", data=PHASE_DATA, ok=(302,)),
    UrlCase("reports:phase_edit", allowed=EDITORS, setup=phase),
    UrlCase(
        "reports:phase_edit",
        allowed=EDITORS,
        method="post",
        setup=phase,
        data=edit_data(PHASE_DATA),
        ok=(302,),
    ),
    UrlCase("reports:phase_delete", allowed=EDITORS, setup=phase),
    UrlCase("reports:phase_delete", allowed=EDITORS, method="post", setup=phase, ok=(302,)),
    UrlCase("reports:committee_date_create", allowed=EDITORS),
    UrlCase(
        "reports:committee_date_create",
        allowed=EDITORS,
        method="post",
        data=DATE_DATA,
        ok=(302,),
    ),
    UrlCase("reports:committee_date_edit", allowed=EDITORS, setup=committee_date),
    UrlCase(
        "reports:committee_date_edit",
        allowed=EDITORS,
        method="post",
        setup=committee_date,
        data=edit_data(DATE_DATA),
        ok=(302,),
    ),
    UrlCase("reports:committee_date_delete", allowed=EDITORS, setup=committee_date),
    UrlCase(
        "reports:committee_date_delete",
        allowed=EDITORS,
        method="post",
        setup=committee_date,
        ok=(302,),
    ),
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
