"""The right role, the wrong object: what the role × URL table (tests/test_url_permissions.py)
cannot see. Each case is a user allowed the action in general, aimed at something that is not
theirs; the answer is a refusal and nothing changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.models import Comment, Councillor, FactionMembership, Vote
from plauen_digital.reports.models import ReportJob
from schools_wg import services as wg_services
from schools_wg.models import CalendarFeed, Member, Registration

from ..participation.helpers import (
    make_comment,
    make_consultation,
    make_councillor,
    make_faction,
    make_goal,
)
from ..schools_wg import factories as wg


@pytest.fixture
def councillor_client(client, make_user):
    def login():
        user = make_user("stadtrat")
        make_councillor(user, make_faction())
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.mark.django_db
def test_a_councillor_cannot_edit_another_councillors_comment(councillor_client, make_user):
    other = make_user("stadtrat")
    make_councillor(other, make_faction())
    comment = make_comment(make_consultation(), other, text="Original")
    client = councillor_client()
    url = reverse("participation:comment_edit", kwargs={"pk": comment.pk})
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, {"text": "Gefälscht"}, headers=headers)
        assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Original" and comment.edited_at is None


@pytest.mark.django_db
def test_own_comment_cannot_be_edited_after_the_fifteen_minutes(councillor_client):
    client = councillor_client()
    comment = make_comment(
        make_consultation(),
        client.user,
        text="Original",
        created_at=timezone.now() - Comment.EDIT_WINDOW - timedelta(seconds=1),
    )
    url = reverse("participation:comment_edit", kwargs={"pk": comment.pk})
    assert client.post(url, {"text": "Später geändert"}).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Original"


@pytest.mark.django_db
def test_replies_only_to_top_level_comments(councillor_client, make_user):
    other = make_user("stadtrat")
    make_councillor(other, make_faction())
    consultation = make_consultation()
    top = make_comment(consultation, other)
    reply = make_comment(consultation, other, parent=top, text="Antwort")
    client = councillor_client()
    count = Comment.objects.count()
    url = reverse("participation:comment_reply", kwargs={"pk": reply.pk})
    assert client.post(url, {"text": "Antwort auf Antwort"}).status_code == 403
    assert Comment.objects.count() == count


@pytest.mark.django_db
def test_no_vote_on_a_goal_outside_the_consultation(councillor_client):
    consultation = make_consultation()
    foreign_goal = make_goal()
    client = councillor_client()
    url = reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": foreign_goal.pk})
    response = client.post(url, {"choice": "yes"})
    assert response.status_code in (400, 403, 404)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_councillor_whose_membership_ended_cannot_vote_or_comment(councillor_client):
    client = councillor_client()
    FactionMembership.objects.filter(councillor__user=client.user).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    consultation = make_consultation()
    goal = consultation.goals.first()
    kwargs = {"pk": consultation.pk, "goal_pk": goal.pk}
    assert (
        client.post(reverse("participation:vote", kwargs=kwargs), {"choice": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("participation:comment_create", kwargs=kwargs), {"text": "Noch da?"}
        ).status_code
        == 403
    )
    assert not Vote.objects.exists() and not Comment.objects.exists()
    assert Councillor.objects.filter(user=client.user).exists()


@pytest.mark.django_db
def test_a_member_cannot_cancel_another_members_registration(client):
    session = wg.session()
    other = wg.member()
    wg_services.session_join(session_id=session.pk, member=other)
    me = wg.member()
    client.force_login(me.user)
    url = reverse("schools_wg:session_rsvp", kwargs={"pk": session.pk})
    client.post(url, {"action": "leave"})
    assert Registration.objects.filter(session=session, member=other).exists()
    assert not Registration.objects.filter(session=session, member=me).exists()


@pytest.mark.django_db
def test_a_former_member_cannot_join_a_session(client):
    ended = wg.member(ended_on=timezone.localdate() - timedelta(days=1))
    session = wg.session()
    client.force_login(ended.user)
    url = reverse("schools_wg:session_rsvp", kwargs={"pk": session.pk})
    assert client.post(url, {"action": "join"}).status_code == 403
    assert not Registration.objects.filter(session=session).exists()


@pytest.mark.django_db
def test_calendar_settings_show_and_renew_only_ones_own_token(client):
    mine, theirs = wg.member(), wg.member()
    their_feed = CalendarFeed.objects.create(user=theirs.user)
    client.force_login(mine.user)
    url = reverse("schools_wg:calendar")
    page = client.get(url).content.decode()
    assert their_feed.token not in page
    client.post(url, {"action": "regenerate"})
    their_feed.refresh_from_db()
    assert CalendarFeed.objects.get(pk=their_feed.pk).token == their_feed.token
    assert their_feed.token not in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_guessed_calendar_token_finds_nothing(client):
    CalendarFeed.objects.create(user=wg.member().user)
    for token in ("0" * 43, "a", "../kalender", "%00"):
        response = client.get(f"/ag-schule/kalender/{token}.ics")
        assert response.status_code == 404


@pytest.mark.django_db
def test_my_data_export_holds_nobody_elses_data(client, make_user):
    me = make_user("stadtrat", email="ich@example.invalid")
    other = make_user("stadtrat", username="jemand-anderes", email="anderes@example.invalid")
    make_councillor(me, make_faction())
    make_councillor(other, make_faction())
    make_comment(make_consultation(), other, text="Kommentar der anderen Person")
    wg.member(other, Member.Category.FACTION, faction=wg.faction(short="Z"))
    client.force_login(me)
    export = client.get(reverse("accounts:my_data_export")).content.decode()
    assert "ich@example.invalid" in export
    for foreign in ("jemand-anderes", "anderes@example.invalid", "Kommentar der anderen Person"):
        assert foreign not in export


@pytest.mark.django_db
def test_only_a_failed_report_can_be_retried(client, make_user):
    job = ReportJob.objects.create(
        title="Bericht",
        reporting_date=timezone.localdate(),
        state=ReportJob.State.RUNNING,
        progress=40,
    )
    client.force_login(make_user("ratsbuero"))
    client.post(reverse("reports:retry", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert (job.state, job.progress) == (ReportJob.State.RUNNING, 40)
