"""The writes of the finance app: `<entity>_<action>(*, ...)` for cost items, funding sources,
budget lines and the plan period (create, update, delete). The plan itself is a read:
finance/selectors.py.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from core.editing import save_changes
from core.history import note_change

from .models import BudgetLine, CostItem, FundingSource, PlanPeriod

# --- Writes ------------------------------------------------------------------------------------
# One function per entity and action, keyword-only plain arguments: `data` is a dict of cleaned
# values (`VersionedForm.changes()`), `expected_version` the version the user edited
# (`VersionedForm.expected_version()`); an edit raises core.editing.EditConflict when someone
# saved in between. Permissions are the views' business.


def cost_item_create(*, data: dict) -> CostItem:
    return save_changes(CostItem(), data, expected_version=None)


def cost_item_update(*, item: CostItem, data: dict, expected_version: int | None) -> CostItem:
    return save_changes(item, data, expected_version=expected_version)


def cost_item_delete(*, item: CostItem) -> None:
    """Delete a cost item. It first leaves every programme's selection, one by one with a
    reason, so each programme's history says which deletion changed it and who made it (its
    scope stays "only the selected ones": an emptied selection funds nothing)."""
    with transaction.atomic():
        reason = gettext("Cost item „%(item)s“ deleted") % {"item": item.title}
        for source in FundingSource.objects.select_for_update().filter(items=item):
            note_change(source, reason=reason)
            source.items.remove(item)
            source.version += 1  # an open edit form of the programme notices
            source.save(update_fields=["version"])
        item.delete()


def funding_source_create(*, data: dict) -> FundingSource:
    return save_changes(FundingSource(), data, expected_version=None)


def funding_source_update(
    *, source: FundingSource, data: dict, expected_version: int | None
) -> FundingSource:
    return save_changes(source, data, expected_version=expected_version)


def funding_source_delete(*, source: FundingSource) -> None:
    source.delete()


def budget_line_create(*, data: dict) -> BudgetLine:
    return save_changes(BudgetLine(), data, expected_version=None)


def budget_line_update(*, line: BudgetLine, data: dict, expected_version: int | None) -> BudgetLine:
    return save_changes(line, data, expected_version=expected_version)


def budget_line_delete(*, line: BudgetLine) -> None:
    line.delete()


def plan_period_update(
    *, period: PlanPeriod, data: dict, expected_version: int | None
) -> PlanPeriod:
    """Store the plan period (there is one row; `period` unsaved creates it)."""
    return save_changes(period, data, expected_version=expected_version)
