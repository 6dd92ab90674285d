"""Writes of the working group: members, sessions and their seats, agenda, action items,
attendance, calendar feeds, minimum standards and school values.

Every write is a function `<entity>_<action>` with keyword-only plain arguments (model instances,
ids, dicts of cleaned values; never forms or requests) that runs in one transaction. A write the
session's state forbids raises `ValidationError` with a German message. Edited objects are saved
with `core.editing.save_changes(..., expected_version=...)` (`EditConflict` when someone saved in
between); the matrices of standards and values compare the fingerprint the form was loaded with.

Seats are counted while the session row is locked (`select_for_update` inside
`transaction.atomic`), so two members racing for the last seat cannot both get it: the second one
waits for the lock and then sees the seat taken.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import roles
from core.editing import EditConflict, save_changes
from core.history import note_change
from strategy.models import Milestone

from .forms import fingerprint
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Member,
    ParityStandard,
    Registration,
    School,
    SchoolMeasurement,
    Session,
)


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
        note_change(registration, reason="moved up from the waiting list")
        registration.save(update_fields=["status"])
    return promoted


# --- seats -----------------------------------------------------------------------------------


def session_join(*, session_id: int, member: Member) -> Registration:
    """Take a seat, or a place on the waiting list when the session is full. Idempotent."""
    with transaction.atomic():
        session = _locked(session_id)
        if session.ends_at <= timezone.now():
            raise ValidationError(_("This session is over."))
        if not member.is_active_on(timezone.localdate()):
            raise ValidationError(_("Only active members can join sessions."))
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


def session_leave(*, session_id: int, member: Member) -> SeatResult:
    """Give the seat (or waiting-list place) back; the first person waiting moves up."""
    with transaction.atomic():
        session = _locked(session_id)
        if session.ends_at <= timezone.now():
            raise ValidationError(_("This session is over."))
        registration = session.registrations.filter(member=member).first()
        if registration is None:
            return SeatResult(None, [])
        registration.delete()
        promoted = _promote_waiting(session)
        return SeatResult(registration, promoted)


def _release_future_seats(member: Member, after=None) -> list[SeatResult]:
    """Give back the seats and waiting-list places of sessions that start after `after`
    (a moment; default now).

    A person whose membership ends (or who is anonymised) must not keep seats that others are
    waiting for; the first person waiting moves up, as when the person had left themselves."""
    after = max(after or timezone.now(), timezone.now())
    future = Registration.objects.filter(member=member, session__starts_at__gt=after)
    session_ids = list(future.values_list("session_id", flat=True))
    return [session_leave(session_id=session_id, member=member) for session_id in session_ids]


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


# --- sessions --------------------------------------------------------------------------------


def session_create(*, data: dict) -> Session:
    """A new session from the form's values."""
    return save_changes(Session(), data, expected_version=None)


def session_update(*, session: Session, data: dict, expected_version) -> Session:
    """Save an edited session (version-checked); more seats move people up."""
    with transaction.atomic():
        session = save_changes(session, data, expected_version=expected_version)
        _promote_waiting(_locked(session.pk))
    return session


def minutes_save(*, session: Session, data: dict, expected_version) -> Session:
    """Save a session's minutes and decisions (version-checked)."""
    return save_changes(session, data, expected_version=expected_version)


def attendance_record(*, session: Session, present_member_ids) -> None:
    """Set who was there: registered members are marked present or absent, walk-ins added."""
    present = set(present_member_ids)
    with transaction.atomic():
        session = _locked(session.pk)
        if session.starts_at > timezone.now():
            raise ValidationError(_("Attendance can be recorded once the session has started."))
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


# --- agenda and action items -----------------------------------------------------------------


def agenda_item_add(*, session: Session, data: dict) -> AgendaItem:
    """A new agenda item at the end of the session's agenda."""
    with transaction.atomic():
        _locked(session.pk)  # two items added at once get different positions
        position = (session.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
        return AgendaItem.objects.create(session=session, position=position, **data)


def agenda_item_delete(*, item: AgendaItem) -> None:
    item.delete()


def action_item_add(*, session: Session, data: dict) -> ActionItem:
    return ActionItem.objects.create(session=session, **data)


def action_item_mark_done(*, item: ActionItem, done: bool) -> ActionItem:
    """Done today (`done`), or open again."""
    item.done_on = timezone.localdate() if done else None
    item.save(update_fields=["done_on"])
    return item


def action_item_link_milestone(*, item: ActionItem, measure, actor) -> Milestone:
    """Turn an action item into a milestone of a strategy measure (once)."""
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.milestone_id:
            raise ValidationError(_("This action item is already a milestone."))
        if item.due_date is None:
            raise ValidationError(_("Give the action item a due date first."))
        position = (measure.milestones.aggregate(m=Max("position"))["m"] or 0) + 1
        milestone = Milestone(
            measure=measure,
            title=item.title,
            due_date=item.due_date,
            done_on=item.done_on,
            position=position,
            created_by=actor,
        )
        note_change(milestone, reason=f"from action item of session {item.session_id}")
        milestone.save()
        item.milestone = milestone
        item.save(update_fields=["milestone"])
    return milestone


# --- members ---------------------------------------------------------------------------------


def _unique_username(first_name, last_name):
    User = get_user_model()
    base = slugify(f"{first_name}.{last_name}".replace("ß", "ss"))[:140] or "mitglied"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def member_save(*, member: Member, data: dict, expected_version, new_person=None) -> Member:
    """Save a membership (new or edited, version-checked). `new_person` ({first_name,
    last_name, email, phone}) makes an account with the role "AG Schule" for a new member
    without one.

    The new account has no usable password yet: the administration sets one or sends a reset.
    Pupils' accounts hold only their name (no e-mail, no phone). A membership that ends gives
    back the seats of sessions after its last day.
    """
    with transaction.atomic():
        if not member.pk and not data.get("user") and not member.user_id:
            user = get_user_model()(
                username=_unique_username(new_person["first_name"], new_person["last_name"]),
                first_name=new_person["first_name"],
                last_name=new_person["last_name"],
                email=new_person.get("email", ""),
                phone=new_person.get("phone", ""),
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get_or_create(name=roles.AG_SCHULE)[0])
            data = {**data, "user": user}
        member = save_changes(member, data, expected_version=expected_version)
        if member.ended_on is not None:
            _release_future_seats(member, after=_end_of_day(member.ended_on))
        return member


# --- standards and values --------------------------------------------------------------------


def standards_update(*, values: dict, loaded: str) -> None:
    """Save the matrix of minimum standards ({(school_type, indicator_id): threshold or None});
    refuses with EditConflict if it no longer has the fingerprint `loaded` the form showed."""
    with transaction.atomic():
        current = {
            (s.school_type, s.indicator_id): s for s in ParityStandard.objects.select_for_update()
        }
        if loaded != fingerprint({key: s.threshold for key, s in current.items()}):
            raise EditConflict(current)
        for (school_type, indicator_id), threshold in values.items():
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


def measurements_save(*, school: School, school_year: str, values: dict, loaded=None) -> None:
    """Set a school's indicator values for a school year ({Indicator: value}; None removes a
    value).

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


def measurements_import(*, rows) -> int:
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


def member_anonymise(*, member: Member, actor) -> Member:
    """Remove a working-group member's identifying data; keep every figure and the history.

    The membership rows, registrations, attendance and action items stay, so counts per category,
    attendance figures and the status report do not move. What goes: the organisation (also in
    the membership's recorded history), the calendar feed and, when the person holds no role but
    "AG Schule", the account's name, contact data and log-in (name "Ehemaliges Mitglied #<pk>",
    random user name, deactivated, no usable password). Seats in sessions that have not started
    are given back, so the people waiting move up. A person with other roles (e.g. a
    councillor) keeps the account; the membership ends in both cases. Not reversible.
    """
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
            note_change(row, reason=reason, user=actor)
            row.save()
        Member.history.filter(id__in=[row.pk for row in scrubbed]).update(organisation="")
        for row in scrubbed:
            _release_future_seats(row)
        CalendarFeed.revoke(user)
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
