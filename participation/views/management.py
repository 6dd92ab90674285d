"""The participation start page and what Verwaltung maintains: factions, councillors, consultations
(tests/participation/test_management.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from core import outbox
from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid
from strategy.models import Goal

from .. import services
from ..forms import (
    ConsultationForm,
    CouncillorForm,
    FactionChangeForm,
    FactionForm,
)
from ..models import (
    Comment,
    Consultation,
    Councillor,
    Faction,
    FactionMembership,
    Vote,
)
from ..results import results_by_consultation
from ..rules import councillor_of
from .common import (
    errors,
    posted,
    require_form,
    say_if_held_back,
)

FORM = "participation/form.html"


@permission_required("participation.view", raise_exception=True)
@require_safe
def index(request):
    """Template: participation/index.html; context: open (soonest deadline first), upcoming and
    closed consultations with results; for councillors their votes, comments and open goals."""
    user = request.user
    now = timezone.now()
    goals = Prefetch("goals", queryset=Goal.objects.select_related("field"))
    open_list = list(
        Consultation.objects.open_at(now).order_by("closes_at", "pk").prefetch_related(goals)
    )
    closed = list(
        Consultation.objects.filter(closes_at__lte=now)
        .order_by("-closes_at", "-pk")
        .prefetch_related(goals)[:5]
    )
    results = results_by_consultation(closed)
    for consultation in closed:
        consultation.goal_rows = [
            (g, results[consultation.pk][g.pk]) for g in consultation.goals.all()
        ]
    councillor = councillor_of(user)
    context = {
        "open_consultations": open_list,
        "upcoming": Consultation.objects.filter(opens_at__gt=now).order_by("opens_at"),
        "closed_consultations": closed,
        "councillor": councillor,
    }
    if councillor:
        votes = list(
            Vote.objects.filter(councillor=councillor)
            .select_related("consultation", "goal")
            .order_by("-cast_at")[:20]
        )
        voted = {(v.consultation_id, v.goal_id) for v in votes}
        voted |= set(
            Vote.objects.filter(councillor=councillor, consultation__in=open_list).values_list(
                "consultation_id", "goal_id"
            )
        )
        context["my_votes"] = votes
        context["goals_to_vote"] = [
            (c, g) for c in open_list for g in c.goals.all() if (c.pk, g.pk) not in voted
        ]
    context["my_comments"] = (
        Comment.objects.filter(author=user)
        .select_related("consultation", "goal")
        .order_by("-created_at")[:10]
    )
    return render_htmx(request, "participation/index.html", context)


@permission_required("participation.view", raise_exception=True)
@require_safe
def factions(request):
    """Template: participation/factions.html; context: factions with their current councillors."""
    today = timezone.localdate()
    current = FactionMembership.objects.filter(
        Q(valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    ).select_related("councillor__user")
    context = {
        "factions": Faction.objects.prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_members")
        ),
        "today": today,
    }
    return render_htmx(request, "participation/factions.html", context)


def _faction_form(request, faction):
    """Template: participation/form.html; create (faction None) or change a faction."""
    form = FactionForm(posted(request), instance=faction)
    if request.method == "POST":
        if form.is_valid():
            if faction is None:
                services.faction_create(data=form.cleaned_data)
            else:
                services.faction_update(faction=faction, data=form.cleaned_data)
            messages.success(request, _("The faction has been saved."))
            return redirect("participation:factions")
        return render_invalid(request, FORM, {"form": form, "object": faction})
    return render_htmx(request, FORM, {"form": form, "object": faction})


@permission_required("participation.manage", raise_exception=True)
@require_form
def faction_create(request):
    return _faction_form(request, None)


@permission_required("participation.manage", raise_exception=True)
@require_form
def faction_edit(request, pk):
    return _faction_form(request, get_object_or_404(Faction, pk=pk))


def _councillor(request, pk):
    if not hasattr(request, "_participation_councillor_row"):
        request._participation_councillor_row = get_object_or_404(
            Councillor.objects.select_related("user"), pk=pk
        )
    return request._participation_councillor_row


@permission_required("participation.manage", raise_exception=True)
@require_form
def councillor_create(request):
    """Template: participation/form.html; adds a councillor with a dated faction membership."""
    form = CouncillorForm(posted(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.councillor_create(
                    user=form.cleaned_data["user"],
                    faction=form.cleaned_data["faction"],
                    valid_from=form.cleaned_data["valid_from"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The councillor has been added."))
                return redirect("participation:factions")
        return render_invalid(request, FORM, {"form": form})
    return render_htmx(request, FORM, {"form": form})


@permission_required("participation.manage", fn=_councillor, raise_exception=True)
@require_form
def councillor_faction(request, pk):
    """Template: participation/form.html; a change of faction from a date."""
    councillor = _councillor(request, pk)
    form = FactionChangeForm(posted(request))
    context = {
        "form": form,
        "heading": _("Change of faction: %(name)s") % {"name": councillor},
        "memberships": councillor.memberships.select_related("faction"),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                services.councillor_change_faction(
                    councillor=councillor,
                    faction=form.cleaned_data["faction"],
                    valid_from=form.cleaned_data["valid_from"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The change of faction has been saved."))
                return redirect("participation:factions")
        return render_invalid(request, FORM, context)
    return render_htmx(request, FORM, context)


def _consultation_form(request, consultation):
    """Template: participation/consultation_form.html; create (consultation None) or edit."""
    template = "participation/consultation_form.html"
    form = ConsultationForm(posted(request), instance=consultation)
    context = {"form": form, "object": consultation}
    if consultation is not None:
        context["consultation"] = consultation
    if request.method != "POST":
        return render_htmx(request, template, context)
    if not form.is_valid():
        return render_invalid(request, template, context)
    try:
        with outbox.collect() as side_effects:
            if consultation is None:
                consultation = services.consultation_create(data=form.changes(), actor=request.user)
            else:
                consultation = services.consultation_update(
                    consultation=consultation,
                    data=form.changes(),
                    expected_version=form.expected_version(),
                )
    except EditConflict as conflict:
        return render_conflict(request, template, context, form, conflict)
    messages.success(request, _("The consultation has been saved."))
    say_if_held_back(request, side_effects)
    return redirect(consultation)


@permission_required("participation.manage", raise_exception=True)
@require_form
def consultation_create(request):
    return _consultation_form(request, None)


@permission_required("participation.manage", raise_exception=True)
@require_form
def consultation_edit(request, pk):
    return _consultation_form(request, get_object_or_404(Consultation, pk=pk))


@permission_required("participation.manage", raise_exception=True)
@require_POST
def consultation_open(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        with outbox.collect() as side_effects:
            services.consultation_open(consultation=consultation)
        messages.success(request, _("The consultation is open now."))
        say_if_held_back(request, side_effects)
    except ValidationError as error:
        messages.error(request, errors(error))
    return redirect(consultation)


@permission_required("participation.manage", raise_exception=True)
@require_POST
def consultation_close(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        services.consultation_close(consultation=consultation)
        messages.success(request, _("The consultation has been closed."))
    except ValidationError as error:
        messages.error(request, errors(error))
    return redirect(consultation)
