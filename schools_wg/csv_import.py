"""Reading indicator values from CSV: all rows are checked before anything is written.

Format (as German spreadsheets write it): semicolon-separated, UTF-8 (with or without BOM),
first row `school;school_year;<indicator code>;…` (German headers `Schule;Schuljahr` work too),
one row per school and school year. Numbers may use a decimal comma, dates are 31.12.2025 or
2025-12-31, empty cells leave the stored value unchanged.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plauen_digital.input_limits import EARLIEST_DATE, LATEST_DATE
from plauen_digital.uploads import MAX_COLUMNS

from .models import Indicator, School, validate_school_year

MAX_ROWS = 2000
SCHOOL_HEADERS = {"school", "schule"}
YEAR_HEADERS = {"school_year", "schuljahr"}


@dataclass
class RowError:
    row: int  # 1 = the header row
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list  # (school, school_year, {indicator: value})
    errors: list[RowError]


def _number(text):
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite() or value < 0 or abs(value) >= Decimal("1e10"):
        raise InvalidOperation
    return value.quantize(Decimal("0.01"))


def _date(text):
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not EARLIEST_DATE <= value <= LATEST_DATE:  # the range of every date form field
            raise ValueError(text)
        return value
    raise ValueError(text)


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
    for name in header[2:]:
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
            for (name, indicator), cell in zip(columns, record[2:], strict=True):
                cell = cell.strip()
                if indicator is None or not cell:
                    continue
                try:
                    values[indicator] = _date(cell) if indicator.is_date else _number(cell)
                except (InvalidOperation, ValueError):
                    message = (
                        _("Enter a date like 31.12.2025.")
                        if indicator.is_date
                        else _("Enter a number of at least 0, e.g. 4,5.")
                    )
                    errors.append(RowError(number, name, message))
            rows.append((school, year, values))
    except csv.Error:
        errors.append(RowError(reader.line_num, "", _("The file cannot be read as CSV.")))
    if not errors and not rows:
        errors.append(RowError(2, "", _("The file contains no values.")))
    return ParseResult([] if errors else rows, errors)
