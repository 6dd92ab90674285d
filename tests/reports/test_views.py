"""The report pages: request, polled status, download, retry, archive and comparison."""

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob

from .conftest import REPORTING_DATE
from .helpers import pdf_text


def make_job(**fields):
    fields.setdefault("title", "Sachstandsbericht")
    fields.setdefault("reporting_date", REPORTING_DATE)
    return ReportJob.objects.create(**fields)


@pytest.mark.django_db
def test_request_creates_a_job_enqueues_it_on_commit_and_returns_at_once(
    role_client, small_strategy, django_capture_on_commit_callbacks, monkeypatch
):
    from plauen_digital.reports import tasks

    enqueued = []
    monkeypatch.setattr(
        tasks.generate_report,
        "apply_async",
        lambda args, kwargs: enqueued.append(args[0]),
    )
    client = role_client("ratsbuero")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:request"), {"reporting_date": "2026-12-15", "title": ""}
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[job.pk])
    assert job.state == ReportJob.State.PENDING
    assert job.requested_by == client.user
    assert job.title == "Sachstandsbericht zur Digitalisierungsstrategie"
    assert enqueued == []  # nothing is sent before the job is committed
    message = OutboxMessage.objects.get()  # but its outbox row commits with the job
    assert (message.task, message.args, message.dispatched_at) == (
        "reports.generate_report",
        [job.pk],
        None,
    )
    for callback in callbacks:
        callback()
    assert enqueued == [job.pk]
    message.refresh_from_db()
    assert message.dispatched_at is not None


@pytest.mark.django_db
def test_request_with_bad_date_shows_a_german_error_and_keeps_the_input(role_client):
    response = role_client("verwaltung").post(
        reverse("reports:request"), {"reporting_date": "31.02.2026", "title": "Mein Bericht"}
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Bitte ein gültiges Datum eingeben." in content
    assert 'value="Mein Bericht"' in content
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, message",
    [
        # Outside the range of every date field (core/input_limits.py).
        ("0001-01-01", "Datum zwischen dem 01.01.1990 und dem 31.12.2100"),
        ("1999-12-31", "Der Stichtag darf nicht vor dem Jahr 2000 liegen."),
        ("2099-12-15", "Der Stichtag darf höchstens ein Jahr in der Zukunft liegen."),
    ],
)
def test_request_with_an_implausible_date_is_refused(role_client, value, message):
    response = role_client("ratsbuero").post(reverse("reports:request"), {"reporting_date": value})
    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert f'value="{value}"' in content
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_request_on_the_earliest_date_is_accepted(role_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # no generation here
        response = role_client("verwaltung").post(
            reverse("reports:request"), {"reporting_date": "2000-01-01"}
        )
    assert response.status_code == 302
    assert ReportJob.objects.get().reporting_date.isoformat() == "2000-01-01"


@pytest.mark.django_db
def test_status_fragment_polls_until_done_then_answers_286(role_client):
    client = role_client("ratsbuero")
    job = make_job(state=ReportJob.State.RUNNING, progress=40)
    url = reverse("reports:status", args=[job.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in content
    assert "läuft" in content and 'value="40"' in content
    assert "<html" not in content

    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.DONE, progress=100)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()
    assert "fertig" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_ratsbuero_requests_and_downloads_the_pdf(role_client, small_strategy):
    """Eagerly, without a broker: the request generates the report once the job is committed."""
    client = role_client("ratsbuero")
    response = client.post(reverse("reports:request"), {"reporting_date": "2026-12-15"})
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.DONE
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:download", args=[job.pk]) in page
    assert job.sha256 in page

    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    assert "Musterstadt" in pdf_text(content)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ag_schule", None])
def test_download_is_forbidden_to_ag_schule_and_anonymous(client, make_user, role, small_strategy):
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    services.generate(job.pk)
    if role:
        client.force_login(make_user(role))
    response = client.get(reverse("reports:download", args=[job.pk]))
    if role:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.django_db
def test_ag_schule_sees_the_archive_without_download_or_request(role_client):
    job = make_job(state=ReportJob.State.DONE, page_count=3, size=1000, sha256="a" * 64)
    job.pdf.name = "private/reports/2026/x.pdf"
    job.save()
    content = role_client("ag_schule").get(reverse("reports:detail", args=[job.pk])).content
    assert reverse("reports:download", args=[job.pk]).encode() not in content
    index = role_client("ag_schule").get(reverse("reports:index")).content.decode()
    assert reverse("reports:request") not in index
    assert job.title in index


@pytest.mark.django_db
def test_download_of_an_unfinished_report_is_not_found(role_client):
    job = make_job()
    assert (
        role_client("ratsbuero").get(reverse("reports:download", args=[job.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_failed_job_offers_retry_and_retry_requeues(
    role_client, monkeypatch, django_capture_on_commit_callbacks
):
    from plauen_digital.reports import tasks

    enqueued = []
    monkeypatch.setattr(
        tasks.generate_report, "apply_async", lambda args, kwargs: enqueued.append(args[0])
    )
    client = role_client("verwaltung")
    job = make_job(
        state=ReportJob.State.FAILED, error_message="Der Bericht konnte nicht erstellt werden."
    )
    page = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert "Der Bericht konnte nicht erstellt werden." in page
    assert "Erneut versuchen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ReportJob.State.PENDING and job.error_message == ""
    assert enqueued == [job.pk]


@pytest.mark.django_db
def test_retry_of_a_finished_job_is_refused_with_a_message(role_client):
    job = make_job(state=ReportJob.State.DONE)
    client = role_client("verwaltung")
    response = client.post(reverse("reports:retry", args=[job.pk]), follow=True)
    assert (
        "Nur ein fehlgeschlagener Bericht kann erneut versucht werden." in response.content.decode()
    )
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE


@pytest.mark.django_db
def test_archive_lists_newest_first_with_size_pages_and_checksum(role_client, make_user):
    requester = make_user("ratsbuero", first_name="Rita", last_name="Rat")
    older = make_job(title="Alter Bericht", state="done", size=2048, page_count=7, sha256="b" * 64)
    newer = make_job(title="Neuer Bericht", requested_by=requester)
    content = role_client("stadtrat").get(reverse("reports:index")).content.decode()
    assert content.index(newer.title) < content.index(older.title)
    assert "Rita Rat" in content and "jährlicher Zeitplan" in content
    assert "2,0\xa0KB" in content and ">7<" in content and "b" * 64 in content
    assert "15.12.2026" in content


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 45])
def test_archive_query_count_does_not_grow_with_rows(
    role_client, make_user, rows, django_assert_num_queries
):
    requester = make_user("verwaltung")
    ReportJob.objects.bulk_create(
        [
            ReportJob(title=f"Bericht {n}", reporting_date=REPORTING_DATE, requested_by=requester)
            for n in range(rows)
        ]
    )
    client = role_client("ratsbuero")
    client.get(reverse("reports:index"))  # warm the session
    # session, user, groups (perms and menu, read once), municipality, count, page with
    # requesters, compare choices: the same for one row and for many.
    with django_assert_num_queries(8):
        response = client.get(reverse("reports:index"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_archive_pages_with_htmx(role_client):
    for n in range(25):
        make_job(title=f"Bericht Nummer {n}")
    response = role_client("stadtrat").get(
        reverse("reports:index") + "?page=2", headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert '<section id="archive"' in content and "<html" not in content
    assert "Bericht Nummer 0" in content and "Bericht Nummer 24" not in content


@pytest.mark.django_db
def test_compare_shows_what_changed_between_two_snapshots(role_client):
    older = make_job(
        state="done",
        snapshot={
            "figures": {"strategy.progress": {"label": "Gesamtfortschritt (%)", "value": 30.5}}
        },
    )
    newer = make_job(
        state="done",
        snapshot={
            "figures": {
                "strategy.progress": {"label": "Gesamtfortschritt (%)", "value": 42},
                "strategy.goals": {"label": "Ziele", "value": 3},
            }
        },
    )
    response = role_client("stadtrat").get(
        reverse("reports:compare"), {"older": newer.pk, "newer": older.pk}
    )
    rows = response.context["rows"]
    assert response.context["older"] == older  # put in order whichever way they were chosen
    assert [(r["label"], r["before"], r["after"], r["difference"]) for r in rows] == [
        ("Gesamtfortschritt (%)", 30.5, 42, 11.5),
        ("Ziele", None, 3, None),
    ]
    assert "nicht im Bericht" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_shows_the_latest_report(role_client):
    job = make_job(title="Dezemberbericht", state="done", page_count=12)
    content = role_client("ratsbuero").get(reverse("dashboard")).content.decode()
    assert "Dezemberbericht" in content
    assert reverse("reports:download", args=[job.pk]) in content
    content = role_client("ag_schule").get(reverse("dashboard")).content.decode()
    assert "Dezemberbericht" in content
    assert reverse("reports:download", args=[job.pk]) not in content
