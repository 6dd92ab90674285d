"""What other apps (and the report, dashboard, seeding, benchmarks) read of the funding plan:
import it from here (docs/architecture.md, "One way for each thing")."""

from .adapter import (
    ITEM_FIELDS,
    SOURCE_FIELDS,
    build_inputs,
    item_row,
    load_inputs,
    plan_years,
    source_row,
)
from .scenario import CATEGORIES
from .services import plan_for

__all__ = [
    "CATEGORIES",
    "ITEM_FIELDS",
    "SOURCE_FIELDS",
    "build_inputs",
    "item_row",
    "load_inputs",
    "plan_for",
    "plan_years",
    "source_row",
]
