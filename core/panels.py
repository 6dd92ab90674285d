"""Detail panels: sections an app contributes to another app's detail page (settings.DETAIL_PANELS)."""

from django.conf import settings
from django.utils.module_loading import import_string


def detail_panels(page: str, request, obj) -> list[dict]:
    """The panels registered for `page` (e.g. "strategy.measure") that have something to show."""
    panels = (import_string(path)(request, obj) for path in settings.DETAIL_PANELS.get(page, ()))
    return [panel for panel in panels if panel]
