"""Imports are edits, with the same protection as the forms.

An import runs in two requests. The upload is checked completely (`RowError`s with row and
column, nothing written) and, if it is valid, stored server-side (`ImportPreview`: its content,
who uploaded it and the version of every item as the preview showed it), so any web process can
finish it and the client only sends a token back. The preview lists row by row what would change
(field, current value, value in the file). Rows whose item changed after the export (the file's
version differs from the current one; a row without a version counts as changed, like a form
without one) are listed separately with both values and are *not* imported unless the user ticks
"take over" for that row. The confirmation re-reads the stored file with the items locked; if any
item changed since the preview, nothing is written and the new preview is shown. Otherwise all
chosen rows are written in one transaction: all or nothing.

An app provides an `Importer` (`kind`, `plan(content, filename, lock=False) -> [RowPlan]` raising
`ImportRefused`, `apply(rows)`), a form with a `file` field and a template that includes
`includes/import_preview.html`; a view calls `handle_import(request, importer=..., ...)`, which
does the rest.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import load_workbook

from .htmx import render_htmx
from .input_limits import date_in_range
from .models import ImportPreview
from .uploads import MAX_COLUMNS, TableRefused, bounded_rows, check_xlsx_archive

# A preview not confirmed within a day is dropped (the next upload clears old ones).
PREVIEW_LIFETIME = timedelta(days=1)


@dataclass
class RowError:
    row: int  # 1 = the header row; 0 = the file as a whole
    column: str
    message: str


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists what is wrong where."""

    def __init__(self, errors):
        super().__init__("import refused")
        self.errors = errors


# --- reading cells ------------------------------------------------------------------------------

# German notation only: 1234 · 1.234 · 1.234,56 · 4,5 (a dot is a thousands separator, so "4.5"
# is refused rather than guessed).
GERMAN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")


def parse_decimal(value) -> Decimal:
    """A Decimal from a German number text (or a number cell of a spreadsheet); ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not GERMAN_NUMBER.match(text):
        raise ValueError(text)
    try:
        number = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_date(value) -> date:
    """A date from 15.12.2026, 2026-12-15 or a spreadsheet date cell; ValueError."""
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return _in_range(day)
    raise ValueError(text)


class DateOutOfRange(ValueError):
    """A real date outside the range every date field has (core/input_limits.py);
    the message is German and is shown as it is."""


def _in_range(day: date) -> date:
    try:
        date_in_range(day)
    except ValidationError as error:
        raise DateOutOfRange(" ".join(error.messages)) from None
    return day


def read_csv(content: bytes, delimiter=None) -> list[list[str]]:
    """Rows of a CSV file (UTF-8 with or without BOM, else Windows-1252; `;` or `,`)."""
    try:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")
        if "\x00" in text:
            raise ImportRefused([RowError(0, "", _("The file is not a text file."))])
        if delimiter is None:
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") >= first.count(",") else ","
        return list(bounded_rows(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except TableRefused as refused:
        raise ImportRefused([RowError(0, "", str(refused))]) from None
    except (UnicodeDecodeError, csv.Error) as exc:  # bytes no code page has, huge fields
        raise ImportRefused([RowError(0, "", _("The file is not a readable CSV file."))]) from exc


def read_xlsx(content: bytes) -> list[list]:
    """Rows of the first sheet of an XLSX file, within the limits of core/uploads.py:
    the archive's directory is measured before openpyxl opens it (no zip bombs), and reading
    stops at the row and column limits."""
    stream = io.BytesIO(content)
    try:
        check_xlsx_archive(stream)
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise TableRefused(_("The file is not a readable XLSX file.")) from exc
        try:
            rows = workbook.active.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
            return list(bounded_rows(rows))
        finally:
            workbook.close()
    except TableRefused as refused:
        raise ImportRefused([RowError(0, "", str(refused))]) from None


# --- preview ----------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    current: str
    new: str


@dataclass
class RowPlan:
    """One row of the file that would change an item."""

    row: int
    key: str  # identifies the item, e.g. "measure:12"
    label: str
    seen: str  # the item's current version (or fingerprint)
    exported: str  # the version in the file ("" if none)
    changes: list[FieldChange]
    payload: object = None  # what the importer's apply() needs
    url: str | None = None
    conflict_free_when_new: bool = False  # no version needed: there is nothing to overwrite

    @property
    def conflict(self) -> bool:
        if self.conflict_free_when_new and not self.exported:
            return False
        return self.exported != self.seen


@dataclass
class Preview:
    rows: list[RowPlan]
    token: str = ""
    unchanged: int = 0
    take_over: list[str] = field(default_factory=list)

    @property
    def conflicts(self):
        return [r for r in self.rows if r.conflict]

    @property
    def clean_rows(self):
        return [r for r in self.rows if not r.conflict]


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    take_over = forms.MultipleChoiceField(
        label=gettext_lazy("Take over the file's values for these rows"),
        help_text=gettext_lazy(
            "These items were changed after the export. Rows not ticked keep their current values."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["take_over"].choices = [
            (r.key, _("Row %(row)s: %(label)s") % {"row": r.row, "label": r.label})
            for r in conflicts
        ]


class StaleImport(Exception):
    """An item changed between the preview and the confirmation."""

    def __init__(self, preview):
        super().__init__("stale import")
        self.preview = preview


def _changed_rows(importer, content, filename, lock=False):
    planned = importer.plan(content, filename, lock=lock)
    rows = [r for r in planned if r.changes]
    return rows, len(planned) - len(rows)


def start(importer, user, upload) -> Preview:
    """Check the upload and keep it for the confirmation; raises ImportRefused."""
    content = upload.read()
    rows, unchanged = _changed_rows(importer, content, upload.name)
    ImportPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
    stored = ImportPreview.objects.create(
        kind=importer.kind,
        user=user,
        filename=upload.name[:255],
        content=content,
        seen={r.key: r.seen for r in rows},
    )
    return Preview(rows, stored.token, unchanged)


def stored_preview(importer, user, token) -> ImportPreview:
    """The user's own stored upload of this kind; PermissionDenied for anyone else's token."""
    found = ImportPreview.objects.filter(kind=importer.kind, user=user, token=token).first()
    if found is None or found.created_at < timezone.now() - PREVIEW_LIFETIME:
        raise PermissionDenied
    return found


def confirm(importer, stored, take_over) -> tuple[int, int]:
    """Apply the stored file: rows without conflict plus the conflicting rows in `take_over`.

    All in one transaction, with the items locked; raises StaleImport (nothing written) when an
    item changed since the preview. Returns (rows written, conflicting rows kept as they are)."""
    content = bytes(stored.content)
    try:
        with transaction.atomic():
            rows, unchanged = _changed_rows(importer, content, stored.filename, lock=True)
            if {r.key: r.seen for r in rows} != stored.seen:
                raise StaleImport(Preview(rows, stored.token, unchanged, list(take_over)))
            chosen = [r for r in rows if not r.conflict or r.key in take_over]
            importer.apply(chosen)
            stored.delete()
    except StaleImport as stale:
        # The next confirmation is measured against what the new preview shows.
        stored.seen = {r.key: r.seen for r in stale.preview.rows}
        stored.save(update_fields=["seen"])
        raise
    return len(chosen), len(rows) - len(chosen)


def handle_import(request, *, importer, form_class, template, success_url, context=None):
    """The whole import page: GET shows the upload form; POST with a file checks it and shows the
    preview (422 with the errors when refused); POST with a token confirms (409 with the new
    preview when an item moved since, a redirect to `success_url` with a message when written).

    `template` includes includes/import_preview.html; its context: form, errors (RowError),
    preview, confirm_form, stale, plus `context` (a dict the page adds, e.g. the indicators).
    The view checks the permission (its decorator) and allows GET and POST only."""

    def page(status=200, **extra):
        return render_htmx(request, template, {**(context or {}), **extra}, status=status)

    def show_preview(preview, status=200, stale=False):
        confirm_form = ConfirmForm(
            initial={"token": preview.token, "take_over": preview.take_over},
            conflicts=preview.conflicts,
        )
        return page(
            status, form=form_class(), preview=preview, confirm_form=confirm_form, stale=stale
        )

    if request.method != "POST":
        return page(form=form_class())
    if "token" in request.POST:
        stored = stored_preview(importer, request.user, request.POST.get("token", ""))
        try:
            written, kept = confirm(importer, stored, set(request.POST.getlist("take_over")))
        except StaleImport as stale:
            return show_preview(stale.preview, status=409, stale=True)
        except ImportRefused as refused:  # the data changed so that a row is no longer valid
            return page(422, form=form_class(), errors=refused.errors)
        messages.success(request, _finished_message(written, kept))
        return redirect(success_url)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return page(422, form=form)
    try:
        preview = start(importer, request.user, form.cleaned_data["file"])
    except ImportRefused as refused:
        errors_beside_the_field(form, refused.errors)
        return page(422, form=form, errors=refused.errors)
    return show_preview(preview)


def _finished_message(written, kept) -> str:
    text = ngettext(
        "Import finished: %(count)s row written.",
        "Import finished: %(count)s rows written.",
        written,
    ) % {"count": written}
    if kept:
        text += " " + ngettext(
            "%(count)s row changed after the export kept its current values.",
            "%(count)s rows changed after the export kept their current values.",
            kept,
        ) % {"count": kept}
    return text


def errors_beside_the_field(form, errors):
    """Problems with the file as a whole beside the file field; row errors in the list."""
    whole = [e.message for e in errors if e.row <= 1]
    for message in whole:
        form.add_error("file", message)
    if len(errors) > len(whole):
        form.add_error(
            "file",
            _("The file has errors; nothing has been imported. See the list below."),
        )
