"""What the strategy holds about a person (settings.PERSONAL_DATA_PROVIDERS): whether a secret
address of the deadline calendar exists (its token is a credential and is never shown here)."""

from django.utils.translation import gettext as _

from accounts.personal_data import iso_instant, yes_no

from .models import DeadlineFeed


def personal_data(user):
    created = DeadlineFeed.objects.filter(user=user).values_list("created_at", flat=True).first()
    return [
        {
            "title": _("Deadline calendar address"),
            "rows": [
                {
                    _("Deadline calendar address set up"): yes_no(created is not None),
                    _("Created at"): iso_instant(created),
                }
            ],
        }
    ]
