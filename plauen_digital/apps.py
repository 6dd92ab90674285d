from django.apps import AppConfig


class PlauenDigitalConfig(AppConfig):
    """The top layer: settings, URLs, dashboard, "Letzte Änderungen" and the seeding commands."""

    name = "plauen_digital"
    verbose_name = "Plauen Digital"
