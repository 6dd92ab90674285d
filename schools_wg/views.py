"""Pages of the school working group: one function per URL, each names its template and context.

Every view carries `permission_required` (rules, `raise_exception=True`); `has_perm` inside a view
only decides what to show. Writes go through `services`. For htmx requests views render one
`{% partialdef %}` of the same template; every form also works as a plain POST with a redirect
(no JavaScript needed).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import objectgetter, permission_required

from core import exports, imports
from core.caching import cached
from core.calendars import feed_settings, serve_feed
from core.editing import EditConflict
from core.history import history_entries
from core.htmx import (
    CONFLICT,
    INVALID,
    render_conflict,
    render_htmx,
    render_invalid,
    wants_partial,
)
from core.listing import filtered_page
from core.panels import detail_panels
from core.templatetags.pd_format import number

from . import csv_import, ics, parity, services, summary
from .filters import MemberFilter, in_motion_order
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    CsvImportForm,
    MeasurementsForm,
    MemberForm,
    MilestoneForm,
    MinutesForm,
    SessionForm,
    StandardsForm,
)
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Indicator,
    Member,
    ParityStandard,
    Registration,
    School,
    SchoolMeasurement,
    Session,
    school_year_of,
    validate_school_year,
)
from .svg import trend_chart

VIEW = "schools_wg.view"
MANAGE = "schools_wg.manage"


def current_member(user):
    return Member.objects.of_user(user).active().first()


def _refusal(error: ValidationError) -> str:
    """The German text of a service's refusal."""
    return " ".join(error.messages)


# --- the group -------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_GET
def index(request):
    """Template: schools_wg/index.html; context: member_filter and member_page (active members,
    searched, sorted within their category, 50 a page), missing_categories, factions
    (represented/missing), upcoming, past sessions, schools, member (the viewer's)."""
    members = in_motion_order(Member.objects.active().for_list())
    member_filter, member_page = filtered_page(request, MemberFilter, members)
    context = {
        "member_filter": member_filter,
        "member_page": member_page,
        "missing_categories": summary.missing_categories(),
        "factions": summary.faction_representation(),
        "upcoming": Session.objects.upcoming().with_counts(),
        "past": Session.objects.past().with_counts()[:10],
        "schools": School.objects.all(),
        "member": current_member(request.user),
    }
    return render_htmx(request, "schools_wg/index.html", context)


MEMBER_FORM = "schools_wg/member_form.html"
NEW_PERSON = ("first_name", "last_name", "email", "phone")


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def member_form(request, pk=None):
    """Template: schools_wg/member_form.html; context: form, member (None when new)."""
    member = get_object_or_404(Member.objects.select_related("user"), pk=pk) if pk else None
    if request.method != "POST":
        context = {"form": MemberForm(instance=member), "member": member}
        return render_htmx(request, MEMBER_FORM, context)
    form = MemberForm(request.POST, instance=member)
    context = {"form": form, "member": member}
    if not form.is_valid():
        return render_invalid(request, MEMBER_FORM, context)
    try:
        saved = services.member_save(
            member=form.instance,
            data=form.changes(),
            expected_version=form.expected_version(),
            new_person=None if member else {name: form.cleaned_data[name] for name in NEW_PERSON},
        )
    except EditConflict as conflict:
        return render_conflict(request, MEMBER_FORM, context, form, conflict)
    messages.success(request, _("The membership of %(name)s was saved.") % {"name": saved})
    return redirect(reverse("schools_wg:index") + "#members")


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def member_anonymise(request, pk):
    """GET: template schools_wg/member_anonymise.html (context: member, keeps_account) asks for
    confirmation; POST anonymises the member (services.member_anonymise) and returns to the
    list."""
    member = get_object_or_404(Member.objects.select_related("user", "school", "faction"), pk=pk)
    if request.method != "POST":
        context = {"member": member, "keeps_account": services.holds_other_roles(member.user)}
        return render_htmx(request, "schools_wg/member_anonymise.html", context)
    services.member_anonymise(member=member, actor=request.user)
    messages.success(request, _("The member's personal data has been anonymised."))
    return redirect(reverse("schools_wg:index") + "#members")


# --- sessions --------------------------------------------------------------------------------

SESSION_PAGE = "schools_wg/session_detail.html"


def _session_context(request, session, **extra):
    registrations = list(
        session.registrations.select_related("member__user").order_by("registered_at", "pk")
    )
    member = current_member(request.user)
    mine = next((r for r in registrations if member and r.member_id == member.pk), None)
    context = {
        "session": session,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        "attendance_recorded": any(r.attended is not None for r in registrations),
        "present": [r for r in registrations if r.attended],
        "member": member,
        "my_registration": mine,
        "can_join": request.user.has_perm("schools_wg.join_session", session),
        "agenda_items": session.agenda_items.select_related("goal", "measure"),
        "action_items": list(
            session.action_items.select_related("owner__user", "milestone__measure")
        ),
    }
    if request.user.has_perm(MANAGE):
        context["agenda_form"] = AgendaItemForm()
        context["action_form"] = ActionItemForm()
        _milestone_forms(context["action_items"], extra.pop("milestone_form", None))
    context.update(extra)
    return context


def _milestone_forms(action_items, invalid=None):
    """A "make milestone" form for each action item without one (`invalid`: the one just sent
    with an error, shown again in its row); the rows share one query for the measures."""
    open_items = [item for item in action_items if item.milestone_id is None]
    if not open_items:
        return
    choices = list(MilestoneForm(item=open_items[0]).fields["measure"].choices)
    for item in open_items:
        if invalid is not None and invalid.item.pk == item.pk:
            item.milestone_form = invalid
        else:
            item.milestone_form = MilestoneForm(item=item, choices=choices)


@permission_required(VIEW, raise_exception=True)
@require_GET
def session_detail(request, pk):
    """Template: schools_wg/session_detail.html; context: see _session_context."""
    session = get_object_or_404(Session, pk=pk)
    return render_htmx(request, SESSION_PAGE, _session_context(request, session))


SESSION_FORM = "schools_wg/session_form.html"


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_form(request, pk=None):
    """Template: schools_wg/session_form.html (#form for htmx); context: form, session."""
    session = get_object_or_404(Session, pk=pk) if pk else None
    if request.method != "POST":
        if session is None:
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            form = SessionForm(
                initial={"starts_at": now, "ends_at": now + timezone.timedelta(hours=2)}
            )
        else:
            form = SessionForm(instance=session)
        context = {"form": form, "session": session}
        return render_htmx(request, SESSION_FORM, context, partial="form")
    form = SessionForm(request.POST, instance=session)
    context = {"form": form, "session": session}
    if not form.is_valid():
        return render_invalid(request, SESSION_FORM, context, partial="form")
    try:
        if session is None:
            saved = services.session_create(data=form.changes())
        else:
            saved = services.session_update(
                session=form.instance,
                data=form.changes(),
                expected_version=form.expected_version(),
            )
    except EditConflict as conflict:
        return render_conflict(request, SESSION_FORM, context, form, conflict, partial="form")
    if request.htmx and session:
        context = _session_context(request, saved)
        return render_htmx(request, f"{SESSION_PAGE}#details", context)
    messages.success(request, _("The session was saved."))
    return redirect(saved)


@permission_required("schools_wg.join_session", fn=objectgetter(Session), raise_exception=True)
@require_POST
def session_rsvp(request, pk):
    """POST action=join|leave. htmx: schools_wg/session_detail.html#participants."""
    session = get_object_or_404(Session, pk=pk)
    member = current_member(request.user)
    action = request.POST.get("action")
    try:
        if action == "join":
            registration = services.session_join(session_id=session.pk, member=member)
            if registration.status == Registration.Status.WAITING:
                text = _("The session is full: you are on the waiting list.")
            else:
                text = _("You are registered for this session.")
        elif action == "leave":
            services.session_leave(session_id=session.pk, member=member)
            text = _("You have cancelled your registration.")
        else:
            return HttpResponseBadRequest()
    except ValidationError as error:
        text = _refusal(error)
    session.refresh_from_db()
    if request.htmx:
        context = _session_context(request, session, rsvp_message=text)
        return render_htmx(request, f"{SESSION_PAGE}#participants", context)
    messages.info(request, text)
    return redirect(session)


@permission_required(VIEW, raise_exception=True)
@require_GET
def session_ics(request, pk):
    """An .ics file with this one session."""
    session = get_object_or_404(Session, pk=pk)
    content = ics.calendar_bytes([session], session.title)
    return ics.ics_response(content, f"sitzung-{session.pk}.ics")


MINUTES_FORM = "schools_wg/minutes_form.html"


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_minutes(request, pk):
    """Template: schools_wg/minutes_form.html (#form for htmx); after saving with htmx
    schools_wg/session_detail.html#minutes."""
    session = get_object_or_404(Session, pk=pk)
    if request.method != "POST":
        context = {"session": session, "form": MinutesForm(instance=session)}
        return render_htmx(request, MINUTES_FORM, context, partial="form")
    form = MinutesForm(request.POST, instance=session)
    context = {"session": session, "form": form}
    if not form.is_valid():
        return render_invalid(request, MINUTES_FORM, context, partial="form")
    try:
        services.minutes_save(
            session=form.instance, data=form.changes(), expected_version=form.expected_version()
        )
    except EditConflict as conflict:
        return render_conflict(request, MINUTES_FORM, context, form, conflict, partial="form")
    if request.htmx:
        session.refresh_from_db()
        return render_htmx(request, f"{SESSION_PAGE}#minutes", _session_context(request, session))
    messages.success(request, _("The minutes were saved."))
    return redirect(session)


def _section(request, session, partial, status=200, **extra):
    """After a change: the section for htmx, the session page otherwise."""
    if request.htmx or status != 200:
        context = _session_context(request, session, **extra)
        return render_htmx(request, SESSION_PAGE, context, partial=partial, status=status)
    return redirect(session)


@permission_required(MANAGE, raise_exception=True)
@require_POST
def agenda_add(request, pk):
    session = get_object_or_404(Session, pk=pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _section(request, session, "agenda", status=INVALID, agenda_form=form)
    services.agenda_item_add(session=session, data=form.cleaned_data)
    return _section(request, session, "agenda")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def agenda_delete(request, pk, item_pk):
    item = get_object_or_404(
        AgendaItem.objects.select_related("session"), pk=item_pk, session_id=pk
    )
    services.agenda_item_delete(item=item)
    return _section(request, item.session, "agenda")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def action_add(request, pk):
    session = get_object_or_404(Session, pk=pk)
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        return _section(request, session, "actions", status=INVALID, action_form=form)
    services.action_item_add(session=session, data=form.cleaned_data)
    return _section(request, session, "actions")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def action_done(request, pk):
    """POST done=1 marks the action item done today, done=0 reopens it."""
    item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
    services.action_item_mark_done(item=item, done=request.POST.get("done") == "1")
    return _section(request, item.session, "actions")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def action_milestone(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
    form = MilestoneForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.action_item_link_milestone(
                item=item, measure=form.cleaned_data["measure"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("measure", _refusal(error))
        else:
            return _section(request, item.session, "actions")
    return _section(request, item.session, "actions", status=INVALID, milestone_form=form)


ATTENDANCE_FORM = "schools_wg/attendance_form.html"


@permission_required("schools_wg.record_attendance", fn=objectgetter(Session), raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    """Template: schools_wg/attendance_form.html; context: session, form."""
    session = get_object_or_404(Session, pk=pk)
    if request.method != "POST":
        form = AttendanceForm(session=session)
        return render_htmx(request, ATTENDANCE_FORM, {"session": session, "form": form})
    form = AttendanceForm(request.POST, session=session)
    if not form.is_valid():
        return render_invalid(request, ATTENDANCE_FORM, {"session": session, "form": form})
    services.attendance_record(
        session=session, present_member_ids=[m.pk for m in form.cleaned_data["present"]]
    )
    messages.success(request, _("The attendance was saved."))
    return redirect(session)


# --- calendar feeds --------------------------------------------------------------------------


@permission_required("schools_wg.use_calendar_feed", raise_exception=True)
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Template: schools_wg/calendar.html (#feed for htmx); context: feed, feed_url,
    feed_message. POST action=regenerate / action=revoke (core.calendars.feed_settings)."""
    return feed_settings(
        request,
        model=CalendarFeed,
        feed_url_name="schools_wg:calendar_feed",
        template="schools_wg/calendar.html",
    )


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Public (secret token in the URL): the sessions the token's owner has registered for,
    only while the owner is a member (CalendarFeed.serves): a former member's address stops
    working with the membership, even if it was shared or subscribed somewhere."""
    return serve_feed(
        request,
        token,
        model=CalendarFeed,
        build_calendar=registered_sessions_ics,
        filename="ag-schule.ics",
    )


def registered_sessions_ics(user) -> bytes:
    """The sessions `user` registered for: confirmed seats CONFIRMED, waiting ones TENTATIVE."""
    registrations = Registration.objects.filter(member__user=user).select_related("session")
    statuses = {
        r.session_id: "CONFIRMED" if r.status == Registration.Status.CONFIRMED else "TENTATIVE"
        for r in registrations
    }
    sessions = sorted({r.session for r in registrations}, key=lambda s: s.starts_at)
    return ics.calendar_bytes(sessions, _("School working group"), statuses)


# --- schools and parity ----------------------------------------------------------------------

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
@require_GET
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
@require_http_methods(["GET", "POST"])
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
@require_GET
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
@require_http_methods(["GET", "POST"])
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


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
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
@require_GET
def export(request):
    """The values as CSV in the import's format, with each row's state (column "Stand")."""
    header, rows = csv_import.export_rows()
    name = f"paritaet-werte-{timezone.localdate():%Y-%m-%d}.csv"
    return exports.csv_response(name, header, rows)
