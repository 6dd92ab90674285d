"""Personal data of the school working group (settings.PERSONAL_DATA_PROVIDERS).

Memberships, session registrations with attendance, whether a personal calendar feed exists (its
secret address is never shown here) and the action items the person is responsible for. A
constant number of queries per person.
"""

from django.utils.translation import gettext as _

from accounts.personal_data import iso_day, iso_instant, yes_no

from .models import ActionItem, CalendarFeed, Member, Registration


def _attendance(registration):
    if registration.attended is None:
        return _("not recorded")
    return _("present") if registration.attended else _("absent")


def memberships_section(user):
    members = (
        Member.objects.filter(user=user)
        .select_related("school", "faction")
        .order_by("started_on", "pk")
    )
    return {
        "title": _("Working group memberships"),
        "rows": [
            {
                _("Category"): member.get_category_display(),
                _("Organisation"): member.organisation,
                _("School"): member.school.name if member.school else None,
                _("Faction"): member.faction.short_name if member.faction else None,
                _("Member from"): iso_day(member.started_on),
                _("Member until"): iso_day(member.ended_on),
            }
            for member in members
        ],
    }


def registrations_section(user):
    registrations = (
        Registration.objects.filter(member__user=user)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    return {
        "title": _("Your registrations for sessions"),
        "rows": [
            {
                _("Session"): registration.session.title,
                _("Starts at"): iso_instant(registration.session.starts_at),
                _("Status"): registration.get_status_display(),
                _("Registered at"): iso_instant(registration.registered_at),
                _("Attendance"): _attendance(registration),
            }
            for registration in registrations
        ],
    }


def calendar_feed_section(user):
    created = CalendarFeed.objects.filter(user=user).values_list("created_at", flat=True).first()
    return {
        "title": _("Personal calendar feed"),
        "rows": [
            {
                _("Personal calendar feed set up"): yes_no(created is not None),
                _("Created at"): iso_instant(created),
            }
        ],
    }


def action_items_section(user):
    items = (
        ActionItem.objects.filter(owner__user=user)
        .select_related("session")
        .order_by("due_date", "pk")
    )
    return {
        "title": _("Action items you are responsible for"),
        "rows": [
            {
                _("Action item"): item.title,
                _("Session"): item.session.title,
                _("Due date"): iso_day(item.due_date),
                _("Done on"): iso_day(item.done_on),
            }
            for item in items
        ],
    }


def personal_data(user):
    return [
        memberships_section(user),
        registrations_section(user),
        calendar_feed_section(user),
        action_items_section(user),
    ]
