"""What personal data the application holds about a person (GDPR Art. 15 / 20).

Each app contributes a provider (settings.PERSONAL_DATA_PROVIDERS): a function (user) -> list of
sections, each {"title": str, "rows": [{"label": value, ...}, ...]} with JSON-serialisable values.
Dates and instants are given as ISO 8601 strings (instants in local time, with the offset) for the
JSON export; the strings remember the date or instant they stand for (`IsoValue.value`), so the page
shows them the German way (15.12.2026, 15.12.2026, 18:00 Uhr) through `for_display`.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import Count, IntegerField, Value
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class IsoValue(str):
    """An ISO 8601 string (what the JSON export writes) that keeps the date or datetime."""

    value = None

    def __new__(cls, text, value):
        string = super().__new__(cls, text)
        string.value = value
        return string


def iso_day(value):
    """A date as "2026-12-15", or None."""
    return IsoValue(value.isoformat(), value) if value else None


def iso_instant(value):
    """An aware datetime in local time as ISO 8601 ("2026-12-15T18:00:00+01:00"), or None."""
    if not value:
        return None
    local = timezone.localtime(value)
    return IsoValue(local.isoformat(timespec="seconds"), local)


def for_display(sections):
    """The sections with dates and instants as date/datetime objects, which templates render in
    the German formats; everything else as collected."""
    return [
        {
            **section,
            "rows": [
                {
                    label: value.value if isinstance(value, IsoValue) else value
                    for label, value in row.items()
                }
                for row in section["rows"]
            ],
        }
        for section in sections
    ]


def yes_no(value: bool) -> str:
    """A yes/no answer as a word, so page and export read the same."""
    return _("yes") if value else _("no")


def account_data(user):
    """The account itself: name, contact data, roles, login times."""
    return [
        {
            "title": _("User account"),
            "rows": [
                {
                    _("User name"): user.username,
                    _("First name"): user.first_name,
                    _("Last name"): user.last_name,
                    _("E-mail"): user.email,
                    _("Phone"): user.phone,
                    _("Roles"): ", ".join(user.role_names),
                    _("Registered on"): iso_instant(user.date_joined),
                    _("Last login"): iso_instant(user.last_login),
                }
            ],
        }
    ]


# The apps whose changes are recorded (django-simple-history) and whose authors are named.
AUDITED_APPS = ("accounts", "strategy", "finance", "participation", "schools_wg", "reports")


def historical_models():
    """Every history table of the audited apps that names the user who made the change."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in AUDITED_APPS or not hasattr(model, "instance_type"):
            continue
        if any(field.name == "history_user" for field in model._meta.fields):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def history_authorship(user):
    """How many recorded changes the person made, per kind of record.

    The history keeps who changed what and when; the entries themselves are the organisation's
    records (the strategy, the finance plan, ...), so only their number is personal data here.
    One query: a count per history table, joined with UNION ALL.
    """
    models_ = historical_models()
    counts = [
        model.objects.filter(history_user_id=user.pk)
        .order_by()
        .values("history_user_id")
        .annotate(kind=Value(index, output_field=IntegerField()), n=Count("pk"))
        .values_list("kind", "n")
        for index, model in enumerate(models_)
    ]
    found = dict(counts[0].union(*counts[1:], all=True)) if counts else {}
    rows = [
        {
            _("Kind of record"): str(model.instance_type._meta.verbose_name_plural),
            _("Changes recorded under your name"): found[index],
        }
        for index, model in enumerate(models_)
        if found.get(index)
    ]
    return [{"title": _("Your changes in the change history"), "rows": rows}]


def collect(user) -> list[dict]:
    sections = []
    for path in settings.PERSONAL_DATA_PROVIDERS:
        sections.extend(import_string(path)(user))
    return sections
