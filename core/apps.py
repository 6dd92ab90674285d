from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared mechanisms every app builds on (docs/architecture.md, "Layers")."""

    name = "core"
    verbose_name = "Plauen Digital (Kern)"

    def ready(self):
        from . import caching, input_limits

        caching.connect_signals()
        input_limits.install()
