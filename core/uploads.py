"""Limits of uploaded tables, checked before a parser sees the content.

An XLSX file is a zip archive: 300 kB can unpack to gigabytes (a "zip bomb"), and openpyxl
would build all of it in memory. So the archive's directory (the sizes its members claim) is read
first with zipfile, and reading stops as soon as a row or column limit is passed. The sizes in the
directory are what zipfile decompresses at most (it stops a member that unpacks to more than it
claims), so checking them bounds the work.
"""

import zipfile

from django.utils.translation import gettext as _

# An export of 1 200 measures unpacks to about 1 MB; twenty times that is no real strategy.
MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_XLSX_MEMBERS = 100
MAX_ROWS = 10_000
MAX_COLUMNS = 60


class TableRefused(ValueError):
    """The upload is refused before parsing; the message is German and shown beside the field."""


def check_xlsx_archive(upload) -> None:
    """Refuse an XLSX whose members unpack to more than the limit (or that is no zip at all)."""
    position = upload.tell()
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TableRefused(_("The file is not a readable XLSX file.")) from None
    finally:
        upload.seek(position)
    if len(members) > MAX_XLSX_MEMBERS:
        raise TableRefused(_("The file is not a readable XLSX file."))
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TableRefused(
            _("The file unpacks to more than %(size)s MB; it cannot be a table exported here.")
            % {"size": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def bounded_rows(rows):
    """The rows (lists of cells) of a streaming reader, refused past MAX_ROWS or MAX_COLUMNS."""
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise TableRefused(
                _("The file has more than %(rows)s rows.")
                % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        row = list(row)
        if len(row) > MAX_COLUMNS and any(cell not in (None, "") for cell in row[MAX_COLUMNS:]):
            raise TableRefused(
                _("Row %(row)s has more than %(columns)s columns.")
                % {"row": number, "columns": MAX_COLUMNS}
            )
        yield row[:MAX_COLUMNS]
