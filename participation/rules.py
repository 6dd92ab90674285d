"""Permissions of council participation (docs/permissions.md).

Role predicates come from accounts.rules; the object-level ones here add the
exact time window of a consultation (opens_at <= now < closes_at) and comment ownership.
"""

import rules
from django.utils import timezone

from accounts.rules import has_any_role, is_stadtrat, is_verwaltung

from .models import Comment, Consultation, Councillor


def councillor_of(user):
    """The user's Councillor row if they sit in the council today (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_participation_councillor"):
        user._participation_councillor = read_councillor(user) if user.pk else None
    return user._participation_councillor


def read_councillor(user):
    # order_by(): first() by pk, without the join the default ordering needs
    return Councillor.objects.current().filter(user=user).order_by().first()


def know_councillor(user, councillor):
    """Hand councillor_of the answer read elsewhere (participation/discussion.py caches it)."""
    user._participation_councillor = councillor


@rules.predicate
def is_current_councillor(user):
    """Holds the Stadtrat role and has a faction membership valid today."""
    return councillor_of(user) is not None


is_councillor = is_stadtrat & is_current_councillor


def _consultation(obj):
    if isinstance(obj, Consultation):
        return obj
    if isinstance(obj, Comment):
        return obj.consultation
    return None


@rules.predicate
def consultation_is_open(user, obj):
    """The consultation (or the comment's consultation) is running right now."""
    consultation = _consultation(obj)
    return consultation is not None and consultation.is_open_at(timezone.now())


@rules.predicate
def is_comment_author(user, comment):
    return isinstance(comment, Comment) and comment.author_id == user.pk


@rules.predicate
def comment_is_active(user, comment):
    """Neither withdrawn nor hidden by moderation."""
    return isinstance(comment, Comment) and not comment.is_withdrawn and not comment.is_hidden


@rules.predicate
def within_edit_window(user, comment):
    return isinstance(comment, Comment) and timezone.now() < comment.editable_until()


@rules.predicate
def is_top_level(user, comment):
    return isinstance(comment, Comment) and comment.parent_id is None


@rules.predicate
def is_hidden(user, comment):
    return isinstance(comment, Comment) and comment.is_hidden


rules.add_perm("participation.view", has_any_role)
# Factions, councillors and consultations: Verwaltung maintains them.
rules.add_perm("participation.manage", is_verwaltung)
rules.add_perm("participation.moderate", is_verwaltung)
# Object: a Consultation. Only councillors vote, only while it runs.
rules.add_perm("participation.vote", is_councillor & consultation_is_open)
# Object: a Consultation. Councillors start threads; Verwaltung answers (see reply).
rules.add_perm("participation.comment", is_councillor & consultation_is_open)
# Object: the Comment answered. One level of replies, by councillors and Verwaltung.
rules.add_perm(
    "participation.reply",
    (is_councillor | is_verwaltung) & consultation_is_open & is_top_level & comment_is_active,
)
# Object: a Comment. The author, within 15 minutes, while the consultation runs.
rules.add_perm(
    "participation.edit_comment",
    is_comment_author & comment_is_active & within_edit_window & consultation_is_open,
)
rules.add_perm(
    "participation.withdraw_comment",
    is_comment_author & comment_is_active & consultation_is_open,
)
rules.add_perm("participation.hide_comment", is_verwaltung & comment_is_active)
rules.add_perm("participation.restore_comment", is_verwaltung & is_hidden)
# Everyone with a role chooses how they hear about consultations.
rules.add_perm("participation.notifications", has_any_role)
