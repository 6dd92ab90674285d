from django.apps import AppConfig


class PlauenDigitalConfig(AppConfig):
    name = "plauen_digital"
    verbose_name = "Plauen Digital"

    def ready(self):
        from . import caching

        caching.connect_signals()
        from . import input_limits

        input_limits.install()
