"""Every report page runs an exact number of queries, the same for 10 and for 200 rows."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from plauen_digital.reports.models import CommitteeDate, ProcessPhase, ReportJob
from strategy.models import OrgUnit

from .conftest import REPORTING_DATE

pytestmark = pytest.mark.django_db

# Every page of the shell: session, user, the user's role groups (read once for the rules and
# the header), municipality name.
SHELL = 4
# The archive: count and page of jobs (with the requesters), the compare form's two choice lists.
ARCHIVE = 2
COMPARE_CHOICES = 2
PREVIOUS_TEXTS = 1  # the chapter texts of the newest report, to start the request form from
JOB = 1
PHASES = 1  # with their responsible units
DATES = 1
UNITS = 1  # the choices of "responsible unit"
PHASE = DATE = 1  # the object edited or deleted
# The chapter "Vorgehen und Beteiligung" as of the reporting date (reports/asof.py): for each of
# the 11 audited models it reads (phases, dates, units, fields, goals, measures, milestones,
# sessions, consultations, comments, votes) the rows and two history lookups, plus the working
# group's members and the previous report's texts.
PREVIEW = 11 * 3 + 2


def berlin(*args):
    return datetime(*args, tzinfo=ZoneInfo("Europe/Berlin"))


def rows(n, make_user):
    """n jobs (done with snapshot and PDF, failed, pending, by a person or the schedule), n
    org units, n phases and n committee dates."""
    requester = make_user("verwaltung", first_name="Rita", last_name="Rat")

    def snapshot(value):
        return {"figures": {"strategy.progress": {"label": "Gesamtfortschritt", "value": value}}}

    jobs = ReportJob.objects.bulk_create(
        ReportJob(
            title=f"Bericht {i}",
            reporting_date=REPORTING_DATE,
            requested_by=requester if i % 2 else None,
            state=("done", "failed", "pending")[i % 3],
            error_message="Fehler" if i % 3 == 1 else "",
            snapshot=snapshot(i) if i % 3 == 0 else {},
            coordination="Hauptamt",
        )
        for i in range(n)
    )
    done = jobs[0]
    done.pdf.save("bericht.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    units = OrgUnit.objects.bulk_create(OrgUnit(name=f"Amt {i}") for i in range(n))
    ProcessPhase.objects.bulk_create(
        ProcessPhase(
            title=f"Phase {i}",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
            responsible=units[i],
        )
        for i in range(n)
    )
    CommitteeDate.objects.bulk_create(
        CommitteeDate(body="Stadtrat", meets_at=berlin(2026, 12, 15, 17), subject=f"T {i}")
        for i in range(n)
    )
    return jobs


@pytest.fixture
def get(django_assert_num_queries):
    """get(client, queries, url, ...): the response of a warm GET that ran exactly `queries`."""

    def fetch(client, queries, url, **kwargs):
        client.get(url, **kwargs)  # warm the session
        with django_assert_num_queries(queries):
            return client.get(url, **kwargs)

    return fetch


@pytest.fixture
def verwaltung(role_client):
    return role_client("verwaltung")


@pytest.mark.parametrize("n", [10, 200])
def test_archive(role_client, make_user, n, get):
    rows(n, make_user)
    client = role_client("ratsbuero")
    response = get(client, SHELL + ARCHIVE + COMPARE_CHOICES, reverse("reports:index"))
    assert len(re.findall(r'href="/berichte/\d+/"', response.content.decode())) == min(n, 20)
    # The Verwaltung's request form starts from the previous report's chapter texts.
    get(
        role_client("verwaltung"),
        SHELL + ARCHIVE + COMPARE_CHOICES + PREVIOUS_TEXTS,
        reverse("reports:index"),
    )
    # htmx (the pager): the archive alone, without the compare form.
    response = get(
        client, SHELL - 1 + ARCHIVE, reverse("reports:index"), headers={"HX-Request": "true"}
    )
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_job_page_and_its_status(role_client, make_user, n, get):
    jobs = rows(n, make_user)
    client = role_client("stadtrat")
    for job in jobs[:3]:
        get(client, SHELL + JOB, reverse("reports:detail", args=[job.pk]))
        response = get(
            client,
            SHELL - 1 + JOB,
            reverse("reports:status", args=[job.pk]),
            headers={"HX-Request": "true"},
        )
        assert response.status_code == (286 if job.is_finished else 200)


@pytest.mark.parametrize("n", [10, 200])
def test_download(role_client, make_user, n, get):
    job = rows(n, make_user)[0]
    response = get(role_client("stadtrat"), 3 + JOB, reverse("reports:download", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("n", [10, 200])
def test_compare(role_client, make_user, n, get):
    jobs = rows(n, make_user)
    client = role_client("stadtrat")
    get(client, SHELL + COMPARE_CHOICES, reverse("reports:compare"))
    query = {"older": jobs[0].pk, "newer": jobs[3].pk}
    # Each chosen job is looked up among the finished ones, then both choice lists are drawn.
    response = get(client, SHELL + 2 + COMPARE_CHOICES, reverse("reports:compare"), data=query)
    assert "Gesamtfortschritt" in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_approach_page(verwaltung, make_user, n, get):
    rows(n, make_user)
    response = get(verwaltung, SHELL + PHASES + DATES, reverse("reports:approach"))
    assert response.content.decode().count("Phase ") >= n


@pytest.mark.parametrize("n", [10, 200])
def test_approach_forms(verwaltung, make_user, n, get):
    rows(n, make_user)
    phase, meeting = ProcessPhase.objects.first(), CommitteeDate.objects.first()
    response = get(verwaltung, SHELL + UNITS, reverse("reports:phase_create"))
    assert response.content.decode().count(">Amt ") == n
    get(verwaltung, SHELL + PHASE + UNITS, reverse("reports:phase_edit", args=[phase.pk]))
    get(verwaltung, SHELL + PHASE, reverse("reports:phase_delete", args=[phase.pk]))
    get(verwaltung, SHELL, reverse("reports:committee_date_create"))
    get(verwaltung, SHELL + DATE, reverse("reports:committee_date_edit", args=[meeting.pk]))
    get(verwaltung, SHELL + DATE, reverse("reports:committee_date_delete", args=[meeting.pk]))


@pytest.mark.parametrize("n", [10, 200])
def test_invalid_request_and_preview(verwaltung, make_user, n, django_assert_num_queries):
    rows(n, make_user)
    verwaltung.get(reverse("reports:index"))  # warm the session
    # The archive again with the form's errors (422): its page, choices and previous texts.
    with django_assert_num_queries(SHELL + ARCHIVE + COMPARE_CHOICES + PREVIOUS_TEXTS):
        response = verwaltung.post(reverse("reports:request"), {"reporting_date": "1999-01-01"})
    assert response.status_code == 422
    form = {"reporting_date": "2026-12-15", "title": "", "coordination": "", "approach_text": ""}
    with django_assert_num_queries(SHELL + PREVIEW):
        response = verwaltung.post(reverse("reports:preview"), form, headers={"HX-Request": "true"})
    assert response.content.decode().count("Phase ") >= n
