"""Writes of council participation: consultations, votes, comments, moderation, notifications.

Every write checks the permission again with the exact current time, so a request that arrives
one second after the closing time is refused even if the page was loaded while it was open.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import outbox

from .models import (
    Comment,
    Consultation,
    Councillor,
    FactionMembership,
    ModerationLog,
    Notification,
    NotificationPreference,
    Vote,
)
from .rules import councillor_of


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _require_goal(consultation, goal):
    if not consultation.goals.filter(pk=goal.pk).exists():
        raise ValidationError(_("This goal is not part of the consultation."))


# --- Consultations ---------------------------------------------------------------------------


def save_consultation(form, user):
    """Create or change a consultation (VersionedForm); announce it if it is open already."""
    _require(user, "participation.manage")

    def set_creator(instance):
        if instance.created_by_id is None:
            instance.created_by = user

    with transaction.atomic():
        consultation = form.save_versioned(commit_hook=set_creator)
        if consultation.is_open:
            _enqueue_opened(consultation.pk)
    return consultation


def open_now(consultation, user):
    """Open a consultation that has not started yet, from this moment."""
    _require(user, "participation.manage")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if now >= consultation.opens_at:
            raise ValidationError(_("The consultation has already opened."))
        consultation.opens_at = now
        consultation.version += 1
        consultation._change_reason = "opened early"
        consultation.save()
        _enqueue_opened(consultation.pk)
    return consultation


def close_now(consultation, user):
    """End a running consultation at this moment: no comment or vote is accepted afterwards."""
    _require(user, "participation.manage")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if not consultation.is_open_at(now):
            raise ValidationError(_("Only a running consultation can be closed."))
        consultation.closes_at = now
        consultation.version += 1
        consultation._change_reason = "closed early"
        consultation.save()
    return consultation


def _enqueue_opened(consultation_id):
    # Through the outbox: the announcement waits in the database if the broker is away.
    outbox.enqueue("participation.notify_opened", consultation_id)


# --- Factions and councillors ----------------------------------------------------------------


def add_councillor(user, faction, valid_from, by):
    """Make a user a councillor of `faction` from `valid_from`."""
    _require(by, "participation.manage")
    with transaction.atomic():
        councillor, _created = Councillor.objects.get_or_create(user=user)
        if councillor.memberships.filter(valid_until__isnull=True).exists():
            raise ValidationError(_("This person already belongs to a faction."))
        FactionMembership.objects.create(
            councillor=councillor, faction=faction, valid_from=valid_from
        )
    return councillor


def change_faction(councillor, faction, valid_from, by):
    """End the current membership the day before `valid_from` and start one in `faction`.

    Votes keep the faction they were cast in (Vote.faction), so past results do not move.
    """
    _require(by, "participation.manage")
    with transaction.atomic():
        current = (
            councillor.memberships.select_for_update().filter(valid_until__isnull=True).first()
        )
        if current:
            if valid_from <= current.valid_from:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "The change must be after the start of the current membership."
                        )
                    }
                )
            if current.faction_id == faction.pk:
                raise ValidationError({"faction": _("The councillor already belongs to it.")})
            current.valid_until = valid_from - timedelta(days=1)
            current.save()
        return FactionMembership.objects.create(
            councillor=councillor, faction=faction, valid_from=valid_from
        )


def end_membership(councillor, valid_until, by):
    """The councillor leaves the council (or the faction without a new one)."""
    _require(by, "participation.manage")
    with transaction.atomic():
        current = (
            councillor.memberships.select_for_update().filter(valid_until__isnull=True).first()
        )
        if current is None:
            raise ValidationError(_("The councillor has no current faction."))
        if valid_until < current.valid_from:
            raise ValidationError(
                {"valid_until": _("The end must not be before the start of the membership.")}
            )
        current.valid_until = valid_until
        current.save()
        return current


# --- Votes -----------------------------------------------------------------------------------


def cast_vote(consultation, goal, user, choice):
    """Record or change the user's vote. One row per (councillor, consultation, goal), even when
    two requests arrive at once: the row is locked, and a lost insert race retries as an update."""
    _require(user, "participation.vote", consultation)
    _require_goal(consultation, goal)
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Please choose approval, rejection or abstention."))
    councillor = councillor_of(user)
    faction = councillor.faction_on(timezone.localdate())
    for attempt in range(3):
        try:
            with transaction.atomic():
                vote = (
                    Vote.objects.select_for_update()
                    .filter(councillor=councillor, consultation=consultation, goal=goal)
                    .first()
                )
                now = timezone.now()
                if not consultation.is_open_at(now):
                    raise PermissionDenied("participation.vote")
                if vote is None:
                    return Vote.objects.create(
                        councillor=councillor,
                        consultation=consultation,
                        goal=goal,
                        faction=faction,
                        choice=choice,
                        cast_at=now,
                    )
                if vote.choice != choice or vote.faction_id != faction.pk:
                    vote.choice = choice
                    vote.faction = faction
                    vote.cast_at = now
                    vote.save()
                return vote
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def withdraw_vote(consultation, goal, user):
    """Take the vote back (until the closing time); the history keeps that it existed."""
    _require(user, "participation.vote", consultation)
    councillor = councillor_of(user)
    with transaction.atomic():
        vote = (
            Vote.objects.select_for_update()
            .filter(councillor=councillor, consultation=consultation, goal=goal)
            .first()
        )
        if vote is not None:
            vote.delete()


# --- Comments --------------------------------------------------------------------------------


def post_comment(consultation, goal, user, text, parent=None):
    """A new comment, or a reply to a top-level comment; tells the parent's author."""
    if parent is None:
        _require(user, "participation.comment", consultation)
    else:
        _require(user, "participation.reply", parent)
        if parent.consultation_id != consultation.pk or parent.goal_id != goal.pk:
            raise ValidationError(_("The reply does not belong to this discussion."))
    _require_goal(consultation, goal)
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation, goal=goal, author=user, parent=parent, text=text
        )
        if parent is not None and parent.author_id != user.pk:
            notify(parent.author, Notification.Kind.REPLY, consultation, comment=comment)
    return comment


def edit_comment(comment, user, text):
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        )
        _require(user, "participation.edit_comment", comment)
        if comment.text != text:
            comment.text = text
            comment.edited_at = timezone.now()
            comment.save()
    return comment


def withdraw_comment(comment, user):
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        )
        _require(user, "participation.withdraw_comment", comment)
        comment.withdrawn_at = timezone.now()
        comment._change_reason = "withdrawn by the author"
        comment.save()
    return comment


def hide_comment(comment, moderator, reason):
    """Moderation: hide a comment with a reason; logged in ModerationLog (and the history)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        _require(moderator, "participation.hide_comment", comment)
        comment.hidden_at = timezone.now()
        comment.hidden_by = moderator
        comment.hidden_reason = reason
        comment._change_reason = f"hidden: {reason}"
        comment.save()
        ModerationLog.objects.create(
            comment=comment, moderator=moderator, action=ModerationLog.Action.HIDE, reason=reason
        )
    return comment


def restore_comment(comment, moderator, reason=""):
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        _require(moderator, "participation.restore_comment", comment)
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        comment._change_reason = "shown again"
        comment.save()
        ModerationLog.objects.create(
            comment=comment,
            moderator=moderator,
            action=ModerationLog.Action.RESTORE,
            reason=(reason or "").strip(),
        )
    return comment


# --- Notifications ---------------------------------------------------------------------------


def event_key(kind, consultation, comment=None) -> str:
    if kind == Notification.Kind.REPLY:
        return f"reply:{comment.pk}"
    return f"{kind}:{consultation.pk}"


def notify(user, kind, consultation, comment=None):
    """Put one event for one person into the outbox, once; send at once if they want that.

    Returns the new Notification, or None if this event was already recorded for the person.
    """
    if not user.email:
        return None
    frequency = NotificationPreference.frequency_for(user)
    status = (
        Notification.Status.SKIPPED
        if frequency == NotificationPreference.Frequency.NONE
        else Notification.Status.PENDING
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                key=event_key(kind, consultation, comment),
                kind=kind,
                consultation=consultation,
                comment=comment,
                status=status,
            )
            if frequency == NotificationPreference.Frequency.IMMEDIATE:
                # In the same transaction: the mail is sent exactly when the event is recorded.
                outbox.enqueue("participation.send_notification", notification.pk)
    except IntegrityError:
        return None  # the event was recorded before: never twice
    return notification


def notify_opened(consultation_id):
    """Tell every current councillor that the consultation is open (once per person)."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not consultation.is_open:
        return 0
    created = 0
    for councillor in Councillor.objects.current().select_related("user"):
        if notify(councillor.user, Notification.Kind.OPENED, consultation):
            created += 1
    return created


def notify_all_opened():
    """Beat: announce every running consultation not yet announced to someone."""
    return sum(notify_opened(pk) for pk in Consultation.objects.open().values_list("pk", flat=True))


def notify_closing_soon(hours=48):
    """Beat: consultations closing within `hours` → councillors who have not voted on every goal."""
    now = timezone.now()
    created = 0
    for consultation in Consultation.objects.closing_between(now, now + timedelta(hours=hours)):
        goal_count = consultation.goals.count()
        for councillor in Councillor.objects.current().select_related("user"):
            voted = Vote.objects.filter(consultation=consultation, councillor=councillor).count()
            if voted < goal_count and notify(
                councillor.user, Notification.Kind.CLOSING, consultation
            ):
                created += 1
    return created


def _page_url(notification) -> str:
    if notification.comment_id:
        path = notification.comment.get_absolute_url()
    else:
        path = reverse("participation:consultation", kwargs={"pk": notification.consultation_id})
    return settings.SITE_URL.rstrip("/") + path


def _headline(notification) -> str:
    consultation = notification.consultation
    if notification.kind == Notification.Kind.OPENED:
        return _("Consultation opened: %(title)s") % {"title": consultation.title}
    if notification.kind == Notification.Kind.CLOSING:
        return _("Consultation closes soon: %(title)s") % {"title": consultation.title}
    return _("Reply to your comment in: %(title)s") % {"title": consultation.title}


def render_notification(notification) -> tuple[str, str]:
    """(subject, plain text body) of a single notification, in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _headline(notification)
        body = render_to_string(
            "participation/email/notification.txt",
            {"n": notification, "url": _page_url(notification), "user": notification.user},
        )
    return subject, body


def send_notification(notification_id):
    """Send one pending notification now; a second call finds it sent and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .select_related("user", "consultation", "comment__author", "comment__goal")
            .first()
        )
        if notification is None:
            return False
        subject, body = render_notification(notification)
        send_mail(subject, body, None, [notification.user.email])
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "sent_at"])
    return True


def send_digests():
    """Beat (daily): one mail per person with all their pending notifications."""
    sent = 0
    user_ids = (
        Notification.objects.filter(status=Notification.Status.PENDING)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    for user_id in list(user_ids):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(user_id=user_id, status=Notification.Status.PENDING)
                .select_related("user", "consultation", "comment__author", "comment__goal")
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            user = pending[0].user
            with translation.override(settings.LANGUAGE_CODE):
                items = [{"headline": _headline(n), "url": _page_url(n), "n": n} for n in pending]
                subject = ngettext(
                    "Council participation: %(count)s new notification",
                    "Council participation: %(count)s new notifications",
                    len(items),
                ) % {"count": len(items)}
                body = render_to_string(
                    "participation/email/digest.txt", {"items": items, "user": user}
                )
            send_mail(subject, body, None, [user.email])
            now = timezone.now()
            for notification in pending:
                notification.status = Notification.Status.SENT
                notification.sent_at = now
            Notification.objects.bulk_update(pending, ["status", "sent_at"])
            sent += 1
    return sent


def set_preference(user, frequency):
    _require(user, "participation.notifications")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference
