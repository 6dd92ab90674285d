"""The dashboard's panels and the one data stamp they share.

Each app contributes one panel: a function `(request) -> None | dict`, None when the user may not
see it, else `{"html": ...}` (rendered in full) or `{"template": ..., **context}`.

What the panels show is mostly the same for every reader and changes only with the data (and the
day), so each panel caches its shared part under `caching.request_stamp(request, "dashboard")`: one query over the tables every
panel reads (the registry part "dashboard" in core/caching.py), read once per request. Per-user and
time-of-day parts (own votes, the next session, download links) stay outside those caches.
"""

from django.utils.module_loading import import_string

PANELS = (
    "strategy.dashboard.panel",
    "finance.dashboard.panel",
    "participation.dashboard.panel",
    "schools_wg.dashboard.panel",
    "plauen_digital.reports.dashboard.panel",
)


def panels(request) -> list[dict]:
    """The panels this user sees, in order."""
    return [panel for panel in (import_string(path)(request) for path in PANELS) if panel]
