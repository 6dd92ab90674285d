"""Writes of council participation: consultations, factions, councillors, votes, comments,
moderation, notifications (docs/architecture.md, "Writes go through services").

Functions are named `<entity>_<action>` and take keyword-only plain arguments. They do not check
permissions (the views do, with rules.contrib.views.permission_required); they enforce the
domain's invariants at the moment of the write and refuse with a German `ValidationError`: a
vote or comment that arrives one second after the closing time is refused even if the page was
loaded (and the permission checked) while the consultation was open.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import outbox
from core.editing import save_changes
from core.history import note_change

from .models import (
    Comment,
    Consultation,
    Councillor,
    Faction,
    FactionMembership,
    ModerationLog,
    Notification,
    NotificationPreference,
    Vote,
)


def _require_goal(consultation, goal):
    if not consultation.goals.filter(pk=goal.pk).exists():
        raise ValidationError(_("This goal is not part of the consultation."))


def _require_open(consultation, now):
    if not consultation.is_open_at(now):
        raise ValidationError(_("The consultation is not open."))


def _require_active(comment):
    if comment.is_withdrawn or comment.is_hidden:
        raise ValidationError(_("The comment has been withdrawn or hidden."))


# --- Consultations ---------------------------------------------------------------------------


def consultation_create(*, data, actor):
    """A new consultation from `data` (field name → value, goals included); announced at once
    if it is open already."""
    consultation = Consultation(created_by=actor)
    with transaction.atomic():
        save_changes(consultation, data, expected_version=None)
        if consultation.is_open:
            _enqueue_opened(consultation.pk)
    return consultation


def consultation_update(*, consultation, data, expected_version):
    """Change a consultation if nobody saved it since `expected_version` (EditConflict
    otherwise); announce it if it is open."""
    with transaction.atomic():
        save_changes(consultation, data, expected_version=expected_version)
        if consultation.is_open:
            _enqueue_opened(consultation.pk)
    return consultation


def consultation_open(*, consultation):
    """Open a consultation that has not started yet, from this moment."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if now >= consultation.opens_at:
            raise ValidationError(_("The consultation has already opened."))
        consultation.opens_at = now
        consultation.version += 1
        note_change(consultation, reason="opened early")
        consultation.save()
        _enqueue_opened(consultation.pk)
    return consultation


def consultation_close(*, consultation):
    """End a running consultation at this moment: no comment or vote is accepted afterwards."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if not consultation.is_open_at(now):
            raise ValidationError(_("Only a running consultation can be closed."))
        consultation.closes_at = now
        consultation.version += 1
        note_change(consultation, reason="closed early")
        consultation.save()
    return consultation


def _enqueue_opened(consultation_id):
    # Through the outbox: the announcement waits in the database if the broker is away.
    outbox.enqueue("participation.notify_opened", consultation_id)


# --- Factions and councillors ----------------------------------------------------------------


def faction_create(*, data):
    """A new faction from `data` (name, short name, seats, term)."""
    return Faction.objects.create(**data)


def faction_update(*, faction, data):
    """Change a faction's name, seats or term."""
    for name, value in data.items():
        setattr(faction, name, value)
    faction.save()
    return faction


def councillor_create(*, user, faction, valid_from):
    """Make `user` a councillor of `faction` from `valid_from`."""
    with transaction.atomic():
        councillor, _created = Councillor.objects.get_or_create(user=user)
        if councillor.memberships.filter(valid_until__isnull=True).exists():
            raise ValidationError(_("This person already belongs to a faction."))
        FactionMembership.objects.create(
            councillor=councillor, faction=faction, valid_from=valid_from
        )
    return councillor


def councillor_change_faction(*, councillor, faction, valid_from):
    """End the current membership the day before `valid_from` and start one in `faction`.

    Votes keep the faction they were cast in (Vote.faction), so past results do not move.
    """
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


def councillor_end_membership(*, councillor, valid_until):
    """The councillor leaves the council (or the faction without a new one)."""
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


def vote_cast(*, consultation, goal, councillor, choice):
    """Record or change the councillor's vote. One row per (councillor, consultation, goal), even
    when two requests arrive at once: the row is locked, and a lost insert race retries as an
    update. Refused once the consultation has closed, for a goal outside it, and for a
    councillor without a faction today."""
    _require_goal(consultation, goal)
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Please choose approval, rejection or abstention."))
    faction = councillor.faction_on(timezone.localdate())
    if faction is None:
        raise ValidationError(_("The councillor has no current faction."))
    for attempt in range(3):
        try:
            with transaction.atomic():
                vote = (
                    Vote.objects.select_for_update()
                    .filter(councillor=councillor, consultation=consultation, goal=goal)
                    .first()
                )
                now = timezone.now()
                _require_open(consultation, now)
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


def vote_withdraw(*, consultation, goal, councillor):
    """Take the vote back (until the closing time); the history keeps that it existed."""
    with transaction.atomic():
        _require_open(consultation, timezone.now())
        vote = (
            Vote.objects.select_for_update()
            .filter(councillor=councillor, consultation=consultation, goal=goal)
            .first()
        )
        if vote is not None:
            vote.delete()


# --- Comments --------------------------------------------------------------------------------


def comment_post(*, consultation, goal, author, text, parent=None):
    """A new comment, or a reply to an active top-level comment, while the consultation runs;
    tells the parent's author."""
    _require_open(consultation, timezone.now())
    if parent is not None:
        if parent.consultation_id != consultation.pk or parent.goal_id != goal.pk:
            raise ValidationError(_("The reply does not belong to this discussion."))
        if parent.parent_id is not None:
            raise ValidationError(_("Only a comment can be answered, not a reply."))
        _require_active(parent)
    _require_goal(consultation, goal)
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation, goal=goal, author=author, parent=parent, text=text
        )
        if parent is not None and parent.author_id != author.pk:
            notification_record(
                user=parent.author,
                kind=Notification.Kind.REPLY,
                consultation=consultation,
                comment=comment,
            )
    return comment


def comment_edit(*, comment, text):
    """New text for an active comment, within its edit window, while the consultation runs."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        )
        now = timezone.now()
        _require_open(comment.consultation, now)
        _require_active(comment)
        if now >= comment.editable_until():
            raise ValidationError(_("A comment can be changed only within 15 minutes."))
        if comment.text != text:
            comment.text = text
            comment.edited_at = now
            comment.save()
    return comment


def comment_withdraw(*, comment):
    """The author takes an active comment back while the consultation runs (soft delete)."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        )
        _require_open(comment.consultation, timezone.now())
        _require_active(comment)
        comment.withdrawn_at = timezone.now()
        note_change(comment, reason="withdrawn by the author")
        comment.save()
    return comment


def comment_hide(*, comment, moderator, reason):
    """Moderation: hide an active comment with a reason; logged in ModerationLog (and the
    history)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        _require_active(comment)
        comment.hidden_at = timezone.now()
        comment.hidden_by = moderator
        comment.hidden_reason = reason
        note_change(comment, reason=f"hidden: {reason}")
        comment.save()
        ModerationLog.objects.create(
            comment=comment, moderator=moderator, action=ModerationLog.Action.HIDE, reason=reason
        )
    return comment


def comment_restore(*, comment, moderator, reason=""):
    """Moderation: show a hidden comment again; logged in ModerationLog."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not comment.is_hidden:
            raise ValidationError(_("The comment is not hidden."))
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        note_change(comment, reason="shown again")
        comment.save()
        ModerationLog.objects.create(
            comment=comment,
            moderator=moderator,
            action=ModerationLog.Action.RESTORE,
            reason=(reason or "").strip(),
        )
    return comment


# --- Notifications ---------------------------------------------------------------------------


def _event_key(kind, consultation, comment=None) -> str:
    if kind == Notification.Kind.REPLY:
        return f"reply:{comment.pk}"
    return f"{kind}:{consultation.pk}"


def notification_record(*, user, kind, consultation, comment=None):
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
                key=_event_key(kind, consultation, comment),
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


def consultation_announce(*, consultation_id):
    """Tell every current councillor that the consultation is open (once per person)."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not consultation.is_open:
        return 0
    created = 0
    for councillor in Councillor.objects.current().select_related("user"):
        if notification_record(
            user=councillor.user, kind=Notification.Kind.OPENED, consultation=consultation
        ):
            created += 1
    return created


def consultations_announce_running():
    """Beat: announce every running consultation not yet announced to someone."""
    return sum(
        consultation_announce(consultation_id=pk)
        for pk in Consultation.objects.open().values_list("pk", flat=True)
    )


def consultations_remind_closing(*, hours=48):
    """Beat: consultations closing within `hours` → councillors who have not voted on every goal."""
    now = timezone.now()
    created = 0
    for consultation in Consultation.objects.closing_between(now, now + timedelta(hours=hours)):
        goal_count = consultation.goals.count()
        for councillor in Councillor.objects.current().select_related("user"):
            voted = Vote.objects.filter(consultation=consultation, councillor=councillor).count()
            if voted < goal_count and notification_record(
                user=councillor.user, kind=Notification.Kind.CLOSING, consultation=consultation
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


def _render_notification(notification) -> tuple[str, str]:
    """(subject, plain text body) of a single notification, in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _headline(notification)
        body = render_to_string(
            "participation/email/notification.txt",
            {"n": notification, "url": _page_url(notification), "user": notification.user},
        )
    return subject, body


def notification_send(*, notification_id):
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
        subject, body = _render_notification(notification)
        send_mail(subject, body, None, [notification.user.email])
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "sent_at"])
    return True


def notifications_send_digests():
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


# --- Preferences -----------------------------------------------------------------------------


def preferences_update(*, user, frequency):
    """How `user` wants to hear about consultations (immediately, daily digest, not at all)."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference
