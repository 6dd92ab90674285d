"""Personal data of council participation (settings.PERSONAL_DATA_PROVIDERS).

A councillor's seat and faction memberships, the comments they wrote, their votes, how they want
to be notified and the notifications addressed to them. A constant number of queries per person.
"""

from django.utils.translation import gettext as _

from accounts.personal_data import iso_day, iso_instant, yes_no

from .models import Comment, FactionMembership, Notification, NotificationPreference, Vote


def _comment_status(comment):
    if comment.is_hidden:
        return _("hidden by the moderation")
    if comment.is_withdrawn:
        return _("withdrawn")
    return _("visible")


def councillor_section(user):
    memberships = (
        FactionMembership.objects.filter(councillor__user=user)
        .select_related("faction")
        .order_by("valid_from", "pk")
    )
    return {
        "title": _("Council seat and faction memberships"),
        "rows": [
            {
                _("Faction"): membership.faction.name,
                _("Member from"): iso_day(membership.valid_from),
                _("Member until"): iso_day(membership.valid_until),
            }
            for membership in memberships
        ],
    }


def comments_section(user):
    comments = (
        Comment.objects.filter(author=user)
        .select_related("consultation", "goal")
        .order_by("created_at", "pk")
    )
    return {
        "title": _("Your comments in consultations"),
        "rows": [
            {
                _("Consultation"): comment.consultation.title,
                _("Goal"): comment.goal.code,
                _("Reply to another comment"): yes_no(comment.parent_id is not None),
                _("Comment"): comment.text,
                _("Written at"): iso_instant(comment.created_at),
                _("Edited at"): iso_instant(comment.edited_at),
                _("Status"): _comment_status(comment),
            }
            for comment in comments
        ],
    }


def votes_section(user):
    votes = (
        Vote.objects.filter(councillor__user=user)
        .select_related("consultation", "goal", "faction")
        .order_by("cast_at", "pk")
    )
    return {
        "title": _("Your votes"),
        "rows": [
            {
                _("Consultation"): vote.consultation.title,
                _("Goal"): vote.goal.code,
                _("Vote"): vote.get_choice_display(),
                _("Faction when voting"): vote.faction.short_name,
                _("Cast at"): iso_instant(vote.cast_at),
            }
            for vote in votes
        ],
    }


def notifications_section(user):
    frequency = NotificationPreference.frequency_for(user)
    notifications = list(
        Notification.objects.filter(user=user)
        .select_related("consultation")
        .order_by("created_at", "pk")
    )
    pending = sum(1 for n in notifications if n.status == Notification.Status.PENDING)
    sent = sum(1 for n in notifications if n.status == Notification.Status.SENT)
    summary = {
        _("E-mail notifications"): str(NotificationPreference.Frequency(frequency).label),
        _("Notifications waiting to be sent"): pending,
        _("Notifications sent"): sent,
    }
    return {
        "title": _("Notifications about consultations"),
        "rows": [summary]
        + [
            {
                _("Notification"): notification.get_kind_display(),
                _("Consultation"): notification.consultation.title,
                _("Status"): notification.get_status_display(),
                _("Created at"): iso_instant(notification.created_at),
                _("Sent at"): iso_instant(notification.sent_at),
            }
            for notification in notifications
        ],
    }


def personal_data(user):
    return [
        councillor_section(user),
        comments_section(user),
        votes_section(user),
        notifications_section(user),
    ]
