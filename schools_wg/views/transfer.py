"""CSV import and export of the indicator values (tests/schools_wg/test_import.py)."""

from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core import exports, imports

from .. import csv_import
from ..forms import CsvImportForm
from ..models import Indicator
from .common import MANAGE


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def import_values(request):
    """Template: schools_wg/import.html; context: form, errors (row, column, message),
    indicators, preview (core.imports.Preview), confirm_form, stale."""
    return imports.handle_import(
        request,
        importer=csv_import.ParityImporter(),
        form_class=CsvImportForm,
        template="schools_wg/import.html",
        success_url="schools_wg:parity",
        context={"indicators": Indicator.objects.all()},
    )


@permission_required(MANAGE, raise_exception=True)
@require_safe
def export(request):
    """The values as CSV in the import's format, with each row's state (column "Stand")."""
    header, rows = csv_import.export_rows()
    name = f"paritaet-werte-{timezone.localdate():%Y-%m-%d}.csv"
    return exports.csv_response(name, header, rows)
