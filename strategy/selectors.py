"""What other apps (and the report, dashboard, seeding) read of the strategy: import it from here
(docs/architecture.md, "One way for each thing")."""

from .dependents import goals_of, measures_of, milestones_of
from .querysets import CANCELLED, mean_progress, weighted_progress

__all__ = [
    "CANCELLED",
    "goals_of",
    "mean_progress",
    "measures_of",
    "milestones_of",
    "weighted_progress",
]
