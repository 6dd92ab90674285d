"""Comments: escaping, line breaks, links, replies, edit window, withdrawal, moderation, htmx,
pagination and constant query counts."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participation import services
from participation.models import Comment, ModerationLog

from .helpers import make_comment, make_consultation

pytestmark = pytest.mark.django_db


def goal_url(consultation):
    goal = consultation.goals.first()
    return reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})


def create_url(consultation):
    goal = consultation.goals.first()
    return reverse(
        "participation:comment_create", kwargs={"pk": consultation.pk, "goal_pk": goal.pk}
    )


@pytest.mark.parametrize(
    ("payload", "must_not_contain", "must_contain"),
    [
        ("<script>alert('x')</script>", "<script>alert", "&lt;script&gt;alert(&#x27;x&#x27;)"),
        ('<img src=x onerror="alert(1)">', "<img src=x", "&lt;img src=x onerror=&quot;"),
        ("<b>fett</b> & <a href='javascript:alert(1)'>klick</a>", "<b>fett", "&lt;b&gt;fett"),
        ('"><svg onload=alert(1)>', "<svg onload", "&quot;&gt;&lt;svg onload=alert(1)&gt;"),
    ],
)
def test_comment_text_is_escaped(client, councillor_user, payload, must_not_contain, must_contain):
    client.force_login(councillor_user())
    consultation = make_consultation()
    client.post(create_url(consultation), {"text": payload})
    html = client.get(goal_url(consultation)).content.decode()
    assert must_not_contain not in html
    assert must_contain in html
    assert "javascript:" not in html.split('data-testid="comment-text"')[1].split("href=")[0] or (
        'href="javascript' not in html
    )


def test_line_breaks_and_links(client, councillor_user):
    client.force_login(councillor_user())
    consultation = make_consultation()
    text = "Erste Zeile\nZweite Zeile\n\nQuelle: https://www.plauen.de/digital?x=1&y=2"
    client.post(create_url(consultation), {"text": text})
    html = client.get(goal_url(consultation)).content.decode()
    assert "Erste Zeile<br>Zweite Zeile<br><br>Quelle: " in html
    assert (
        '<a href="https://www.plauen.de/digital?x=1&amp;y=2" rel="nofollow noopener">'
        "https://www.plauen.de/digital?x=1&amp;y=2</a>" in html
    )


def test_htmx_posting_returns_the_thread_with_the_new_comment(client, councillor_user):
    client.force_login(councillor_user())
    consultation = make_consultation()
    response = client.post(
        create_url(consultation), {"text": "Per htmx"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="thread"' in html and "Per htmx" in html
    assert "1 Kommentar" in html


def test_empty_comment_shows_german_error_and_saves_nothing(client, councillor_user):
    client.force_login(councillor_user())
    consultation = make_consultation()
    response = client.post(
        create_url(consultation), {"text": "   "}, headers={"HX-Request": "true"}
    )
    assert "Bitte schreiben Sie einen Kommentar." in response.content.decode()
    assert not Comment.objects.exists()


def test_reply_by_verwaltung_and_no_reply_to_a_reply(client, councillor_user, make_user):
    consultation = make_consultation()
    question = make_comment(consultation, councillor_user(), "Frage")
    verwaltung = make_user("verwaltung")
    client.force_login(verwaltung)
    url = reverse("participation:comment_reply", kwargs={"pk": question.pk})
    response = client.post(url, {"text": "Antwort der Verwaltung"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Antwort der Verwaltung" in response.content.decode()
    reply = Comment.objects.get(parent=question)
    assert reply.author == verwaltung
    # Verwaltung does not start threads, and nobody answers a reply.
    assert client.post(create_url(consultation), {"text": "Neu"}).status_code == 403
    deeper = reverse("participation:comment_reply", kwargs={"pk": reply.pk})
    assert client.post(deeper, {"text": "Tiefer"}).status_code == 403


def test_edit_window_is_fifteen_minutes(councillor_user):
    user = councillor_user()
    consultation = make_consultation()
    written = timezone.now()
    with time_machine.travel(written, tick=False):
        comment = services.comment_post(
            consultation=consultation, goal=consultation.goals.first(), author=user, text="Alt"
        )
    with time_machine.travel(written + datetime.timedelta(minutes=14, seconds=59), tick=False):
        services.comment_edit(comment=comment, text="Neu")
    comment.refresh_from_db()
    assert comment.text == "Neu" and comment.edited_at is not None
    with (
        time_machine.travel(written + datetime.timedelta(minutes=15), tick=False),
        pytest.raises(ValidationError),
    ):
        services.comment_edit(comment=comment, text="Zu spät")
    comment.refresh_from_db()
    assert comment.text == "Neu"
    assert [h.text for h in comment.history.order_by("history_id")] == ["Alt", "Neu"]


def test_only_the_author_edits(client, councillor_user):
    comment = make_comment(make_consultation(), councillor_user(), "Meins")
    client.force_login(councillor_user())
    url = reverse("participation:comment_edit", kwargs={"pk": comment.pk})
    assert client.post(url, {"text": "Fremd"}).status_code == 403


def test_withdrawn_comment_stays_visible_as_withdrawn(client, councillor_user):
    user = councillor_user()
    consultation = make_consultation()
    comment = make_comment(consultation, user, "Geheimer Gedanke")
    make_comment(consultation, councillor_user(), "Antwort darauf", parent=comment)
    client.force_login(user)
    url = reverse("participation:comment_withdraw", kwargs={"pk": comment.pk})
    response = client.post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Vom Verfasser zurückgezogen" in html and "Geheimer Gedanke" not in html
    assert "Antwort darauf" in html  # the replies stay
    comment.refresh_from_db()
    assert comment.withdrawn_at is not None and comment.text == "Geheimer Gedanke"
    page = client.get(goal_url(consultation)).content.decode()
    assert "zurückgezogen" in page and "Geheimer Gedanke" not in page


def test_moderation_hides_with_reason_and_logs(client, councillor_user, make_user):
    consultation = make_consultation()
    comment = make_comment(consultation, councillor_user(), "Beleidigender Text")
    moderator = make_user("verwaltung")
    client.force_login(moderator)
    url = reverse("participation:comment_hide", kwargs={"pk": comment.pk})
    assert "Bitte geben Sie einen Grund an" in client.post(url, {"reason": ""}).content.decode()
    assert not ModerationLog.objects.exists()
    client.post(url, {"reason": "Verstoß gegen die Netiquette"})
    comment.refresh_from_db()
    assert (
        comment.hidden_by == moderator and comment.hidden_reason == "Verstoß gegen die Netiquette"
    )
    entry = ModerationLog.objects.get()
    assert (entry.comment, entry.moderator, entry.action, entry.reason) == (
        comment,
        moderator,
        "hide",
        "Verstoß gegen die Netiquette",
    )
    assert comment.history.first().history_change_reason == "hidden: Verstoß gegen die Netiquette"
    log = client.get(reverse("participation:moderation_log")).content.decode()
    assert "Verstoß gegen die Netiquette" in log

    # Others see the notice, not the text; the moderator can restore it.
    reader = make_user("ratsbuero")
    client.force_login(reader)
    page = client.get(goal_url(consultation)).content.decode()
    assert "Ausgeblendet (Moderation): Verstoß gegen die Netiquette" in page
    assert "Beleidigender Text" not in page
    client.force_login(moderator)
    client.post(reverse("participation:comment_restore", kwargs={"pk": comment.pk}))
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "hide",
        "restore",
    ]
    client.force_login(reader)
    assert "Beleidigender Text" in client.get(goal_url(consultation)).content.decode()


def test_load_more_pages_through_the_thread(client, councillor_user):
    user = councillor_user()
    consultation = make_consultation()
    start = timezone.now() - datetime.timedelta(hours=5)
    for n in range(45):
        make_comment(
            consultation,
            user,
            f"Beitrag Nummer {n:02d}",
            created_at=start + datetime.timedelta(minutes=n),
        )
    client.force_login(user)
    first = client.get(goal_url(consultation)).content.decode()
    assert "Beitrag Nummer 44" in first and "Beitrag Nummer 25" in first
    assert "Beitrag Nummer 24" not in first and "?seite=2" in first
    second = client.get(goal_url(consultation) + "?seite=2", headers={"HX-Request": "true"})
    html = second.content.decode()
    assert "<html" not in html and html.strip().startswith("<li>")
    assert "Beitrag Nummer 24" in html and "Beitrag Nummer 05" in html and "?seite=3" in html
    third = client.get(goal_url(consultation) + "?seite=3", headers={"HX-Request": "true"})
    assert "Beitrag Nummer 04" in third.content.decode()
    assert "?seite=4" not in third.content.decode()


def _thread_of(total, councillor_user):
    """A consultation whose goal has `total` comments, half of them answered."""
    consultation = make_consultation()
    authors = [councillor_user() for _ in range(3)]
    goal = consultation.goals.first()
    Comment.objects.bulk_create(
        Comment(consultation=consultation, goal=goal, author=authors[n % 3], text=f"K {n}")
        for n in range(total)
    )
    parents = list(Comment.objects.filter(consultation=consultation)[: total // 2])
    Comment.objects.bulk_create(
        Comment(consultation=consultation, goal=goal, author=authors[1], parent=p, text="Antwort")
        for p in parents
    )
    return consultation, authors[0]


# Warm (participation/discussion.py caches the shared parts, the seat and the own vote): session,
# user, groups (rules and header), data stamp, municipality
GOAL_PAGE_QUERIES = 5
# Cold, besides: consultation with goal, seat, my vote, factions, vote counts, comments, replies,
# comment count, other goals
GOAL_PAGE_QUERIES_COLD = GOAL_PAGE_QUERIES + 9
# session, user, groups, data stamp
MORE_COMMENTS_QUERIES = 4
# Cold, besides: consultation with goal, seat, comments, replies, comment count
MORE_COMMENTS_QUERIES_COLD = MORE_COMMENTS_QUERIES + 5


@pytest.mark.parametrize("total", [10, 500])
def test_goal_page_query_count_is_constant(
    client, councillor_user, django_assert_num_queries, total
):
    consultation, reader = _thread_of(total, councillor_user)
    client.force_login(reader)
    url = goal_url(consultation)
    with django_assert_num_queries(GOAL_PAGE_QUERIES_COLD):
        cold = client.get(url)
    with django_assert_num_queries(GOAL_PAGE_QUERIES):
        warm = client.get(url)
    # 10 comments + 5 replies, or the newest 20 of 500 (the answered ones are older).
    for response in (cold, warm):
        assert response.content.decode().count('class="comment"') == (15 if total == 10 else 20)


@pytest.mark.parametrize("total", [30, 500])
def test_load_more_query_count_is_constant(
    client, councillor_user, django_assert_num_queries, total
):
    consultation, reader = _thread_of(total, councillor_user)
    client.force_login(reader)
    url = goal_url(consultation) + "?seite=2"
    with django_assert_num_queries(MORE_COMMENTS_QUERIES_COLD):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    with django_assert_num_queries(MORE_COMMENTS_QUERIES):
        again = client.get(url, headers={"HX-Request": "true"})
    assert again.content.count(b'class="comment"') == response.content.count(b'class="comment"')


def test_services_keep_the_discussion_rules(councillor_user, make_user):
    """The services refuse what the rules forbid even without a view in front (German errors):
    a reply to a reply, an edit or reply to a withdrawn comment, restoring a visible comment."""
    user = councillor_user()
    consultation = make_consultation()
    goal = consultation.goals.first()
    comment = services.comment_post(consultation=consultation, goal=goal, author=user, text="A")
    reply = services.comment_post(
        consultation=consultation, goal=goal, author=user, text="B", parent=comment
    )
    with pytest.raises(ValidationError, match="nicht auf eine Antwort"):
        services.comment_post(
            consultation=consultation, goal=goal, author=user, text="C", parent=reply
        )
    with pytest.raises(ValidationError, match="nicht ausgeblendet"):
        services.comment_restore(comment=comment, moderator=make_user("verwaltung"))
    services.comment_withdraw(comment=comment)
    comment.refresh_from_db()
    with pytest.raises(ValidationError, match="zurückgezogen"):
        services.comment_edit(comment=comment, text="Neu")
    with pytest.raises(ValidationError, match="zurückgezogen"):
        services.comment_post(
            consultation=consultation, goal=goal, author=user, text="D", parent=comment
        )
    assert Comment.objects.count() == 2
