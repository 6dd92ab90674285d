"""The discussion of one goal in one consultation, cached where it is the same for every reader.

A page of comments with their replies and the results by faction are most of a goal page's cost,
and both look the same to everyone of one *viewer class* (roles, a current council seat,
consultation running or not: all that decides the rules of replying and moderating).
So they are rendered once per data stamp of the tables they show (core/caching.py): a
write through the app changes the stamp, and the next request renders anew.

What belongs to one person is added per request (`personalise`): the shared HTML holds a marker
where the actions on one's own comments go (edit only within 15 minutes, so checked now, not
when cached) and a placeholder instead of a CSRF token.
"""

import functools
import re

from django.middleware.csrf import get_token
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.rules import is_ag_schule, is_ratsbuero, is_stadtrat, is_verwaltung
from core import caching
from core.caching import cached

from .forms import CommentForm
from .models import Comment, Consultation, Vote
from .results import goal_results
from .rules import councillor_of, is_councillor, know_councillor, read_councillor

COMMENTS_PER_PAGE = 20
DISCUSSION = "participation/partials/discussion.html"

# What the cached parts show (comments, votes, factions with seats and terms, the consultation
# and its goals, people's names, who has a seat today) is the registry part
# "participation.discussion" in core/caching.py.

# Rendered into shared HTML instead of anyone's token; `<` and `"` never come out of escaped text.
CSRF_SLOT = "csrf-slot"
OWN_ACTIONS = re.compile(r"<!--own(-div)?:(\d+)-->")


def stamp():
    return caching.stamp("participation.discussion")


def prime_councillor(user, data_stamp):
    """Read a Stadtrat's seat from the cache (memberships are dated: the stamp holds the day)."""
    if getattr(user, "is_authenticated", False) and is_stadtrat(user):
        # In a tuple: the cache takes None for a miss, and most readers have no seat.
        (councillor,) = cached(
            "participation-seat", data_stamp, lambda: (read_councillor(user),), user.pk
        )
        know_councillor(user, councillor)


def vote_of(user, consultation, goal, data_stamp):
    """The user's vote on the goal, or None (a vote changes the stamp)."""
    councillor = councillor_of(user)
    if councillor is None:
        return None

    def build():
        return (
            Vote.objects.filter(
                councillor=councillor, consultation=consultation, goal=goal
            ).first(),
        )

    (vote,) = cached("participation-my-vote", data_stamp, build, consultation.pk, goal.pk, user.pk)
    return vote


def viewer_class(user, consultation):
    """Everything besides authorship and the edit window that the rules of comment actions ask."""
    roles = "".join(
        "1" if role(user) else "0"
        for role in (is_verwaltung, is_stadtrat, is_ag_schule, is_ratsbuero)
    )
    return (roles, int(is_councillor(user)), int(consultation.is_open))


def _locale():
    return (translation.get_language(), timezone.get_current_timezone_name())


def results_html(consultation, goal, data_stamp, compact=False):
    """The results box (totals, chart, table by faction, by name if public): the same for all."""

    def build():
        result = goal_results(consultation, [goal.pk])[goal.pk]
        context = {"consultation": consultation, "goal": goal, "result": result}
        return render_to_string(f"{DISCUSSION}#results", {**context, "compact": compact})

    vary = (consultation.pk, goal.pk, int(compact), *_locale())
    # render_to_string gives a SafeString, and the cache keeps its type.
    return cached("participation-results", data_stamp, build, *vary)


def consultation_and_goal(pk, goal_pk, data_stamp):
    """(consultation, goal), or None unless the goal belongs to the consultation."""

    def build():
        link = (
            Consultation.goals.through.objects.select_related("consultation", "goal")
            .filter(consultation_id=pk, goal_id=goal_pk)
            .first()
        )
        return (link.consultation, link.goal) if link else None

    # The cache hands out copies (pickled), so no request sees another's attributes.
    return cached("participation-goal", data_stamp, build, pk, goal_pk)


def other_goals(consultation, goal, data_stamp):
    """The consultation's other goals as links: code, title and url."""

    def build():
        goals = consultation.goals.exclude(pk=goal.pk).values_list("pk", "code", "title")
        return [
            {
                "code": code,
                "title": title,
                "url": reverse("participation:goal", args=[consultation.pk, pk]),
            }
            for pk, code, title in goals
        ]

    return cached("participation-other-goals", data_stamp, build, consultation.pk, goal.pk)


def _shared_page(user, consultation, goal, page):
    """One page of top-level comments with their replies for the user's viewer class: the HTML
    with markers, the authorship data `personalise` needs, the number of comments."""
    start = (page - 1) * COMMENTS_PER_PAGE
    rows = list(
        Comment.objects.thread(consultation, goal).with_replies()[
            start : start + COMMENTS_PER_PAGE + 1
        ]
    )
    has_more = len(rows) > COMMENTS_PER_PAGE
    rows = rows[:COMMENTS_PER_PAGE]
    everything = rows + [reply for comment in rows for reply in comment.reply_list]
    for comment in everything:
        comment.consultation = consultation
        # The same for everyone of the class; the author's own actions come per request.
        comment.can_reply = user.has_perm("participation.reply", comment)
        comment.can_hide = user.has_perm("participation.hide_comment", comment)
        comment.can_restore = user.has_perm("participation.restore_comment", comment)
        comment.can_edit = comment.can_withdraw = False
    context = {
        "consultation": consultation,
        "goal": goal,
        "comments": rows,
        "has_more": has_more,
        "next_page": page + 1,
        "own_slots": True,
        "csrf_token": CSRF_SLOT,
    }
    return {
        "html": render_to_string(f"{DISCUSSION}#comment_page", context),
        "authors": {
            c.pk: (c.author_id, c.parent_id, c.created_at, c.withdrawn_at, c.hidden_at)
            for c in everything
        },
        "on_page": len(rows),
        "total": Comment.objects.filter(consultation=consultation, goal=goal).count(),
    }


def comment_page(request, consultation, goal, page=1, data_stamp=None):
    """Context of the thread: `comment_page_html` (this user's), `has_comments`, `comment_count`."""
    user = request.user
    shared = cached(
        "participation-comments",
        data_stamp or stamp(),
        lambda: _shared_page(user, consultation, goal, page),
        consultation.pk,
        goal.pk,
        page,
        *viewer_class(user, consultation),
        *_locale(),
    )
    return {
        "comment_page_html": personalise(request, consultation, shared),
        "has_comments": bool(shared["on_page"]),
        "comment_count": shared["total"],
    }


def personalise(request, consultation, shared):
    """The shared HTML with this user's actions on their own comments and their CSRF token."""
    user = request.user
    own = {}
    for pk, (author_id, parent_id, created_at, withdrawn_at, hidden_at) in shared[
        "authors"
    ].items():
        if author_id != user.pk:  # the rules allow actions on one's own comments only
            continue
        comment = Comment(
            pk=pk,
            consultation=consultation,
            author_id=author_id,
            parent_id=parent_id,
            created_at=created_at,
            withdrawn_at=withdrawn_at,
            hidden_at=hidden_at,
        )
        comment.can_edit = user.has_perm("participation.edit_comment", comment)
        comment.can_withdraw = user.has_perm("participation.withdraw_comment", comment)
        if comment.can_edit or comment.can_withdraw:
            context = {"comment": comment, "csrf_token": CSRF_SLOT}
            own[pk] = render_to_string(f"{DISCUSSION}#own_actions", context).strip()

    def fill(marker):
        actions = own.get(int(marker[2]))
        if not actions:
            return ""
        if marker[1]:  # the comment has no other actions: open the actions block
            return format_html('<div class="comment__actions">{}</div>', mark_safe(actions))  # noqa: S308  # nosec B308 B703
        return actions

    html = OWN_ACTIONS.sub(fill, shared["html"])
    slot = _csrf_input(CSRF_SLOT)
    if slot in html:
        html = html.replace(slot, _csrf_input(get_token(request)))
    # Rendered by templates with autoescaping; only markers were replaced.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


@functools.cache
def _csrf_tag():
    return Template("{% csrf_token %}")


def _csrf_input(token):
    """What {% csrf_token %} renders for `token`."""
    return _csrf_tag().render(Context({"csrf_token": token}))


# --- Building blocks shared by the pages (participation/views.py) and the goal panel ----------


def annotate_comment_permissions(user, consultation, comments):
    """Attach the consultation (no extra query) and what the user may do with each comment: the
    rules decide which actions the page shows."""
    for comment in comments:
        comment.consultation = consultation
        comment.can_edit = user.has_perm("participation.edit_comment", comment)
        comment.can_withdraw = user.has_perm("participation.withdraw_comment", comment)
        comment.can_reply = user.has_perm("participation.reply", comment)
        comment.can_hide = user.has_perm("participation.hide_comment", comment)
        comment.can_restore = user.has_perm("participation.restore_comment", comment)


def vote_box_context(
    user,
    consultation,
    goal,
    result=None,
    my_vote=None,
    lookup_vote=True,
    data_stamp=None,
    compact=False,
):
    """The vote box; without a `result` given, the results come rendered from the cache."""
    if lookup_vote or result is None:
        data_stamp = data_stamp or stamp()
    if lookup_vote:
        my_vote = vote_of(user, consultation, goal, data_stamp)
    context = {
        "consultation": consultation,
        "goal": goal,
        "my_vote": my_vote,
        "result": result,
        "can_vote": user.has_perm("participation.vote", consultation),
        "choices": Vote.Choice.choices,
    }
    if result is None:
        context["results_html"] = results_html(consultation, goal, data_stamp, compact)
    return context


def comment_field_id(consultation, goal):
    """Unique field ids when several discussions share a page."""
    return f"comment-{consultation.pk}-{goal.pk}-%s"


def discussion_context(request, consultation, goal, page=1, form=None, data_stamp=None):
    """Everything partials/discussion.html needs for one goal in one consultation."""
    user = request.user
    data_stamp = data_stamp or stamp()
    context = vote_box_context(user, consultation, goal, data_stamp=data_stamp)
    context.update(comment_page(request, consultation, goal, page, data_stamp))
    context.update(
        {
            "can_comment": user.has_perm("participation.comment", consultation),
            "form": form or CommentForm(auto_id=comment_field_id(consultation, goal)),
        }
    )
    return context
