"""The chapter "Vorgehen und Beteiligung": phases, committee dates, the Verwaltung's text
(request form, preview, saved with the job), permissions and the page of phases and dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from plauen_digital.reports import data, services
from plauen_digital.reports.markup import blocks
from plauen_digital.reports.models import CommitteeDate, ProcessPhase, ReportJob

from .helpers import job_pdf, pdf_text

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
TEXT = "Die Verwaltung lädt ein.\n\n- Workshop <b>im</b> Rathaus\n- Fragen per Mail"


def at(*args):
    return datetime(*args, tzinfo=BERLIN)


def make_phase(title="Bestandsaufnahme", starts_on=date(2026, 4, 1), ends_on=date(2026, 9, 30)):
    return ProcessPhase.objects.create(title=title, starts_on=starts_on, ends_on=ends_on)


def test_markup_knows_paragraphs_and_lists_and_nothing_else():
    assert blocks("Eins\nzwei\n\n- a\n  weiter\n* b\nDrei\x07") == [
        {"kind": "p", "text": "Eins zwei"},
        {"kind": "ul", "items": ["a weiter", "b"]},
        {"kind": "p", "text": "Drei"},
    ]
    assert blocks("") == []


def test_the_chapter_is_generated_text_with_the_verwaltungs_notes(small_strategy, make_user):
    from strategy.models import OrgUnit

    unit = OrgUnit.objects.create(name="Hauptamt")
    ProcessPhase.objects.create(
        title="Auftrag", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31), responsible=unit
    )
    make_phase("Ziele und Beteiligung", date(2026, 9, 1), date(2026, 12, 31))
    make_phase("Beschluss", date(2027, 1, 1), date(2027, 4, 30))
    CommitteeDate.objects.create(
        body="Stadtrat",
        meets_at=at(2027, 4, 28, 17),
        subject="Beschluss der Digitalisierungsstrategie",
        purpose="decision",
    )
    user = make_user("verwaltung")
    job = services.report_request(
        requested_by=user,
        reporting_date=date(2026, 12, 15),
        coordination="Koordinator Digitalisierung",
        approach_text=TEXT,
        enqueue=False,
    )
    services.generate(job.pk)
    job.refresh_from_db()
    text = " ".join(pdf_text(job_pdf(job)).split())
    assert "2 Vorgehen und Beteiligung" in text
    assert "Die Digitalisierungsstrategie wird in 3 Phasen erarbeitet, vom 01.01.2026" in text
    assert "Am 15.12.2026 läuft die Phase „Ziele und Beteiligung“" in text
    assert "Verantwortlich: Hauptamt." in text
    assert "Die Gesamtkoordination der Strategie liegt bei: Koordinator Digitalisierung." in text
    assert "Die nächste Entscheidung steht im Gremium Stadtrat am 28.04.2027, 17:00 Uhr an" in text
    assert "Workshop <b>im</b> Rathaus" in text  # printed as typed, never as markup
    # The fields of action follow as chapter 3.
    assert "3 Handlungsfeld HF 1" in text


def test_the_chapter_states_the_phases_and_dates_of_the_reporting_date(time_machine, db):
    time_machine.move_to(at(2026, 3, 1, 9), tick=False)
    phase = make_phase()
    time_machine.move_to(at(2026, 5, 1, 9), tick=False)
    phase.title = "Bestandsaufnahme (verlängert)"
    phase.save()
    time_machine.move_to(at(2026, 6, 1, 9), tick=False)
    phase.delete()

    def approach(day):
        return data.build_approach(data.ReportContext(title="x", reporting_date=day))

    assert [p["title"] for p in approach(date(2026, 4, 1))["phases"]] == ["Bestandsaufnahme"]
    assert approach(date(2026, 4, 1))["phases"][0]["state"] == "running"
    assert [p["title"] for p in approach(date(2026, 5, 2))["phases"]] == [
        "Bestandsaufnahme (verlängert)"
    ]
    assert approach(date(2026, 6, 2))["phases"] == []


def test_verwaltung_writes_the_text_with_the_request_prefilled_from_the_last_report(
    role_client, django_capture_on_commit_callbacks
):
    ReportJob.objects.create(
        title="Vorheriger", reporting_date=date(2025, 12, 15), approach_text="Alter Text"
    )
    client = role_client("verwaltung")
    page = client.get(reverse("reports:index")).content.decode()
    assert "Alter Text" in page and "Vorschau des Kapitels" in page
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("reports:request"),
            {
                "reporting_date": "2026-12-15",
                "title": "",
                "coordination": "Hauptamt",
                "approach_text": TEXT,
            },
        )
    assert response.status_code == 302
    job = ReportJob.objects.newest_first().first()
    assert (job.coordination, job.approach_text) == ("Hauptamt", TEXT)


def test_ratsbuero_requests_but_does_not_write_the_chapter(
    role_client, django_capture_on_commit_callbacks
):
    ReportJob.objects.create(
        title="Vorheriger", reporting_date=date(2025, 12, 15), approach_text="Text der Verwaltung"
    )
    client = role_client("ratsbuero")
    page = client.get(reverse("reports:index")).content.decode()
    assert 'name="approach_text"' not in page and "Vorschau des Kapitels" not in page
    with django_capture_on_commit_callbacks():
        client.post(
            reverse("reports:request"),
            {"reporting_date": "2026-12-15", "title": "", "approach_text": "Eigener Text"},
        )
    assert ReportJob.objects.newest_first().first().approach_text == "Text der Verwaltung"


def test_preview_renders_the_chapter_with_the_typed_text_escaped(role_client):
    make_phase()
    response = role_client("verwaltung").post(
        reverse("reports:preview"),
        {"reporting_date": "2026-12-15", "title": "", "coordination": "", "approach_text": TEXT},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="approach-preview"' in content
    assert "Vorschau des Kapitels, wie es in einem Bericht mit Stand 15.12.2026" in content
    assert "<li>Workshop &lt;b&gt;im&lt;/b&gt; Rathaus</li>" in content
    assert "Bestandsaufnahme" in content and "2.5 Erläuterungen der Verwaltung" in content


def test_preview_with_a_bad_date_names_the_error_in_german(role_client):
    response = role_client("verwaltung").post(
        reverse("reports:preview"),
        {"reporting_date": "kein Datum", "approach_text": ""},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "Stichtag: Bitte ein gültiges Datum eingeben." in content


@pytest.mark.parametrize("role", ["stadtrat", "ratsbuero", "ag_schule"])
def test_only_verwaltung_previews_and_edits(role_client, role):
    client = role_client(role)
    assert (
        client.post(reverse("reports:preview"), {"reporting_date": "2026-12-15"}).status_code == 403
    )
    assert client.get(reverse("reports:phase_create")).status_code == 403
    page = client.get(reverse("reports:approach")).content.decode()
    assert reverse("reports:phase_create") not in page


def test_a_phase_ending_before_it_starts_is_refused_beside_the_field(role_client):
    response = role_client("verwaltung").post(
        reverse("reports:phase_create"),
        {"title": "Umgekehrt", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "Das Ende darf nicht vor dem Beginn liegen." in content
    assert 'value="Umgekehrt"' in content
    assert not ProcessPhase.objects.exists()


def test_phases_and_dates_are_edited_with_history(role_client):
    client = role_client("verwaltung")
    response = client.post(
        reverse("reports:committee_date_create"),
        {
            "body": "Stadtrat",
            "meets_at": "2026-12-15T17:00",
            "subject": "Bericht",
            "purpose": "information",
        },
    )
    assert response.status_code == 302
    meeting = CommitteeDate.objects.get()
    assert meeting.meets_at == at(2026, 12, 15, 17)
    client.post(
        reverse("reports:committee_date_edit", args=[meeting.pk]),
        {
            "body": "Stadtrat",
            "meets_at": "2026-12-15T18:00",
            "subject": "Bericht",
            "purpose": "information",
            "edited_version": 1,
        },
    )
    meeting.refresh_from_db()
    assert meeting.meets_at == at(2026, 12, 15, 18) and meeting.version == 2
    assert meeting.history.count() == 2
    # A second edit from the old version is a conflict, not a silent overwrite.
    response = client.post(
        reverse("reports:committee_date_edit", args=[meeting.pk]),
        {
            "body": "Stadtrat",
            "meets_at": "2026-12-15T19:00",
            "subject": "Bericht",
            "purpose": "information",
            "edited_version": 1,
        },
    )
    assert response.status_code == 409 and "Bearbeitungskonflikt" in response.content.decode()
    client.post(reverse("reports:committee_date_delete", args=[meeting.pk]))
    assert not CommitteeDate.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_page_of_phases_and_dates_runs_a_fixed_number_of_queries(
    role_client, rows, django_assert_num_queries
):
    from strategy.models import OrgUnit

    unit = OrgUnit.objects.create(name="Hauptamt")
    for n in range(rows):
        ProcessPhase.objects.create(
            title=f"Phase {n}",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
            responsible=unit,
        )
        CommitteeDate.objects.create(
            body="Stadtrat", meets_at=at(2026, 12, 15, 17), subject=f"T {n}"
        )
    client = role_client("verwaltung")
    client.get(reverse("reports:approach"))
    # session, user, groups, municipality; phases with their units; committee dates
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:approach"))
    assert response.content.decode().count("Phase ") >= rows


def test_the_demo_has_phases_and_committee_dates_and_a_second_run_changes_nothing(db):
    from plauen_digital.reports import demo

    demo.seed()
    history = ProcessPhase.history.count() + CommitteeDate.history.count()
    demo.seed()
    assert ProcessPhase.history.count() + CommitteeDate.history.count() == history
    assert ProcessPhase.objects.count() == 5
    assert CommitteeDate.objects.filter(purpose="decision").exists()
