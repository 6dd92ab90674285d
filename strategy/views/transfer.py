"""Export of the measures as CSV/XLSX and import of the same file (preview, then confirm)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core import exports, imports

from .. import transfer
from ..forms import ImportForm
from .common import MANAGE, VIEW


def _export_name(ext):
    return f"strategie-{timezone.localdate():%Y-%m-%d}.{ext}"


@permission_required(VIEW, raise_exception=True)
@require_safe
def export_csv(request):
    return exports.csv_response(_export_name("csv"), transfer.headers(), transfer.export_rows())


@permission_required(VIEW, raise_exception=True)
@require_safe
def export_xlsx(request):
    return exports.xlsx_response(
        _export_name("xlsx"),
        transfer.headers(),
        list(transfer.export_rows()),
        sheet_title=_("Measures"),
        number_formats={i: "DD.MM.YYYY" for i in range(9, 13)},
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def import_view(request):
    """Template: strategy/import.html; context: form, errors (row, column, message), preview
    (core.imports.Preview), confirm_form, stale."""
    return imports.handle_import(
        request,
        importer=transfer.MeasureImporter(),
        form_class=ImportForm,
        template="strategy/import.html",
        success_url="strategy:index",
    )
