from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsWgConfig(AppConfig):
    name = "schools_wg"
    verbose_name = _("School working group")
