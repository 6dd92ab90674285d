"""Sessions: page, form, registration (RSVP), minutes, agenda, action items and attendance
(tests/schools_wg/test_sessions.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import objectgetter, permission_required

from core.editing import EditConflict
from core.htmx import INVALID, render_conflict, render_htmx, render_invalid

from .. import services
from ..forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    MilestoneForm,
    MinutesForm,
    SessionForm,
)
from ..models import ActionItem, AgendaItem, Registration, Session
from .common import MANAGE, VIEW, current_member


def _refusal(error: ValidationError) -> str:
    """The German text of a service's refusal."""
    return " ".join(error.messages)


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
@require_safe
def session_detail(request, pk):
    """Template: schools_wg/session_detail.html; context: see _session_context."""
    session = get_object_or_404(Session, pk=pk)
    return render_htmx(request, SESSION_PAGE, _session_context(request, session))


SESSION_FORM = "schools_wg/session_form.html"


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
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


MINUTES_FORM = "schools_wg/minutes_form.html"


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_http_methods(["GET", "HEAD", "POST"])
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
