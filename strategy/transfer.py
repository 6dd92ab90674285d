"""The strategy as a table: export to CSV/XLSX and import of the same file.

An import updates progress, traffic light and dates of existing measures, found by their codes
(field, goal, measure). All rows are checked first; if any is wrong nothing is written and every
error is reported with its row and column. Exporting and importing again changes nothing.
Each row carries the measure's version, so the import (core.imports: preview,
conflicts, take-over, all or nothing) sees which measures changed after the export.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import display_value, note_change
from core.imports import (
    DateOutOfRange,
    FieldChange,
    ImportRefused,
    RowError,
    RowPlan,
    parse_date,
    parse_decimal,
    read_csv,
    read_xlsx,
)

from .models import Measure

# (key, header msgid, importable)
COLUMNS = [
    ("field_code", _("Field of action"), False),
    ("goal_code", _("Goal"), False),
    ("code", _("Measure"), False),
    ("title", _("Title"), False),
    ("lead_unit", _("Lead unit"), False),
    ("priority", _("Priority"), False),
    ("lifecycle", _("Lifecycle"), False),
    ("traffic_light", _("Traffic light"), True),
    ("progress", _("Progress (%)"), True),
    ("planned_start", _("Planned start"), True),
    ("planned_end", _("Planned end"), True),
    ("actual_start", _("Actual start"), True),
    ("actual_end", _("Actual end"), True),
    ("version", _("Version"), False),
]
KEY_COLUMNS = ("field_code", "goal_code", "code")
DATE_COLUMNS = ("planned_start", "planned_end", "actual_start", "actual_end")
IMPORTED = [key for key, _label, importable in COLUMNS if importable]


def headers():
    return [str(label) for _key, label, _imp in COLUMNS]


def export_rows():
    """One row per measure, in tree order (one query)."""
    lifecycle = dict(Measure.Lifecycle.choices)
    light = dict(Measure.TrafficLight.choices)
    priority = dict(Measure.Priority.choices)
    for m in Measure.objects.with_context().order_by(
        "goal__field__position", "goal__field__code", "goal__position", "goal__code", "position"
    ):
        yield [
            m.goal.field.code,
            m.goal.code,
            m.code,
            m.title,
            m.lead_unit.name if m.lead_unit else "",
            str(priority[m.priority]),
            str(lifecycle[m.lifecycle]),
            str(light[m.traffic_light]),
            m.progress,
            m.planned_start,
            m.planned_end,
            m.actual_start,
            m.actual_end,
            m.version,
        ]


def _header_map():
    """Header text (German or English, case-insensitive) → column key."""
    mapping = {}
    for language in ("de", "en"):
        with translation.override(language):
            for key, label, _imp in COLUMNS:
                mapping[str(label).strip().lower()] = key
    return mapping


def _choice_map(choices):
    mapping = {}
    for language in ("de", "en"):
        with translation.override(language):
            for value, label in choices:
                mapping[str(label).lower()] = value
                mapping[value.lower()] = value
    return mapping


def read_table(content: bytes, filename: str):
    """(header, rows) from the bytes of a CSV or XLSX file; cells as str/number/date."""
    rows = read_xlsx(content) if filename.lower().endswith(".xlsx") else read_csv(content)
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise ImportRefused([RowError(0, "", gettext("The file is empty."))])
    return rows[0], rows[1:]


def _text(value):
    if value is None:
        return ""
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text


def _parse_date(value):
    if value in (None, ""):
        return None
    try:
        return parse_date(_text(value) if isinstance(value, str) else value)
    except DateOutOfRange:
        raise
    except ValueError:
        raise ValueError(gettext("Enter a date such as 15.12.2026.")) from None


def _parse_progress(value):
    message = gettext("Enter the progress as a whole number from 0 to 100.")
    if value in (None, ""):
        raise ValueError(message)
    try:
        number = parse_decimal(_text(value) if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(message) from None
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise ValueError(message)
    return int(number)


def check_rows(header, rows, lock=False):
    """Validate every row; returns [(row number, measure, {field: value}, version in the file)]
    or raises ImportRefused. `lock` locks the measures (for the confirmation)."""
    labels = {key: str(label) for key, label, _imp in COLUMNS}
    mapping = _header_map()
    index = {}
    errors = []
    for i, cell in enumerate(header):
        key = mapping.get(_text(cell).lower())
        if key:
            index[key] = i
    for key in (*KEY_COLUMNS, *IMPORTED):
        if key not in index:
            errors.append(RowError(1, labels[key], gettext("This column is missing.")))
    if errors:
        raise ImportRefused(errors)

    found = Measure.objects.select_related("goal__field")
    if lock:
        found = found.select_for_update(of=("self",))
    measures = {(m.goal.field.code.lower(), m.goal.code.lower(), m.code.lower()): m for m in found}
    lights = _choice_map(Measure.TrafficLight.choices)
    planned, seen = [], set()
    for row_number, row in enumerate(rows, start=2):
        cells = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
        key = tuple(_text(cells[k]).lower() for k in KEY_COLUMNS)
        measure = measures.get(key)
        if measure is None:
            errors.append(
                RowError(row_number, labels["code"], gettext("No measure with these codes exists."))
            )
            continue
        if key in seen:
            errors.append(
                RowError(
                    row_number, labels["code"], gettext("This measure appears more than once.")
                )
            )
            continue
        seen.add(key)
        values = {}
        light = _text(cells["traffic_light"]).lower()
        if light in lights:
            values["traffic_light"] = lights[light]
        else:
            errors.append(
                RowError(
                    row_number,
                    labels["traffic_light"],
                    gettext("Unknown traffic light; use one of: %(choices)s.")
                    % {"choices": ", ".join(str(c[1]) for c in Measure.TrafficLight.choices)},
                )
            )
        try:
            values["progress"] = _parse_progress(cells["progress"])
        except ValueError as exc:
            errors.append(RowError(row_number, labels["progress"], str(exc)))
        for column in DATE_COLUMNS:
            try:
                values[column] = _parse_date(cells[column])
            except ValueError as exc:
                errors.append(RowError(row_number, labels[column], str(exc)))
        if set(values) != set(IMPORTED):
            continue
        candidate = Measure(
            **{f.attname: getattr(measure, f.attname) for f in Measure._meta.concrete_fields}
        )
        for name, value in values.items():
            setattr(candidate, name, value)
        try:
            candidate.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(row_number, labels.get(name, name), message))
            continue
        version = _text(cells["version"]) if "version" in cells else ""
        planned.append((row_number, measure, values, version))
    if errors:
        raise ImportRefused(errors)
    return planned


def apply_rows(planned):
    """Write the changed measures (with history and a new version); returns how many changed.

    `planned` is [(measure, values)] of measures locked by the caller's transaction."""
    changed = 0
    with transaction.atomic():
        for measure, values in planned:
            if all(getattr(measure, name) == value for name, value in values.items()):
                continue
            fresh = Measure.objects.select_for_update().get(pk=measure.pk)
            for name, value in values.items():
                setattr(fresh, name, value)
            fresh.version += 1
            note_change(fresh, reason=gettext("Import"))
            fresh.save()
            changed += 1
    return changed


class MeasureImporter:
    """The strategy table as an import for core.imports."""

    kind = "strategy.measures"

    def plan(self, content, filename, lock=False):
        header, rows = read_table(content, filename)
        plans = []
        for row_number, measure, values, version in check_rows(header, rows, lock=lock):
            changes = []
            for name, value in values.items():
                current = getattr(measure, name)
                if current != value:
                    model_field = Measure._meta.get_field(name)
                    changes.append(
                        FieldChange(
                            str(model_field.verbose_name),
                            display_value(current, model_field),
                            display_value(value, model_field),
                        )
                    )
            plans.append(
                RowPlan(
                    row=row_number,
                    key=f"measure:{measure.pk}",
                    label=str(measure),
                    seen=str(measure.version),
                    exported=version,
                    changes=changes,
                    payload=(measure, values),
                    url=measure.get_absolute_url(),
                )
            )
        return plans

    def apply(self, rows):
        apply_rows([row.payload for row in rows])
