"""Every participation URL, for anonymous and each role (tests/test_url_permissions.py)."""

from django.contrib.auth import get_user_model

from accounts import roles

from ..url_cases import READERS, VERWALTUNG, UrlCase
from .helpers import (
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_councillor,
    make_faction,
)

STADTRAT = frozenset({"stadtrat"})
WRITERS = frozenset({"stadtrat", "verwaltung"})
NOBODY = frozenset()


def _is_stadtrat(user):
    return user is not None and user.groups.filter(name=roles.STADTRAT).exists()


def _seat(user):
    """Give a Stadtrat user a current seat in a faction (a councillor record)."""
    if _is_stadtrat(user):
        make_councillor(user)


def _other_councillor():
    other = get_user_model().objects.create_user(username=f"rat-{get_user_model().objects.count()}")
    make_councillor(other)
    return other


def consultation_kwargs(user):
    _seat(user)
    return {"pk": make_consultation().pk}


def closed_consultation_kwargs(user):
    _seat(user)
    return {"pk": make_closed_consultation().pk}


def upcoming_consultation_kwargs(user):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {
        "pk": make_consultation(
            opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5)
        ).pk
    }


def goal_kwargs(user):
    _seat(user)
    consultation = make_consultation()
    return {"pk": consultation.pk, "goal_pk": consultation.goals.first().pk}


def closed_goal_kwargs(user):
    _seat(user)
    consultation = make_closed_consultation()
    return {"pk": consultation.pk, "goal_pk": consultation.goals.first().pk}


def unseated_goal_kwargs(user):
    consultation = make_consultation()  # the Stadtrat user has no councillor record
    return {"pk": consultation.pk, "goal_pk": consultation.goals.first().pk}


def others_comment_kwargs(user):
    _seat(user)
    return {"pk": make_comment(make_consultation(), _other_councillor()).pk}


def own_comment_kwargs(user):
    """The requester's own comment if they are a councillor, else someone else's."""
    _seat(user)
    author = user if _is_stadtrat(user) else _other_councillor()
    return {"pk": make_comment(make_consultation(), author).pk}


def hidden_comment_kwargs(user):
    from django.utils import timezone

    comment = make_comment(
        make_consultation(), _other_councillor(), hidden_at=timezone.now(), hidden_reason="Test"
    )
    return {"pk": comment.pk}


def faction_kwargs(user):
    return {"pk": make_faction().pk}


def councillor_kwargs(user):
    return {"pk": _other_councillor().councillor.pk}


CASES = [
    UrlCase("participation:index", allowed=READERS),
    UrlCase("participation:factions", allowed=READERS),
    UrlCase("participation:faction_create", allowed=VERWALTUNG),
    UrlCase(
        "participation:faction_create",
        allowed=VERWALTUNG,
        method="post",
        data={"name": "Fraktion Neu", "short_name": "N", "seats": "3", "term_start": "2024-08-01"},
        ok=(302,),
        label="save",
    ),
    UrlCase("participation:faction_edit", allowed=VERWALTUNG, setup=faction_kwargs),
    UrlCase("participation:councillor_create", allowed=VERWALTUNG),
    UrlCase("participation:councillor_faction", allowed=VERWALTUNG, setup=councillor_kwargs),
    UrlCase("participation:consultation_create", allowed=VERWALTUNG),
    UrlCase("participation:consultation", allowed=READERS, setup=consultation_kwargs),
    UrlCase("participation:consultation_edit", allowed=VERWALTUNG, setup=consultation_kwargs),
    UrlCase(
        "participation:consultation_open",
        allowed=VERWALTUNG,
        method="post",
        setup=upcoming_consultation_kwargs,
        ok=(302,),
    ),
    UrlCase(
        "participation:consultation_close",
        allowed=VERWALTUNG,
        method="post",
        setup=consultation_kwargs,
        ok=(302,),
    ),
    UrlCase("participation:goal", allowed=READERS, setup=goal_kwargs),
    UrlCase("participation:goal", allowed=READERS, setup=goal_kwargs, htmx=True, label="htmx"),
    # Voting: only councillors, only while the consultation runs.
    UrlCase(
        "participation:vote",
        allowed=STADTRAT,
        method="post",
        setup=goal_kwargs,
        data={"choice": "yes"},
        ok=(302,),
    ),
    UrlCase(
        "participation:vote",
        allowed=STADTRAT,
        method="post",
        setup=goal_kwargs,
        data={"choice": "no"},
        htmx=True,
        label="htmx",
    ),
    UrlCase(
        "participation:vote",
        allowed=NOBODY,
        method="post",
        setup=closed_goal_kwargs,
        data={"choice": "yes"},
        label="closed",
    ),
    UrlCase(
        "participation:vote",
        allowed=NOBODY,
        method="post",
        setup=unseated_goal_kwargs,
        data={"choice": "yes"},
        label="stadtrat role without a seat",
    ),
    # Comments: councillors start threads while open.
    UrlCase(
        "participation:comment_create",
        allowed=STADTRAT,
        method="post",
        setup=goal_kwargs,
        data={"text": "Guter Ansatz."},
        ok=(302,),
    ),
    UrlCase(
        "participation:comment_create",
        allowed=STADTRAT,
        method="post",
        setup=goal_kwargs,
        data={"text": "Guter Ansatz."},
        htmx=True,
        label="htmx",
    ),
    UrlCase(
        "participation:comment_create",
        allowed=NOBODY,
        method="post",
        setup=closed_goal_kwargs,
        data={"text": "Zu spät."},
        label="closed",
    ),
    # Replies: councillors and Verwaltung.
    UrlCase("participation:comment_reply", allowed=WRITERS, setup=others_comment_kwargs),
    UrlCase(
        "participation:comment_reply",
        allowed=WRITERS,
        method="post",
        setup=others_comment_kwargs,
        data={"text": "Danke für den Hinweis."},
        ok=(302,),
        label="post",
    ),
    UrlCase(
        "participation:comment_reply",
        allowed=WRITERS,
        method="post",
        setup=others_comment_kwargs,
        data={"text": "Danke für den Hinweis."},
        htmx=True,
        label="htmx",
    ),
    # Editing and withdrawing: the author only.
    UrlCase("participation:comment_edit", allowed=STADTRAT, setup=own_comment_kwargs),
    UrlCase(
        "participation:comment_edit",
        allowed=STADTRAT,
        method="post",
        setup=own_comment_kwargs,
        data={"text": "Korrigiert."},
        htmx=True,
        label="own",
    ),
    UrlCase(
        "participation:comment_edit",
        allowed=NOBODY,
        setup=others_comment_kwargs,
        label="someone else's",
    ),
    UrlCase(
        "participation:comment_withdraw",
        allowed=STADTRAT,
        method="post",
        setup=own_comment_kwargs,
        ok=(302,),
    ),
    UrlCase(
        "participation:comment_withdraw",
        allowed=NOBODY,
        method="post",
        setup=others_comment_kwargs,
        label="someone else's",
    ),
    # Moderation: Verwaltung.
    UrlCase("participation:comment_hide", allowed=VERWALTUNG, setup=others_comment_kwargs),
    UrlCase(
        "participation:comment_hide",
        allowed=VERWALTUNG,
        method="post",
        setup=others_comment_kwargs,
        data={"reason": "Beleidigung"},
        ok=(302,),
        label="post",
    ),
    UrlCase(
        "participation:comment_restore",
        allowed=VERWALTUNG,
        method="post",
        setup=hidden_comment_kwargs,
        ok=(302,),
    ),
    UrlCase("participation:moderation_log", allowed=VERWALTUNG),
    UrlCase("participation:preferences", allowed=READERS),
    UrlCase(
        "participation:preferences",
        allowed=READERS,
        method="post",
        data={"frequency": "immediate"},
        ok=(302,),
        label="save",
    ),
]
