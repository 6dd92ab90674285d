"""Writes of the working group that touch several rows: seats, waiting list, attendance, feeds.

Seats are counted while the session row is locked (`select_for_update` inside `transaction.atomic`),
so two members racing for the last seat cannot both get it: the second one waits for the lock and
then sees the seat taken.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import roles
from core.editing import EditConflict
from strategy.models import Milestone

from .forms import fingerprint
from .models import (
    ActionItem,
    CalendarFeed,
    Member,
    ParityStandard,
    Registration,
    School,
    SchoolMeasurement,
    Session,
)


class NotAllowed(Exception):
    """The write is not possible in the session's current state."""


@dataclass
class SeatResult:
    registration: Registration | None
    promoted: list[Registration]


def _locked(session_id) -> Session:
    return Session.objects.select_for_update().get(pk=session_id)


def _promote_waiting(session: Session) -> list[Registration]:
    """Fill free seats from the waiting list in the order people joined it (session locked)."""
    confirmed = session.registrations.confirmed().count()
    free = session.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(session.registrations.waiting().in_order()[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration._change_reason = "moved up from the waiting list"
        registration.save(update_fields=["status"])
    return promoted


def join_session(session_id: int, member: Member) -> Registration:
    """Take a seat, or a place on the waiting list when the session is full. Idempotent."""
    with transaction.atomic():
        session = _locked(session_id)
        if session.ends_at <= timezone.now():
            raise NotAllowed(_("This session is over."))
        if not member.is_active_on(timezone.localdate()):
            raise NotAllowed(_("Only active members can join sessions."))
        existing = session.registrations.filter(member=member).first()
        if existing:
            return existing
        confirmed = session.registrations.confirmed().count()
        status = (
            Registration.Status.CONFIRMED
            if confirmed < session.capacity
            else Registration.Status.WAITING
        )
        return Registration.objects.create(session=session, member=member, status=status)


def leave_session(session_id: int, member: Member) -> SeatResult:
    """Give the seat (or waiting-list place) back; the first person waiting moves up."""
    with transaction.atomic():
        session = _locked(session_id)
        if session.ends_at <= timezone.now():
            raise NotAllowed(_("This session is over."))
        registration = session.registrations.filter(member=member).first()
        if registration is None:
            return SeatResult(None, [])
        registration.delete()
        promoted = _promote_waiting(session)
        return SeatResult(registration, promoted)


def release_future_seats(member: Member, after=None) -> list[SeatResult]:
    """Give back the seats and waiting-list places of sessions that start after `after`
    (a moment; default now).

    A person whose membership ends (or who is anonymised) must not keep seats that others are
    waiting for; the first person waiting moves up, as when the person had left themselves."""
    after = max(after or timezone.now(), timezone.now())
    future = Registration.objects.filter(member=member, session__starts_at__gt=after)
    session_ids = list(future.values_list("session_id", flat=True))
    return [leave_session(session_id, member) for session_id in session_ids]


def end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def save_session(form) -> Session:
    """Save a session form (new or edited, version-checked); more seats move people up."""
    with transaction.atomic():
        session = form.save_versioned()
        _promote_waiting(_locked(session.pk))
    return session


def record_attendance(session: Session, present_member_ids) -> None:
    """Set who was there: registered members are marked present or absent, walk-ins added."""
    present = set(present_member_ids)
    with transaction.atomic():
        session = _locked(session.pk)
        if session.starts_at > timezone.now():
            raise NotAllowed(_("Attendance can be recorded once the session has started."))
        registered = {r.member_id: r for r in session.registrations.all()}
        for member_id, registration in registered.items():
            attended = member_id in present
            if registration.attended is not attended:
                registration.attended = attended
                registration.save(update_fields=["attended"])
        for member_id in present - set(registered):
            Registration.objects.create(
                session=session,
                member_id=member_id,
                status=Registration.Status.CONFIRMED,
                attended=True,
                registered_at=timezone.now(),
            )


def next_agenda_position(session: Session) -> int:
    return (session.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def make_milestone(action_item: ActionItem, measure, user) -> Milestone:
    """Turn an action item into a milestone of a strategy measure (once)."""
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=action_item.pk)
        if item.milestone_id:
            raise NotAllowed(_("This action item is already a milestone."))
        if item.due_date is None:
            raise NotAllowed(_("Give the action item a due date first."))
        position = (measure.milestones.aggregate(m=Max("position"))["m"] or 0) + 1
        milestone = Milestone(
            measure=measure,
            title=item.title,
            due_date=item.due_date,
            done_on=item.done_on,
            position=position,
            created_by=user,
        )
        milestone._change_reason = f"from action item of session {item.session_id}"
        milestone.save()
        item.milestone = milestone
        item.save(update_fields=["milestone"])
    return milestone


def regenerate_feed(user) -> CalendarFeed:
    """A new secret feed address; the old one stops working at once."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        return CalendarFeed.objects.create(user=user)


def revoke_feed(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def _unique_username(first_name, last_name):
    User = get_user_model()
    base = slugify(f"{first_name}.{last_name}".replace("ß", "ss"))[:140] or "mitglied"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def save_member(form) -> Member:
    """Save a membership form; a new person gets an account with the role "AG Schule".

    The new account has no usable password yet: the administration sets one or sends a reset.
    Pupils' accounts hold only their name (no e-mail, no phone).
    """
    with transaction.atomic():
        member = form.instance
        if not member.pk and not member.user_id:
            data = form.cleaned_data
            user = get_user_model()(
                username=_unique_username(data["first_name"], data["last_name"]),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data.get("email", ""),
                phone=data.get("phone", ""),
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get_or_create(name=roles.AG_SCHULE)[0])
            member.user = user
        member = form.save_versioned()
        if member.ended_on is not None:
            release_future_seats(member, after=end_of_day(member.ended_on))
        return member


def save_standards(form) -> None:
    """Save the matrix of minimum standards; refuses if someone else changed it meanwhile."""
    with transaction.atomic():
        current = {
            (s.school_type, s.indicator_id): s for s in ParityStandard.objects.select_for_update()
        }
        if form.cleaned_data.get("loaded") != fingerprint(
            {key: s.threshold for key, s in current.items()}
        ):
            raise EditConflict(current)
        for (school_type, indicator_id), threshold in form.values().items():
            existing = current.get((school_type, indicator_id))
            if threshold is None:
                if existing:
                    existing.delete()
            elif existing is None:
                ParityStandard.objects.create(
                    school_type=school_type, indicator_id=indicator_id, threshold=threshold
                )
            elif existing.threshold != threshold:
                existing.threshold = threshold
                existing.save()


def save_measurements(school, school_year, values: dict, loaded=None) -> None:
    """Set a school's indicator values for a school year (None removes a value).

    `loaded` is the fingerprint of the values the form showed; if it no longer matches, someone
    else saved in between and EditConflict is raised.
    """
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        existing = {
            m.indicator_id: m
            for m in SchoolMeasurement.objects.filter(school=school, school_year=school_year)
        }
        if loaded is not None:
            shown = {i: (m.date_value if m.date_value else m.value) for i, m in existing.items()}
            if loaded != fingerprint(shown):
                raise EditConflict(existing)
        for indicator, value in values.items():
            _set_value(school, indicator, school_year, value, existing.get(indicator.pk))


def _set_value(school, indicator, school_year, value, existing):
    if value is None or value == "":
        if existing:
            existing.delete()
        return
    fields = {"date_value": value, "value": None} if indicator.is_date else {"value": value}
    if existing is None:
        SchoolMeasurement.objects.create(
            school=school, indicator=indicator, school_year=school_year, **fields
        )
    elif any(getattr(existing, k) != v for k, v in fields.items()):
        for key, val in fields.items():
            setattr(existing, key, val)
        existing.save()


def import_measurements(rows) -> int:
    """Write parsed CSV rows (all validated) in one transaction; returns the number of values."""
    count = 0
    with transaction.atomic():
        for school, school_year, values in rows:
            existing = {
                m.indicator_id: m
                for m in SchoolMeasurement.objects.filter(school=school, school_year=school_year)
            }
            for indicator, value in values.items():
                # Empty cells leave a value as it is; only given values are written.
                if value is not None:
                    _set_value(school, indicator, school_year, value, existing.get(indicator.pk))
                    count += 1
    return count


# --- data protection -------------------------------------------------------------------------

ANONYMOUS_FIRST_NAME = "Ehemaliges Mitglied"


def holds_other_roles(user) -> bool:
    """Whether the person has a role besides "AG Schule" (their account is needed elsewhere)."""
    return user.groups.exclude(name=roles.AG_SCHULE).exists()


def anonymise_member(member: Member, by_user) -> Member:
    """Remove a working-group member's identifying data; keep every figure and the history.

    The membership rows, registrations, attendance and action items stay, so counts per category,
    attendance figures and the status report do not move. What goes: the organisation (also in
    the membership's recorded history), the calendar feed and, when the person holds no role but
    "AG Schule", the account's name, contact data and log-in (name "Ehemaliges Mitglied #<pk>",
    random user name, deactivated, no usable password). Seats in sessions that have not started
    are given back, so the people waiting move up. A person with other roles (e.g. a
    councillor) keeps the account; the membership ends in both cases. Not reversible.
    """
    if not by_user.has_perm("schools_wg.manage"):
        raise PermissionDenied
    reason = _("anonymised (data protection)")
    today = timezone.localdate()
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        user = member.user
        keep_account = holds_other_roles(user)
        scrubbed = [member]
        if not keep_account:
            # Without the account, each earlier membership would still name the organisation.
            scrubbed += Member.objects.select_for_update().filter(user=user).exclude(pk=member.pk)
        for row in scrubbed:
            row.organisation = ""
            if row.ended_on is None:
                row.ended_on = max(today, row.started_on)
            row.version += 1
            row._change_reason = reason
            row._history_user = by_user
            row.save()
        Member.history.filter(id__in=[row.pk for row in scrubbed]).update(organisation="")
        for row in scrubbed:
            release_future_seats(row)
        CalendarFeed.objects.filter(user=user).delete()
        if not keep_account:
            user.first_name = ANONYMOUS_FIRST_NAME
            user.last_name = f"#{member.pk}"
            user.email = ""
            user.phone = ""
            user.username = f"anonym-{secrets.token_hex(8)}"
            user.is_active = False
            user.set_unusable_password()
            user.save()
    return member
