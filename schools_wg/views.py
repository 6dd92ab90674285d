"""Pages of the school working group. Each view names its template and context.

For htmx requests views render one `{% partialdef %}` of the same template; every form also
works as a plain POST with a redirect (no JavaScript needed).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from core import exports, imports
from core.caching import cached
from core.editing import EditConflict, current_values
from core.history import history_entries
from core.htmx import (
    CONFLICT,
    INVALID,
    HtmxTemplateMixin,
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


def current_member(user):
    return Member.objects.of_user(user).active().first()


class WgPermission(PermissionRequiredMixin, HtmxTemplateMixin):
    permission_required = "schools_wg.view"
    raise_exception = True


class ManageMixin(WgPermission):
    permission_required = "schools_wg.manage"


# --- the group -------------------------------------------------------------------------------


class IndexView(WgPermission, TemplateView):
    """Template: schools_wg/index.html; context: member_filter and member_page (active members,
    searched, sorted within their category, 50 a page), missing_categories, factions
    (represented/missing), upcoming, past sessions, schools, member (the viewer's)."""

    template_name = "schools_wg/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = in_motion_order(Member.objects.active().for_list())
        context["member_filter"], context["member_page"] = filtered_page(
            self.request, MemberFilter, members
        )
        context["missing_categories"] = summary.missing_categories()
        context["factions"] = summary.faction_representation()
        context["upcoming"] = Session.objects.upcoming().with_counts()
        context["past"] = Session.objects.past().with_counts()[:10]
        context["schools"] = School.objects.all()
        context["member"] = current_member(self.request.user)
        return context


class MemberFormView(ManageMixin, View):
    """Template: schools_wg/member_form.html; context: form, member (None when new)."""

    template = "schools_wg/member_form.html"

    def get_member(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Member.objects.select_related("user"), pk=pk) if pk else None

    def get(self, request, pk=None):
        member = self.get_member()
        context = {"form": MemberForm(instance=member), "member": member}
        return render_htmx(request, self.template, context)

    def post(self, request, pk=None):
        member = self.get_member()
        form = MemberForm(request.POST, instance=member)
        context = {"form": form, "member": member}
        if form.is_valid():
            try:
                saved = services.save_member(form)
            except EditConflict as conflict:
                context["conflict_values"] = current_values(form, conflict.current)
                return render_htmx(request, self.template, context, status=CONFLICT)
            messages.success(request, _("The membership of %(name)s was saved.") % {"name": saved})
            return redirect(reverse("schools_wg:index") + "#members")
        return render_invalid(request, self.template, context)


class MemberAnonymiseView(ManageMixin, View):
    """GET: template schools_wg/member_anonymise.html (context: member, keeps_account) asks for
    confirmation; POST anonymises the member (services.anonymise_member) and returns to the list."""

    template = "schools_wg/member_anonymise.html"

    def get_member(self, pk):
        return get_object_or_404(Member.objects.select_related("user", "school", "faction"), pk=pk)

    def get(self, request, pk):
        member = self.get_member(pk)
        context = {"member": member, "keeps_account": services.holds_other_roles(member.user)}
        return render_htmx(request, self.template, context)

    def post(self, request, pk):
        member = self.get_member(pk)
        services.anonymise_member(member, request.user)
        messages.success(request, _("The member's personal data has been anonymised."))
        return redirect(reverse("schools_wg:index") + "#members")


# --- sessions --------------------------------------------------------------------------------


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
    if request.user.has_perm("schools_wg.manage"):
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


class SessionDetailView(WgPermission, View):
    """Template: schools_wg/session_detail.html; context: see _session_context."""

    def get(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        return render_htmx(
            request, "schools_wg/session_detail.html", _session_context(request, session)
        )


class SessionFormView(ManageMixin, View):
    """Template: schools_wg/session_form.html (#form for htmx); context: form, session."""

    template = "schools_wg/session_form.html"

    def get(self, request, pk=None):
        session = get_object_or_404(Session, pk=pk) if pk else None
        if session is None:
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            form = SessionForm(
                initial={"starts_at": now, "ends_at": now + timezone.timedelta(hours=2)}
            )
        else:
            form = SessionForm(instance=session)
        context = {"form": form, "session": session}
        return render_htmx(request, self.template, context, partial="form")

    def post(self, request, pk=None):
        session = get_object_or_404(Session, pk=pk) if pk else None
        form = SessionForm(request.POST, instance=session)
        context = {"form": form, "session": session}
        if form.is_valid():
            try:
                saved = services.save_session(form)
            except EditConflict as conflict:
                context["conflict_values"] = current_values(form, conflict.current)
                return render_htmx(request, self.template, context, partial="form", status=CONFLICT)
            if request.htmx and session:
                context = _session_context(request, saved)
                return render_htmx(request, "schools_wg/session_detail.html#details", context)
            messages.success(request, _("The session was saved."))
            return redirect(saved)
        return render_invalid(request, self.template, context, partial="form")


class SessionRsvpView(WgPermission, View):
    """POST action=join|leave. htmx: schools_wg/session_detail.html#participants."""

    def post(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        if not request.user.has_perm("schools_wg.join_session", session):
            raise PermissionDenied
        member = current_member(request.user)
        action = request.POST.get("action")
        try:
            if action == "join":
                registration = services.join_session(session.pk, member)
                if registration.status == Registration.Status.WAITING:
                    text = _("The session is full: you are on the waiting list.")
                else:
                    text = _("You are registered for this session.")
            elif action == "leave":
                services.leave_session(session.pk, member)
                text = _("You have cancelled your registration.")
            else:
                return HttpResponseBadRequest()
        except services.NotAllowed as error:
            text = str(error)
        session.refresh_from_db()
        if request.htmx:
            context = _session_context(request, session, rsvp_message=text)
            return render_htmx(request, "schools_wg/session_detail.html#participants", context)
        messages.info(request, text)
        return redirect(session)


class SessionIcsView(WgPermission, View):
    """An .ics file with this one session."""

    def get(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        content = ics.calendar_bytes([session], session.title)
        return ics.ics_response(content, f"sitzung-{session.pk}.ics")


class MinutesView(ManageMixin, View):
    """Template: schools_wg/session_detail.html#minutes_form (htmx) or minutes_form.html."""

    def get(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        context = {"session": session, "form": MinutesForm(instance=session)}
        return render_htmx(request, "schools_wg/minutes_form.html", context, partial="form")

    def post(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        form = MinutesForm(request.POST, instance=session)
        context = {"session": session, "form": form}
        if form.is_valid():
            try:
                form.save_versioned()
            except EditConflict as conflict:
                context["conflict_values"] = current_values(form, conflict.current)
                return render_htmx(
                    request,
                    "schools_wg/minutes_form.html",
                    context,
                    partial="form",
                    status=CONFLICT,
                )
            if request.htmx:
                session.refresh_from_db()
                context = _session_context(request, session)
                return render_htmx(request, "schools_wg/session_detail.html#minutes", context)
            messages.success(request, _("The minutes were saved."))
            return redirect(session)
        return render_invalid(request, "schools_wg/minutes_form.html", context, partial="form")


def _section(request, session, partial, status=200, **extra):
    """After a change: the section for htmx, the session page otherwise."""
    if request.htmx or status != 200:
        context = _session_context(request, session, **extra)
        return render_htmx(
            request, "schools_wg/session_detail.html", context, partial=partial, status=status
        )
    return redirect(session)


class AgendaAddView(ManageMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            item = form.save(commit=False)
            item.session = session
            item.position = services.next_agenda_position(session)
            item.save()
            return _section(request, session, "agenda")
        return _section(request, session, "agenda", status=INVALID, agenda_form=form)


class AgendaDeleteView(ManageMixin, View):
    def post(self, request, pk, item_pk):
        item = get_object_or_404(AgendaItem, pk=item_pk, session_id=pk)
        item.delete()
        return _section(request, item.session, "agenda")


class ActionAddView(ManageMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(Session, pk=pk)
        form = ActionItemForm(request.POST)
        if form.is_valid():
            item = form.save(commit=False)
            item.session = session
            item.save()
            return _section(request, session, "actions")
        return _section(request, session, "actions", status=INVALID, action_form=form)


class ActionDoneView(ManageMixin, View):
    """POST done=1 marks the action item done today, done=0 reopens it."""

    def post(self, request, pk):
        item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
        item.done_on = timezone.localdate() if request.POST.get("done") == "1" else None
        item.save(update_fields=["done_on"])
        return _section(request, item.session, "actions")


class ActionMilestoneView(ManageMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
        form = MilestoneForm(request.POST, item=item)
        if form.is_valid():
            try:
                services.make_milestone(item, form.cleaned_data["measure"], request.user)
            except services.NotAllowed as error:
                form.add_error("measure", str(error))
            else:
                return _section(request, item.session, "actions")
        return _section(request, item.session, "actions", status=INVALID, milestone_form=form)


class AttendanceView(ManageMixin, View):
    """Template: schools_wg/attendance_form.html; context: session, form."""

    template = "schools_wg/attendance_form.html"

    def get_session(self, pk):
        session = get_object_or_404(Session, pk=pk)
        if not self.request.user.has_perm("schools_wg.record_attendance", session):
            raise PermissionDenied
        return session

    def get(self, request, pk):
        session = self.get_session(pk)
        form = AttendanceForm(session=session)
        return render_htmx(request, self.template, {"session": session, "form": form})

    def post(self, request, pk):
        session = self.get_session(pk)
        form = AttendanceForm(request.POST, session=session)
        if form.is_valid():
            services.record_attendance(session, [m.pk for m in form.cleaned_data["present"]])
            messages.success(request, _("The attendance was saved."))
            return redirect(session)
        return render_invalid(request, self.template, {"session": session, "form": form})


# --- calendar feeds --------------------------------------------------------------------------


class CalendarSettingsView(PermissionRequiredMixin, View):
    """Template: schools_wg/calendar.html (#feed for htmx); context: feed, feed_url."""

    permission_required = "schools_wg.use_calendar_feed"
    raise_exception = True

    def context(self):
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        url = None
        if feed:
            url = self.request.build_absolute_uri(
                reverse("schools_wg:calendar_feed", kwargs={"token": feed.token})
            )
        return {"feed": feed, "feed_url": url}

    def get(self, request):
        return render_htmx(request, "schools_wg/calendar.html", self.context(), partial="feed")

    def post(self, request):
        if request.POST.get("action") == "revoke":
            services.revoke_feed(request.user)
            text = _("Your calendar address has been revoked.")
        else:
            services.regenerate_feed(request.user)
            text = _("A new calendar address was created; the previous one no longer works.")
        if request.htmx:
            context = {**self.context(), "feed_message": text}
            return render_htmx(request, "schools_wg/calendar.html#feed", context)
        messages.success(request, text)
        return redirect("schools_wg:calendar")


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """Public (secret token in the URL): the sessions the token's owner has registered for.

    Only while the owner is a member: a former member's address stops working with the
    membership, even if it was shared or subscribed somewhere."""

    def get(self, request, token):
        feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
        if feed is None or not feed.user.is_active:
            raise Http404
        if not Member.objects.active().filter(user=feed.user).exists():
            raise Http404
        registrations = Registration.objects.filter(member__user=feed.user).select_related(
            "session"
        )
        statuses = {
            r.session_id: "CONFIRMED" if r.status == Registration.Status.CONFIRMED else "TENTATIVE"
            for r in registrations
        }
        sessions = sorted({r.session for r in registrations}, key=lambda s: s.starts_at)
        content = ics.calendar_bytes(sessions, _("School working group"), statuses)
        return ics.ics_response(content, "ag-schule.ics", attachment=False)


# --- schools and parity ----------------------------------------------------------------------


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
    return render_to_string(f"{ParityView.template_name}#matrix-fragment", context)


def render_trend(result: parity.Parity) -> str:
    """The HTML of the trend over all school years (chart and table), the same for any year."""
    context = {"parity": result, "chart": trend_chart(result)}
    return render_to_string(f"{ParityView.template_name}#trend-fragment", context)


class ParityView(WgPermission, TemplateView):
    """Template: schools_wg/parity.html (#matrix for htmx); context: matrix (HTML of
    `render_matrix` for `?schuljahr=`, else the latest year) and trend (of `render_trend`).

    Both are cached under `parity.stamp()`, which changes with every write to a school,
    indicator, value or standard, so the page is never stale; they vary on the school year (the
    matrix) and the language, and hold nothing per user (the toolbar for Verwaltung stays
    outside). Evaluation and rendering run only on a miss.
    """

    template_name = "schools_wg/parity.html"
    htmx_partial = "matrix"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stamp = parity.stamp()
        language = get_language()
        years = cached("wg-parity-years", stamp, SchoolMeasurement.objects.school_years)
        # Unknown years fall back to the latest before they reach a cache key.
        year = self.request.GET.get("schuljahr")
        year = year if year in years else (years[-1] if years else None)
        evaluation = functools.cache(lambda: parity.load(year))  # once, and only on a miss
        matrix = cached(
            "wg-parity-matrix", stamp, lambda: render_matrix(evaluation()), year, language
        )
        # render_to_string returns a SafeString, and the cache keeps its type: no mark_safe.
        context["matrix"] = matrix
        if not wants_partial(self.request):  # htmx swaps the matrix only
            trend = cached("wg-parity-trend", stamp, lambda: render_trend(evaluation()), language)
            context["trend"] = trend
        return context


class StandardsView(ManageMixin, View):
    """Template: schools_wg/standards_form.html; context: form (rows of indicator × type)."""

    template = "schools_wg/standards_form.html"

    def make_form(self, data=None):
        return StandardsForm(
            data, indicators=list(Indicator.objects.all()), standards=ParityStandard.objects.all()
        )

    def get(self, request):
        return render_htmx(request, self.template, {"form": self.make_form()})

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                services.save_standards(form)
            except EditConflict:
                form.add_error(None, form.conflict_message)
                fresh = self.make_form()
                data = form.data.copy()
                data["loaded"] = fresh.initial["loaded"]
                form.data = data
                return render_htmx(
                    request, self.template, {"form": form, "current": fresh}, status=CONFLICT
                )
            messages.success(request, _("The minimum standards were saved."))
            return redirect("schools_wg:parity")
        return render_invalid(request, self.template, {"form": form})


class SchoolDetailView(WgPermission, TemplateView):
    """Template: schools_wg/school_detail.html; context: school, indicators, years, table
    (indicator → values per year with their standard status), history, panels."""

    template_name = "schools_wg/school_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = get_object_or_404(School, pk=self.kwargs["pk"])
        result = parity.load(schools=[school])
        table = []
        for index, indicator in enumerate(result.indicators):
            cells = [year.rows[0].cells[index] for year in result.trend]
            table.append((indicator, cells))
        context.update(
            school=school,
            years=result.school_years,
            table=table,
            history=_history(school),
            panels=detail_panels("schools_wg.school", self.request, school),
            members=school.wg_members.active().select_related("user"),
        )
        return context


HISTORY_LIMIT = 30


def _history(school):
    """The school's changes and those of its indicator values, newest first."""
    entries = history_entries(school.history.all(), limit=HISTORY_LIMIT)
    entries += history_entries(
        SchoolMeasurement.history.filter(school_id=school.pk), limit=HISTORY_LIMIT
    )
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:HISTORY_LIMIT]


class MeasurementsView(ManageMixin, View):
    """Template: schools_wg/measurements_form.html; context: school, form, school_year."""

    template = "schools_wg/measurements_form.html"

    def make_form(self, school, school_year, data=None):
        return MeasurementsForm(
            data,
            indicators=list(Indicator.objects.all()),
            measurements=SchoolMeasurement.objects.filter(school=school, school_year=school_year),
            school_year=school_year,
        )

    def school_year(self, request):
        year = request.POST.get("school_year") or request.GET.get("schuljahr")
        try:
            validate_school_year(year)
        except ValidationError:  # a missing or bad year in the URL falls back to today's
            year = school_year_of(timezone.localdate())
        return year

    def get(self, request, pk):
        school = get_object_or_404(School, pk=pk)
        year = self.school_year(request)
        form = self.make_form(school, year)
        return render_htmx(
            request, self.template, {"school": school, "form": form, "school_year": year}
        )

    def post(self, request, pk):
        school = get_object_or_404(School, pk=pk)
        year = self.school_year(request)
        form = self.make_form(school, year, request.POST)
        context = {"school": school, "form": form, "school_year": year}
        if form.is_valid():
            try:
                services.save_measurements(
                    school,
                    form.cleaned_data["school_year"],
                    form.values(),
                    form.cleaned_data["loaded"],
                )
            except EditConflict:
                form.add_error(None, form.conflict_message)
                fresh = self.make_form(school, year)
                data = form.data.copy()
                data["loaded"] = fresh.initial["loaded"]
                form.data = data
                context["current"] = fresh
                return render_htmx(request, self.template, context, status=CONFLICT)
            messages.success(
                request,
                _("The values of %(school)s for %(year)s were saved.")
                % {"school": school, "year": form.cleaned_data["school_year"]},
            )
            return redirect(school)
        return render_invalid(request, self.template, context)


class ImportView(imports.ImportView):
    """Template: schools_wg/import.html; context: form, errors (row, column, message), indicators,
    preview (core.imports.Preview), confirm_form, stale."""

    importer = csv_import.ParityImporter()
    form_class = CsvImportForm
    template_name = "schools_wg/import.html"
    success_url = "schools_wg:parity"
    permission_required = "schools_wg.manage"

    def context(self, **extra):
        return {"indicators": Indicator.objects.all(), **extra}


class ExportView(ManageMixin, View):
    """The values as CSV in the import's format, with each row's state (column "Stand")."""

    def get(self, request):
        header, rows = csv_import.export_rows()
        name = f"paritaet-werte-{timezone.localdate():%Y-%m-%d}.csv"
        return exports.csv_response(name, header, rows)
