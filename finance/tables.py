"""The plan as a table (years as columns) and the exports of the plan and the cost items."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import CostItem
from .scenario import CATEGORIES

EURO_FORMAT = '#,##0 "€"'
EURO_CENTS_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0.0"


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    values: list
    total: object
    kind: str = "money"  # money | percent
    level: int = 0  # 1: a detail row (indented)


def plan_table(fp):
    """Rows of the plan table: one per figure, one column per year plus the total."""
    rows = fp.rows
    table = [
        TableRow(
            "cost_once",
            _("One-off costs (investments)"),
            [r.cost_once for r in rows],
            fp.total("cost_once"),
            level=1,
        ),
        TableRow(
            "cost_annual",
            _("Recurring costs"),
            [r.cost_annual for r in rows],
            fp.total("cost_annual"),
            level=1,
        ),
        TableRow("cost", _("Total cost"), [r.cost for r in rows], fp.total("cost")),
    ]
    for source in fp.sources:
        table.append(
            TableRow(
                f"grant:{source.key}",
                _("Grant: %(source)s") % {"source": source.title},
                [r.grants.get(source.key, 0) for r in rows],
                fp.grant_total(source.key),
                level=1,
            )
        )
    table += [
        TableRow(
            "grants_total",
            _("Grants in total"),
            [r.grants_total for r in rows],
            fp.total("grants_total"),
        ),
        TableRow(
            "own_required", _("Own share"), [r.own_required for r in rows], fp.total("own_required")
        ),
        TableRow("budgeted", _("Budgeted"), [r.budgeted for r in rows], fp.total("budgeted")),
        TableRow("gap", _("Funding gap"), [r.gap for r in rows], fp.total("gap")),
        TableRow(
            "coverage_pct",
            _("Coverage (%)"),
            [r.coverage_pct for r in rows],
            fp.coverage_pct,
            kind="percent",
        ),
    ]
    return {"years": [r.year for r in rows], "rows": table}


def plan_export(fp):
    """(headers, rows, XLSX number formats) of the plan: one row per year."""
    headers = [_("Year"), _("One-off costs (€)"), _("Recurring costs (€)"), _("Total cost (€)")]
    headers += [_("Grant: %(source)s (€)") % {"source": s.title} for s in fp.sources]
    headers += [
        _("Grants in total (€)"),
        _("Own share (€)"),
        _("Budgeted (€)"),
        _("Funding gap (€)"),
        _("Coverage (%)"),
    ]
    data = []
    for r in fp.rows:
        data.append(
            [r.year, r.cost_once, r.cost_annual, r.cost]
            + [r.grants.get(s.key, 0) for s in fp.sources]
            + [r.grants_total, r.own_required, r.budgeted, r.gap, r.coverage_pct]
        )
    formats = {index: EURO_FORMAT for index in range(1, len(headers) - 1)}
    formats[len(headers) - 1] = PERCENT_FORMAT
    return headers, data, formats


def items_export():
    """(headers, rows, XLSX number formats) of all cost items."""
    headers = [
        _("Key"),
        _("Title"),
        _("Measure"),
        _("School"),
        _("Category"),
        _("Budget type"),
        _("Amount (€)"),
        _("Recurrence"),
        _("Start year"),
        _("End year"),
        _("Useful life (years)"),
        _("Replaced"),
        _("Yearly price increase (%)"),
        _("Notes"),
    ]
    rows = []
    for item in CostItem.objects.for_list().order_by("measure__code", "key"):
        rows.append(
            [
                item.key,
                item.title,
                str(item.measure),
                item.school.name if item.school else "",
                CATEGORIES.get(item.category, item.category),
                item.get_kind_display(),
                item.amount,
                item.get_recurrence_display(),
                item.start_year,
                item.end_year,
                item.useful_life,
                _("yes") if item.replace else _("no"),
                item.escalation_pct,
                item.notes,
            ]
        )
    return headers, rows, {6: EURO_CENTS_FORMAT, 12: "0.0##"}
