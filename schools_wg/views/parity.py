"""School parity: the dashboard, the minimum standards, a school's page and its values
(tests/schools_wg/test_parity.py)."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from core.caching import cached
from core.editing import EditConflict
from core.history import history_entries
from core.htmx import CONFLICT, render_htmx, render_invalid, wants_partial
from core.panels import detail_panels
from core.templatetags.pd_format import number

from .. import parity, services
from ..forms import MeasurementsForm, StandardsForm
from ..models import (
    Indicator,
    ParityStandard,
    School,
    SchoolMeasurement,
    school_year_of,
    validate_school_year,
)
from ..svg import trend_chart
from .common import MANAGE, VIEW

PARITY_PAGE = "schools_wg/parity.html"


def _cell_text(cell) -> str | None:
    """The value as the matrix shows it: "03/2024" for dates, "1.234,5" for numbers."""
    if cell.value is None:
        return None
    if cell.indicator.is_date:
        return f"{cell.date_value:%m/%Y}" if cell.date_value else ""
    return number(cell.value, cell.indicator.decimals)


def render_matrix(result: parity.Parity) -> str:
    """The HTML of the school-year switch, spread, schools furthest behind and matrix of
    `result.current`; nothing in it depends on the viewer."""
    current = result.current
    for row in current.rows if current else ():
        for cell in row.cells:
            cell.text = _cell_text(cell)  # formatted once here, not by a filter per cell
    context = {
        "parity": result,
        "result": current,
        "school_year": current.school_year if current else None,
        "furthest_behind": current.furthest_behind() if current else [],
    }
    return render_to_string(f"{PARITY_PAGE}#matrix-fragment", context)


def render_trend(result: parity.Parity) -> str:
    """The HTML of the trend over all school years (chart and table), the same for any year."""
    context = {"parity": result, "chart": trend_chart(result)}
    return render_to_string(f"{PARITY_PAGE}#trend-fragment", context)


@permission_required(VIEW, raise_exception=True)
@require_safe
def parity_dashboard(request):
    """Template: schools_wg/parity.html (#matrix for htmx); context: matrix (HTML of
    `render_matrix` for `?schuljahr=`, else the latest year) and trend (of `render_trend`).

    Both are cached under `parity.stamp()`, which changes with every write to a school,
    indicator, value or standard, so the page is never stale; they vary on the school year (the
    matrix) and the language, and hold nothing per user (the toolbar for Verwaltung stays
    outside). Evaluation and rendering run only on a miss.
    """
    stamp = parity.stamp()
    language = get_language()
    years = cached("wg-parity-years", stamp, SchoolMeasurement.objects.school_years)
    # Unknown years fall back to the latest before they reach a cache key.
    year = request.GET.get("schuljahr")
    year = year if year in years else (years[-1] if years else None)
    evaluation = functools.cache(lambda: parity.load(year))  # once, and only on a miss
    # render_to_string returns a SafeString, and the cache keeps its type: no mark_safe.
    context = {
        "matrix": cached(
            "wg-parity-matrix", stamp, lambda: render_matrix(evaluation()), year, language
        )
    }
    if not wants_partial(request):  # htmx swaps the matrix only
        trend = cached("wg-parity-trend", stamp, lambda: render_trend(evaluation()), language)
        context["trend"] = trend
    return render_htmx(request, PARITY_PAGE, context, partial="matrix")


STANDARDS_FORM = "schools_wg/standards_form.html"


def _standards_form(data=None):
    return StandardsForm(
        data, indicators=list(Indicator.objects.all()), standards=ParityStandard.objects.all()
    )


def _fingerprint_conflict(form, fresh):
    """A matrix form saved by someone else meanwhile: the error on the form, and the fresh
    fingerprint in it so saving again is a deliberate choice."""
    form.add_error(None, form.conflict_message)
    data = form.data.copy()
    data["loaded"] = fresh.initial["loaded"]
    form.data = data


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def standards(request):
    """Template: schools_wg/standards_form.html; context: form (rows of indicator × type),
    current (the saved values, after a conflict)."""
    if request.method != "POST":
        return render_htmx(request, STANDARDS_FORM, {"form": _standards_form()})
    form = _standards_form(request.POST)
    if not form.is_valid():
        return render_invalid(request, STANDARDS_FORM, {"form": form})
    try:
        services.standards_update(values=form.values(), loaded=form.cleaned_data.get("loaded"))
    except EditConflict:
        fresh = _standards_form()
        _fingerprint_conflict(form, fresh)
        return render_htmx(
            request, STANDARDS_FORM, {"form": form, "current": fresh}, status=CONFLICT
        )
    messages.success(request, _("The minimum standards were saved."))
    return redirect("schools_wg:parity")


HISTORY_LIMIT = 30


def _history(school):
    """The school's changes and those of its indicator values, newest first."""
    return history_entries(
        school.history.all(),
        SchoolMeasurement.history.filter(school_id=school.pk),
        limit=HISTORY_LIMIT,
    )


@permission_required(VIEW, raise_exception=True)
@require_safe
def school_detail(request, pk):
    """Template: schools_wg/school_detail.html; context: school, years, table (indicator →
    values per year with their standard status), history, panels, members."""
    school = get_object_or_404(School, pk=pk)
    result = parity.load(schools=[school])
    table = []
    for index, indicator in enumerate(result.indicators):
        cells = [year.rows[0].cells[index] for year in result.trend]
        table.append((indicator, cells))
    context = {
        "school": school,
        "years": result.school_years,
        "table": table,
        "history": _history(school),
        "panels": detail_panels("schools_wg.school", request, school),
        "members": school.wg_members.active().select_related("user"),
    }
    return render_htmx(request, "schools_wg/school_detail.html", context)


MEASUREMENTS_FORM = "schools_wg/measurements_form.html"


def _measurements_form(school, school_year, data=None):
    return MeasurementsForm(
        data,
        indicators=list(Indicator.objects.all()),
        measurements=SchoolMeasurement.objects.filter(school=school, school_year=school_year),
        school_year=school_year,
    )


def _school_year(request):
    year = request.POST.get("school_year") or request.GET.get("schuljahr")
    try:
        validate_school_year(year)
    except ValidationError:  # a missing or bad year in the URL falls back to today's
        year = school_year_of(timezone.localdate())
    return year


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def measurements(request, pk):
    """Template: schools_wg/measurements_form.html; context: school, form, school_year,
    current (the saved values, after a conflict)."""
    school = get_object_or_404(School, pk=pk)
    year = _school_year(request)
    if request.method != "POST":
        context = {"school": school, "form": _measurements_form(school, year), "school_year": year}
        return render_htmx(request, MEASUREMENTS_FORM, context)
    form = _measurements_form(school, year, request.POST)
    context = {"school": school, "form": form, "school_year": year}
    if not form.is_valid():
        return render_invalid(request, MEASUREMENTS_FORM, context)
    try:
        services.measurements_save(
            school=school,
            school_year=form.cleaned_data["school_year"],
            values=form.values(),
            loaded=form.cleaned_data["loaded"],
        )
    except EditConflict:
        fresh = _measurements_form(school, year)
        _fingerprint_conflict(form, fresh)
        context["current"] = fresh
        return render_htmx(request, MEASUREMENTS_FORM, context, status=CONFLICT)
    messages.success(
        request,
        _("The values of %(school)s for %(year)s were saved.")
        % {"school": school, "year": form.cleaned_data["school_year"]},
    )
    return redirect(school)
