"""The strategy as a table: export to CSV/XLSX and import of the same file.

An import updates progress, traffic light and dates of existing measures, found by their codes
(field, goal, measure). All rows are checked first; if any is wrong nothing is written and every
error is reported with its row and column. Exporting and importing again changes nothing.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from plauen_digital.input_limits import date_in_range
from plauen_digital.uploads import MAX_COLUMNS, TableRefused, bounded_rows, check_xlsx_archive

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
        ]


@dataclass
class RowError:
    row: int
    column: str
    message: str


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists what is wrong where."""

    def __init__(self, errors):
        super().__init__("import refused")
        self.errors = errors


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


def read_table(upload):
    """(header, rows) from an uploaded CSV or XLSX file; cells as str/number/date.

    Both are read as streams within the limits of plauen_digital/uploads.py: an XLSX's archive
    is measured before openpyxl opens it, and reading stops at the row and column limits."""
    name = upload.name.lower()
    try:
        if name.endswith(".xlsx"):
            rows = _xlsx_rows(upload)
        else:
            rows = _csv_rows(upload)
    except TableRefused as refused:
        raise ImportRefused([RowError(0, "", str(refused))]) from None
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise ImportRefused([RowError(0, "", gettext("The file is empty."))])
    return rows[0], rows[1:]


def _xlsx_rows(upload):
    check_xlsx_archive(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        try:
            sheet = workbook.active
            return list(bounded_rows(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)))
        finally:
            workbook.close()
    except TableRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableRefused(gettext("The file is not a readable XLSX file.")) from exc


def _csv_rows(upload):
    raw = upload.read()
    try:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return list(bounded_rows(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except (UnicodeDecodeError, csv.Error) as exc:  # bytes no code page has, huge fields
        raise TableRefused(gettext("The file is not a readable CSV file.")) from exc


def _text(value):
    if value is None:
        return ""
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        break
    else:
        raise ValueError(gettext("Enter a date such as 15.12.2026."))
    try:
        date_in_range(value)  # the range every date form field has
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


def _parse_progress(value):
    if value in (None, ""):
        raise ValueError(gettext("Enter the progress as a whole number from 0 to 100."))
    try:
        number = float(_text(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        raise ValueError(gettext("Enter the progress as a whole number from 0 to 100.")) from None
    if not number.is_integer() or not 0 <= number <= 100:
        raise ValueError(gettext("Enter the progress as a whole number from 0 to 100."))
    return int(number)


def check_rows(header, rows):
    """Validate every row; returns [(measure, {field: value})] or raises ImportRefused."""
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

    measures = {
        (m.goal.field.code.lower(), m.goal.code.lower(), m.code.lower()): m
        for m in Measure.objects.select_related("goal__field")
    }
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
        planned.append((measure, values))
    if errors:
        raise ImportRefused(errors)
    return planned


def apply_rows(planned):
    """Write the changed measures (with history and a new version); returns how many changed."""
    changed = 0
    with transaction.atomic():
        for measure, values in planned:
            if all(getattr(measure, name) == value for name, value in values.items()):
                continue
            fresh = Measure.objects.select_for_update().get(pk=measure.pk)
            for name, value in values.items():
                setattr(fresh, name, value)
            fresh.version += 1
            fresh._change_reason = gettext("Import")
            fresh.save()
            changed += 1
    return changed
