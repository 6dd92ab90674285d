"""What other apps (and the report, dashboard) read of the school working group: import it from
here (docs/architecture.md, "One way for each thing")."""

from .parity import UNMET
from .summary import faction_representation, members_by_category, parity_overview, sessions_held

__all__ = [
    "UNMET",
    "faction_representation",
    "members_by_category",
    "parity_overview",
    "sessions_held",
]
