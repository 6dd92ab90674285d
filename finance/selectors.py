"""What other apps (and the report, dashboard, seeding, benchmarks) read of the funding plan:
import it from here (docs/architecture.md, "One way for each thing")."""

from .adapter import build_inputs, load_inputs, plan_years
from .scenario import CATEGORIES
from .services import plan_for

__all__ = ["CATEGORIES", "build_inputs", "load_inputs", "plan_for", "plan_years"]
