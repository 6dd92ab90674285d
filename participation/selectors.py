"""What other apps (and the report, dashboard) read of council participation: import it from here
(docs/architecture.md, "One way for each thing")."""

from .results import CHOICES, Tally

__all__ = ["CHOICES", "Tally"]
