"""E-mail notifications: once per person and event, immediately / digest / none, German texts."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from participation import services, tasks
from participation.models import Notification, NotificationPreference

from .helpers import make_consultation, make_councillor, make_faction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://plauen.example"


@pytest.fixture
def council(make_user):
    faction = make_faction(seats=3)
    people = []
    for n, frequency in enumerate(["immediate", "digest", "none"]):
        user = make_user(
            "stadtrat", first_name=f"Rat{n}", last_name="Test", email=f"r{n}@example.org"
        )
        make_councillor(user, faction)
        if frequency != "digest":  # digest is the default: no row needed
            NotificationPreference.objects.create(user=user, frequency=frequency)
        people.append(user)
    return people


def test_default_preference_is_the_daily_digest(make_user):
    assert NotificationPreference.frequency_for(make_user("stadtrat")) == "digest"


def test_opened_is_recorded_once_even_if_the_schedule_runs_twice(
    council, django_capture_on_commit_callbacks
):
    consultation = make_consultation(title="Haushalt Digitales")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_all_opened.delay()
        tasks.notify_all_opened.delay()
        tasks.notify_opened.delay(consultation.pk)
    assert Notification.objects.count() == 3
    statuses = dict(Notification.objects.values_list("user__email", "status"))
    assert statuses == {
        "r0@example.org": "sent",
        "r1@example.org": "pending",
        "r2@example.org": "skipped",
    }
    # Only the "immediately" person got a mail so far, exactly one, in German, with the link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["r0@example.org"]
    assert message.subject == "Beteiligung eröffnet: Haushalt Digitales"
    assert f"https://plauen.example/beteiligung/{consultation.pk}/" in message.body
    assert "Guten Tag Rat0 Test," in message.body


def test_immediate_send_is_idempotent(council, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_announce(consultation_id=consultation.pk)
    notification = Notification.objects.get(user=council[0])
    assert tasks.send_notification.delay(notification.pk).get() is False  # already sent
    assert len(mail.outbox) == 1


def test_closing_soon_only_to_those_who_have_not_voted(council):
    now = timezone.now()
    consultation = make_consultation(closes_at=now + datetime.timedelta(hours=47))
    far = make_consultation(closes_at=now + datetime.timedelta(hours=49))
    services.vote_cast(
        consultation=consultation,
        goal=consultation.goals.first(),
        councillor=council[1].councillor,
        choice="yes",
    )
    tasks.notify_closing_soon.delay()
    tasks.notify_closing_soon.delay()
    notified = Notification.objects.filter(kind="closing")
    assert set(notified.values_list("user", flat=True)) == {council[0].pk, council[2].pk}
    assert not notified.filter(consultation=far).exists()


def test_reply_notifies_the_author_once(council, make_user, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    goal = consultation.goals.first()
    question = services.comment_post(
        consultation=consultation, goal=goal, author=council[0], text="Eine Frage"
    )
    verwaltung = make_user("verwaltung", first_name="Vera", last_name="Amt")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_post(
            consultation=consultation,
            goal=goal,
            author=verwaltung,
            text="Die Antwort",
            parent=question,
        )
        services.comment_post(
            consultation=consultation,
            goal=goal,
            author=council[0],
            text="Eigene Ergänzung",
            parent=question,
        )
    notification = Notification.objects.get(kind="reply")
    assert (notification.user, notification.comment) == (council[0], reply)
    (message,) = mail.outbox
    assert message.subject.startswith("Antwort auf Ihren Kommentar")
    assert "Vera Amt hat auf Ihren Kommentar" in message.body and "Die Antwort" in message.body
    assert (
        f"https://plauen.example/beteiligung/{consultation.pk}/ziele/{goal.pk}/#comment-{reply.pk}"
        in message.body
    )


def test_digest_groups_pending_notifications_per_person(
    council, make_user, django_capture_on_commit_callbacks
):
    first = make_consultation(title="Erste")
    second = make_consultation(title="Zweite")
    other = make_user("stadtrat", first_name="Dora", last_name="Digest", email="d@example.org")
    make_councillor(other, make_faction())
    with django_capture_on_commit_callbacks(execute=True):  # "immediately" mails go out now
        services.consultation_announce(consultation_id=first.pk)
        services.consultation_announce(consultation_id=second.pk)
        question = services.comment_post(
            consultation=first, goal=first.goals.first(), author=council[1], text="Frage"
        )
        services.comment_post(
            consultation=first,
            goal=first.goals.first(),
            author=other,
            text="Antwort",
            parent=question,
        )
    assert [m.to for m in mail.outbox] == [["r0@example.org"], ["r0@example.org"]]
    mail.outbox.clear()

    assert tasks.send_digests.delay().get() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"r1@example.org", "d@example.org"}
    digest = by_person["r1@example.org"]
    assert digest.subject == "Ratsbeteiligung: 3 neue Benachrichtigungen"
    assert "Beteiligung eröffnet: Erste" in digest.body
    assert "Beteiligung eröffnet: Zweite" in digest.body
    assert "Antwort auf Ihren Kommentar in: Erste" in digest.body
    assert "https://plauen.example/beteiligung/" in digest.body
    # A second run finds nothing pending; the "none" person never gets a mail.
    mail.outbox.clear()
    assert tasks.send_digests.delay().get() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(status="pending").exists()
    assert Notification.objects.filter(user=council[2], status="skipped").count() == 2


def test_preference_page_saves_the_choice(client, make_user):
    user = make_user("stadtrat")
    client.force_login(user)
    page = client.get("/beteiligung/benachrichtigungen/").content.decode()
    assert "tägliche Zusammenfassung" in page
    client.post("/beteiligung/benachrichtigungen/", {"frequency": "none"})
    assert NotificationPreference.frequency_for(user) == "none"


def test_beat_schedule_names_existing_tasks(settings):
    from plauen_digital.celery import app

    names = {
        entry["task"]
        for key, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if key.startswith("participation")
    }
    assert names == {
        "participation.notify_all_opened",
        "participation.notify_closing_soon",
        "participation.send_digests",
    }
    assert names <= set(app.tasks)
