"""CSV and XLSX downloads with German headers, safe against spreadsheet formula injection."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Prefix text that a spreadsheet would execute with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return neutralise(str(value))


def csv_bytes(headers, rows) -> bytes:
    """CSV as German spreadsheets expect it: semicolon, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers, rows, sheet_title="Daten", number_formats=None) -> bytes:
    """An XLSX workbook; numbers are real numeric cells, text is neutralised.

    number_formats maps a column index to an Excel format, e.g. {3: '#,##0 "€"'}; Excel shows it
    with the reader's locale separators (1.234 € in German).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for index, fmt in (number_formats or {}).items():
        for cell in sheet.iter_cols(min_col=index + 1, max_col=index + 1, min_row=2):
            for c in cell:
                c.number_format = fmt
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(60, len(str(header)) + 4)
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename, headers, rows):
    return download(csv_bytes(headers, rows), filename, "text/csv; charset=utf-8")


def xlsx_response(filename, headers, rows, **kwargs):
    return download(xlsx_bytes(headers, rows, **kwargs), filename, XLSX_MIME)
