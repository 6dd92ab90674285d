"""The goal page's cached parts (participation/discussion.py): fresh after every write through the
app, never another person's actions or CSRF token, and the clock-bound parts decided per request."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation import discussion, services
from participation.models import Comment

from .helpers import make_comment, make_consultation, make_faction, make_goal

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 10, 11, 0, tzinfo=datetime.UTC)


def goal_url(consultation):
    goal = consultation.goals.first()
    return reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def builds(monkeypatch):
    """Counts how often the shared comment page is rendered (not taken from the cache)."""
    calls = []
    build = discussion._shared_page

    def counting(*args):
        calls.append(args[1:])
        return build(*args)

    monkeypatch.setattr(discussion, "_shared_page", counting)
    return calls


def test_writes_through_the_app_show_at_once(councillor_user, make_user, builds):
    faction = make_faction(seats=5, name="Fraktion Gelb")
    author = councillor_user(faction=faction)
    consultation = make_consultation()
    goal = consultation.goals.first()
    comment = make_comment(consultation, author, "Erste Fassung")
    client = logged_in(author)
    url = goal_url(consultation)
    assert "Erste Fassung" in client.get(url).content.decode()
    client.get(url)
    assert len(builds) == 1, "the second view comes from the cache"

    services.comment_edit(comment=comment, text="Zweite Fassung")
    client.post(
        reverse("participation:comment_create", args=[consultation.pk, goal.pk]),
        {"text": "Noch ein Gedanke"},
    )
    client.post(reverse("participation:vote", args=[consultation.pk, goal.pk]), {"choice": "yes"})
    faction.name = "Fraktion Grün"
    faction.save()
    html = client.get(url).content.decode()
    assert "Zweite Fassung" in html and "Erste Fassung" not in html
    assert "Noch ein Gedanke" in html and "2 Kommentare" in html
    assert "Zustimmung 1" in html and "Fraktion Grün" in html

    services.comment_hide(comment=comment, moderator=make_user("verwaltung"), reason="Netiquette")
    html = client.get(url).content.decode()
    assert "Zweite Fassung" not in html and "Ausgeblendet (Moderation): Netiquette" in html


def test_own_actions_and_csrf_tokens_stay_with_their_user(councillor_user, make_user, builds):
    author, other = councillor_user(), councillor_user()
    consultation = make_consultation()
    own = make_comment(consultation, author, "Mein Beitrag")
    reply = make_comment(consultation, author, "Meine Antwort", parent=own)
    foreign = make_comment(consultation, other, "Fremder Beitrag")
    clients = {user: logged_in(user) for user in (author, other)}  # before the first view
    url = goal_url(consultation)
    pages = {user: clients[user].get(url).content.decode() for user in (author, other)}
    assert len(builds) == 1, "both councillors share one rendering"

    mine = pages[author]
    assert reverse("participation:comment_edit", args=[own.pk]) in mine
    assert reverse("participation:comment_withdraw", args=[reply.pk]) in mine
    assert reverse("participation:comment_edit", args=[foreign.pk]) not in mine
    # Reply, edit, withdraw in one actions block, in that order; a reply gets a block of its own.
    own_block = mine.split(f'id="comment-{own.pk}"')[1].split('<div id="slot-')[0]
    assert own_block.count('class="comment__actions"') == 1
    assert own_block.index("Antworten") < own_block.index("Bearbeiten")
    assert own_block.index("Bearbeiten") < own_block.index("Zurückziehen")
    reply_block = mine.split(f'id="comment-{reply.pk}"')[1].split('<div id="slot-')[0]
    assert reply_block.count('class="comment__actions"') == 1 and "Antworten" not in reply_block

    theirs = pages[other]
    assert reverse("participation:comment_edit", args=[own.pk]) not in theirs
    assert reverse("participation:comment_withdraw", args=[reply.pk]) not in theirs
    assert reverse("participation:comment_edit", args=[foreign.pk]) in theirs
    assert reverse("participation:comment_reply", args=[own.pk]) in theirs
    for html in pages.values():
        assert "<!--own" not in html and discussion.CSRF_SLOT not in html


def test_the_csrf_token_in_a_cached_fragment_is_the_readers_own(councillor_user):
    author = councillor_user()
    consultation = make_consultation()
    comment = make_comment(consultation, author, "Zurückzuziehen")
    logged_in(councillor_user()).get(goal_url(consultation))  # someone else fills the cache
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    html = client.get(goal_url(consultation)).content.decode()
    withdraw = reverse("participation:comment_withdraw", args=[comment.pk])
    form = html.split(f'action="{withdraw}"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    response = client.post(withdraw, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.withdrawn_at is not None


def test_roles_do_not_share_moderation(councillor_user, make_user, builds):
    consultation = make_consultation()
    comment = make_comment(consultation, councillor_user(), "Grenzwertig")
    moderator = make_user("verwaltung")
    services.comment_hide(comment=comment, moderator=moderator, reason="Prüfung")
    clients = {user: logged_in(user) for user in (moderator, make_user("ratsbuero"))}
    url = goal_url(consultation)
    moderated, read = (client.get(url).content.decode() for client in clients.values())
    assert len(builds) == 2, "one rendering per viewer class"
    assert "Grenzwertig" in moderated and "Wieder einblenden" in moderated
    assert "Grenzwertig" not in read and "Wieder einblenden" not in read
    assert reverse("participation:comment_restore", args=[comment.pk]) not in read


def test_edit_link_ends_after_fifteen_minutes_with_a_warm_cache(councillor_user, builds):
    with time_machine.travel(NOON, tick=False):
        author = councillor_user()
        consultation = make_consultation()
        comment = make_comment(consultation, author, "Frisch")
        client = logged_in(author)
        edit = reverse("participation:comment_edit", args=[comment.pk])
        assert edit in client.get(goal_url(consultation)).content.decode()
    with time_machine.travel(NOON + Comment.EDIT_WINDOW, tick=False):
        html = client.get(goal_url(consultation)).content.decode()
    assert len(builds) == 1
    assert edit not in html
    assert reverse("participation:comment_withdraw", args=[comment.pk]) in html


def test_closing_time_ends_replies_without_a_write(councillor_user):
    with time_machine.travel(NOON, tick=False):
        consultation = make_consultation(closes_at=timezone.now() + datetime.timedelta(hours=1))
        comment = make_comment(consultation, councillor_user(), "Kurz vor Schluss")
        client = logged_in(councillor_user())
        reply = reverse("participation:comment_reply", args=[comment.pk])
        assert reply in client.get(goal_url(consultation)).content.decode()
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        html = client.get(goal_url(consultation)).content.decode()
    assert reply not in html
    assert "Kommentare und Stimmen sind nicht mehr möglich" in html


def test_load_more_is_personal_too(councillor_user):
    author = councillor_user()
    consultation = make_consultation()
    start = timezone.now() - datetime.timedelta(minutes=10)
    comments = [
        make_comment(
            consultation, author, f"Beitrag {n}", created_at=start + datetime.timedelta(seconds=n)
        )
        for n in range(25)
    ]
    url = goal_url(consultation) + "?seite=2"
    htmx = {"HX-Request": "true"}
    other = logged_in(councillor_user())
    client = logged_in(author)
    assert "Bearbeiten" not in other.get(url, headers=htmx).content.decode()
    mine = client.get(url, headers=htmx).content.decode()
    assert reverse("participation:comment_edit", args=[comments[0].pk]) in mine


def test_editing_the_consultation_shows_at_once(councillor_user, make_user):
    with time_machine.travel(NOON, tick=False):
        first, second, third = make_goal(), make_goal(), make_goal()
        consultation = make_consultation([first, second])
        reader = logged_in(councillor_user())
        editor = logged_in(make_user("verwaltung"))
        url = goal_url(consultation)  # the first goal
        html = reader.get(url).content.decode()
        assert second.title in html and third.title not in html
        assert "nur je Fraktion" in html
        data = {
            "title": consultation.title,
            "introduction": consultation.introduction,
            "goals": [first.pk, third.pk],
            "opens_at": "2026-03-09T09:00",
            "closes_at": "2026-03-20T18:00",
            "named_results": "on",
            "edited_version": consultation.version,
        }
        edit = reverse("participation:consultation_edit", args=[consultation.pk])
        assert editor.post(edit, data).status_code == 302
        html = reader.get(url).content.decode()
        assert third.title in html and second.title not in html
        assert "Namentliche Stimmen" in html and "nur je Fraktion" not in html
        dropped = reverse("participation:goal", args=[consultation.pk, second.pk])
        assert reader.get(dropped).status_code == 404


def test_own_vote_and_seat_follow_writes(councillor_user, make_user):
    user = councillor_user()
    consultation = make_consultation()
    goal = consultation.goals.first()
    client = logged_in(user)
    url = goal_url(consultation)
    vote = reverse("participation:vote", args=[consultation.pk, goal.pk])
    assert "Sie haben zu diesem Ziel noch nicht abgestimmt" in client.get(url).content.decode()
    client.post(vote, {"choice": "no"})
    assert "Ihre Stimme: Ablehnung" in client.get(url).content.decode()
    client.post(vote, {"choice": "withdraw"})
    html = client.get(url).content.decode()
    assert "Ihre Stimme: " not in html and f'action="{vote}"' in html

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.councillor_end_membership(councillor=user.councillor, valid_until=yesterday)
    html = client.get(url).content.decode()
    assert f'action="{vote}"' not in html and "Kommentar veröffentlichen" not in html
