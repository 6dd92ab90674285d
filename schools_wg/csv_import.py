"""Reading indicator values from CSV: all rows are checked before anything is written.

Format (as German spreadsheets write it): semicolon-separated, UTF-8 (with or without BOM),
first row `school;school_year;<indicator code>;…` (German headers `Schule;Schuljahr` work too),
one row per school and school year. Numbers are German (4,5 · 1.234,5), dates 31.12.2025 or
2025-12-31, empty cells leave the stored value unchanged. An optional last column `Stand`
(written by the export) holds the row's state when it was exported; the import
(core.imports: preview, conflicts, take-over, all or nothing) uses it to refuse rows
changed since.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.history import display_value
from core.imports import (
    DateOutOfRange,
    FieldChange,
    ImportRefused,
    RowError,
    RowPlan,
    parse_date,
    parse_decimal,
)
from core.uploads import MAX_COLUMNS

from .forms import fingerprint
from .models import Indicator, School, SchoolMeasurement, validate_school_year

MAX_ROWS = 2000
SCHOOL_HEADERS = {"school", "schule"}
YEAR_HEADERS = {"school_year", "schuljahr"}
VERSION_HEADERS = {"stand", "version"}
VERSION_HEADER = "Stand"


@dataclass
class ParseResult:
    rows: list  # (row number, school, school_year, {indicator: value}, version in the file)
    errors: list[RowError]


def _number(text):
    value = parse_decimal(text)
    if value < 0 or abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def parse(content: bytes) -> ParseResult:
    errors: list[RowError] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParseResult([], [RowError(1, "", _("The file is not UTF-8 encoded."))])
    if "\x00" in text:
        return ParseResult([], [RowError(1, "", _("The file is not a text file."))])
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return ParseResult([], [RowError(1, "", _("The file is empty."))])
    except csv.Error:
        return ParseResult([], [RowError(1, "", _("The file cannot be read as CSV."))])
    if len(header) > MAX_COLUMNS:
        return ParseResult(
            [], [RowError(1, "", _("At most %(max)s columns.") % {"max": MAX_COLUMNS})]
        )
    lowered = [h.lower() for h in header]
    if len(header) < 3 or lowered[0] not in SCHOOL_HEADERS or lowered[1] not in YEAR_HEADERS:
        return ParseResult(
            [],
            [
                RowError(
                    1,
                    "",
                    _("The first row must start with school;school_year and name indicators."),
                )
            ],
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    schools = {s.name.casefold(): s for s in School.objects.all()}
    columns = []
    version_at = None
    for position, name in enumerate(header[2:], start=2):
        if name.lower() in VERSION_HEADERS and version_at is None:
            version_at = position
            columns.append((name, None))
            continue
        if name not in indicators:
            errors.append(RowError(1, name, _("Unknown indicator code.")))
        if name in [c for c, _i in columns]:
            errors.append(RowError(1, name, _("This column appears twice.")))
        columns.append((name, indicators.get(name)))
    rows = []
    seen = {}
    try:
        for number, record in enumerate(reader, start=2):
            if number > MAX_ROWS + 1:
                errors.append(
                    RowError(number, "", _("Too many rows: at most %(max)s.") % {"max": MAX_ROWS})
                )
                break
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                errors.append(
                    RowError(
                        number,
                        "",
                        _("Expected %(expected)s columns, found %(found)s.")
                        % {"expected": len(header), "found": len(record)},
                    )
                )
                continue
            school = schools.get(record[0].strip().casefold())
            if school is None:
                errors.append(RowError(number, header[0], _("Unknown school.")))
            year = record[1].strip()
            try:
                validate_school_year(year)
            except ValidationError:
                errors.append(RowError(number, header[1], _("Enter a school year like 2025/26.")))
                year = None
            if school and year:
                if (school.pk, year) in seen:
                    errors.append(
                        RowError(
                            number,
                            header[0],
                            _("This school and school year already appear in row %(row)s.")
                            % {"row": seen[(school.pk, year)]},
                        )
                    )
                seen[(school.pk, year)] = number
            values = {}
            version = record[version_at].strip() if version_at is not None else ""
            for (name, indicator), cell in zip(columns, record[2:], strict=True):
                cell = cell.strip()
                if indicator is None or not cell:
                    continue
                try:
                    values[indicator] = parse_date(cell) if indicator.is_date else _number(cell)
                except DateOutOfRange as out_of_range:
                    errors.append(RowError(number, name, str(out_of_range)))
                except ValueError:
                    message = (
                        _("Enter a date like 31.12.2025.")
                        if indicator.is_date
                        else _("Enter a number of at least 0, e.g. 4,5.")
                    )
                    errors.append(RowError(number, name, message))
            rows.append((number, school, year, values, version))
    except csv.Error:
        errors.append(RowError(reader.line_num, "", _("The file cannot be read as CSV.")))
    if not errors and not rows:
        errors.append(RowError(2, "", _("The file contains no values.")))
    return ParseResult([] if errors else rows, errors)


def current_values(measurements) -> dict:
    """{indicator id: value or date} of one school and year, as the values form shows them."""
    return {m.indicator_id: (m.date_value if m.date_value else m.value) for m in measurements}


class ParityImporter:
    """Indicator values from CSV as an import for core.imports."""

    kind = "schools_wg.values"

    def plan(self, content, filename, lock=False):
        result = parse(content)
        if result.errors:
            raise ImportRefused(result.errors)
        school_ids = {school.pk for _n, school, _y, _v, _s in result.rows}
        if lock:  # as the values form does: the school's row guards its values
            list(School.objects.select_for_update().filter(pk__in=school_ids).order_by("pk"))
        stored = {}
        for m in SchoolMeasurement.objects.filter(school_id__in=school_ids):
            stored.setdefault((m.school_id, m.school_year), []).append(m)
        value_field = SchoolMeasurement._meta.get_field("value")
        date_field = SchoolMeasurement._meta.get_field("date_value")
        plans = []
        for number, school, year, values, version in result.rows:
            current = current_values(stored.get((school.pk, year), []))
            changes = []
            for indicator, value in values.items():
                before = current.get(indicator.pk)
                if before != value:
                    shown = date_field if indicator.is_date else value_field
                    changes.append(
                        FieldChange(
                            str(indicator),
                            display_value(before, shown),
                            display_value(value, shown),
                        )
                    )
            plans.append(
                RowPlan(
                    row=number,
                    key=f"school:{school.pk}:{year}",
                    label=f"{school} {year}",
                    seen=fingerprint(current),
                    exported=version,
                    changes=changes,
                    payload=(school, year, values),
                    url=school.get_absolute_url(),
                    conflict_free_when_new=not current,
                )
            )
        return plans

    def apply(self, rows):
        from .services import measurements_import

        measurements_import(rows=[row.payload for row in rows])


def export_rows():
    """(header, rows) of every school and school year with values, with each row's state."""
    indicators = list(Indicator.objects.all())
    by_row = {}
    for m in SchoolMeasurement.objects.select_related("school").order_by("school__name"):
        by_row.setdefault((m.school.name, m.school_year), []).append(m)
    header = ["Schule", "Schuljahr", *(i.code for i in indicators), VERSION_HEADER]
    rows = []
    for (name, year), measurements in sorted(by_row.items()):
        current = current_values(measurements)
        rows.append([name, year, *(current.get(i.pk) for i in indicators), fingerprint(current)])
    return header, rows
