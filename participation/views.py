"""Pages of council participation under /beteiligung/: one function per URL.

Each view carries its permission (`permission_required` from rules.contrib.views, rules in
participation/rules.py), reads from the models' querysets, participation/results.py and
participation/discussion.py, writes through participation/services.py and answers with
core.htmx (docs/architecture.md, "One way for each thing").
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core import outbox
from core.editing import EditConflict
from core.htmx import render_conflict, render_htmx, render_invalid, vary_on_htmx, wants_partial
from core.redirects import safe_next_url
from strategy.models import Goal

from . import discussion, services
from .discussion import (
    DISCUSSION,
    annotate_comment_permissions,
    comment_field_id,
    discussion_context,
    vote_box_context,
)
from .forms import (
    CommentForm,
    ConsultationForm,
    CouncillorForm,
    FactionChangeForm,
    FactionForm,
    HideForm,
    PreferenceForm,
    ReplyForm,
)
from .models import (
    Comment,
    Consultation,
    Councillor,
    Faction,
    FactionMembership,
    ModerationLog,
    NotificationPreference,
    Vote,
)
from .results import goal_results, results_by_consultation
from .rules import councillor_of

FORM = "participation/form.html"
MODERATION_LOG_PER_PAGE = 50
# Pages answer GET (and HEAD); pages with a form POST as well; actions only POST (405 otherwise).
require_form = require_http_methods(["GET", "HEAD", "POST"])


def _say_if_held_back(request, side_effects):
    """The write succeeded; if its notifications could not be handed to the background service
    yet (Redis away), say that they follow: the outbox sends them once it is back."""
    if side_effects.held_back:
        messages.info(
            request,
            _(
                "The notification will be sent as soon as the background service is reachable "
                "again."
            ),
        )


def _page_number(request):
    try:
        # Capped: an offset beyond PostgreSQL's bigint was a server error (tests/security).
        return min(max(int(request.GET.get("seite", 1)), 1), 100_000)
    except ValueError:
        return 1


def _heading_level(request):
    """The heading level the discussion was rendered with (2 on its own page, deeper in panels)."""
    level = request.POST.get("hl", "2")
    return int(level) if level in {"2", "3", "4"} else 2


def _discussion_url(consultation, goal):
    return reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})


def _posted(request):
    """The form data of a POST (bound even when empty), None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _errors(error):
    return " ".join(error.messages)


# --- Permission objects: read once, before the check, and kept for the view -----------------


def _consultation_and_goal(request, pk, goal_pk):
    """The consultation and one of its goals (404 unless the goal belongs to it), read once per
    request: the permission check and the view share it."""
    if not hasattr(request, "_participation_target"):
        found = discussion.consultation_and_goal(pk, goal_pk, discussion.stamp())
        if found is None:
            raise Http404
        request._participation_target = found
    return request._participation_target


def _target_consultation(request, pk, goal_pk):
    """`fn` of the vote and comment views: the consultation is the permission object."""
    return _consultation_and_goal(request, pk, goal_pk)[0]


def _comment(request, pk):
    """The comment (with consultation, goal, author and parent) of the comment actions, read
    once per request: the permission object and what the view works on."""
    if not hasattr(request, "_participation_comment"):
        request._participation_comment = get_object_or_404(
            Comment.objects.select_related("consultation", "goal", "author", "parent"), pk=pk
        )
    return request._participation_comment


def _councillor(request, pk):
    if not hasattr(request, "_participation_councillor_row"):
        request._participation_councillor_row = get_object_or_404(
            Councillor.objects.select_related("user"), pk=pk
        )
    return request._participation_councillor_row


# --- Councillor dashboard ---------------------------------------------------------------------


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


# --- Factions and councillors -----------------------------------------------------------------


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
    form = FactionForm(_posted(request), instance=faction)
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


@permission_required("participation.manage", raise_exception=True)
@require_form
def councillor_create(request):
    """Template: participation/form.html; adds a councillor with a dated faction membership."""
    form = CouncillorForm(_posted(request))
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
    form = FactionChangeForm(_posted(request))
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


# --- Consultations ----------------------------------------------------------------------------


def _consultation_form(request, consultation):
    """Template: participation/consultation_form.html; create (consultation None) or edit."""
    template = "participation/consultation_form.html"
    form = ConsultationForm(_posted(request), instance=consultation)
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
    _say_if_held_back(request, side_effects)
    return redirect(consultation)


@permission_required("participation.manage", raise_exception=True)
@require_form
def consultation_create(request):
    return _consultation_form(request, None)


@permission_required("participation.manage", raise_exception=True)
@require_form
def consultation_edit(request, pk):
    return _consultation_form(request, get_object_or_404(Consultation, pk=pk))


@permission_required("participation.view", raise_exception=True)
@require_safe
def consultation(request, pk):
    """Template: participation/consultation.html; context: the consultation, its goals each with
    the user's vote, the results and the number of comments."""
    consultation = get_object_or_404(Consultation, pk=pk)
    user = request.user
    goals = list(consultation.goals.select_related("field"))
    results = goal_results(consultation, [g.pk for g in goals])
    councillor = councillor_of(user)
    my_votes = (
        {
            v.goal_id: v
            for v in Vote.objects.filter(councillor=councillor, consultation=consultation)
        }
        if councillor
        else {}
    )
    counts = dict(
        Comment.objects.filter(consultation=consultation)
        .values_list("goal_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "consultation": consultation,
        "goal_boxes": [
            {
                **vote_box_context(
                    user,
                    consultation,
                    goal,
                    result=results[goal.pk],
                    my_vote=my_votes.get(goal.pk),
                    lookup_vote=False,
                ),
                "comment_count": counts.get(goal.pk, 0),
                "compact": True,
            }
            for goal in goals
        ],
        "can_manage": user.has_perm("participation.manage"),
    }
    return render_htmx(request, "participation/consultation.html", context)


@permission_required("participation.manage", raise_exception=True)
@require_POST
def consultation_open(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        with outbox.collect() as side_effects:
            services.consultation_open(consultation=consultation)
        messages.success(request, _("The consultation is open now."))
        _say_if_held_back(request, side_effects)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(consultation)


@permission_required("participation.manage", raise_exception=True)
@require_POST
def consultation_close(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        services.consultation_close(consultation=consultation)
        messages.success(request, _("The consultation has been closed."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(consultation)


# --- A goal within a consultation: discussion, vote, results ----------------------------------


@permission_required("participation.view", raise_exception=True)
@require_safe
def goal(request, pk, goal_pk):
    """Template: participation/goal.html; context: see discussion.discussion_context. For htmx
    requests with ?seite=N only the next page of comments
    (partials/discussion.html#comment_page)."""
    data_stamp = discussion.stamp()
    found = discussion.consultation_and_goal(pk, goal_pk, data_stamp)
    if found is None:
        raise Http404
    consultation, goal = found
    discussion.prime_councillor(request.user, data_stamp)
    page = _page_number(request)
    if wants_partial(request) and "seite" in request.GET:
        thread = discussion.comment_page(request, consultation, goal, page, data_stamp)
        return vary_on_htmx(HttpResponse(thread["comment_page_html"]))
    context = discussion_context(request, consultation, goal, page, data_stamp=data_stamp)
    context["other_goals"] = discussion.other_goals(consultation, goal, data_stamp)
    return render_htmx(request, "participation/goal.html", context)


@permission_required("participation.vote", fn=_target_consultation, raise_exception=True)
@require_POST
def vote(request, pk, goal_pk):
    """POST choice=yes|no|abstain|withdraw. htmx: partials/discussion.html#vote_box; else
    redirect."""
    consultation, goal = _consultation_and_goal(request, pk, goal_pk)
    councillor = councillor_of(request.user)
    error = None
    try:
        if request.POST.get("choice") == "withdraw":
            services.vote_withdraw(consultation=consultation, goal=goal, councillor=councillor)
        else:
            services.vote_cast(
                consultation=consultation,
                goal=goal,
                councillor=councillor,
                choice=request.POST.get("choice", ""),
            )
    except ValidationError as exc:
        error = _errors(exc)
    if request.htmx:
        compact = request.POST.get("compact") == "1"
        context = vote_box_context(request.user, consultation, goal, compact=compact)
        context["compact"] = compact
        context["hl"] = _heading_level(request)
        context["vote_error"] = error
        return render_htmx(request, f"{DISCUSSION}#vote_box", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your vote has been saved."))
    return HttpResponseRedirect(safe_next_url(request, _discussion_url(consultation, goal)))


@permission_required("participation.comment", fn=_target_consultation, raise_exception=True)
@require_POST
def comment_create(request, pk, goal_pk):
    """POST text. htmx: the thread again (partials/discussion.html#thread); else redirect, or the
    goal page with the errors beside the field."""
    consultation, goal = _consultation_and_goal(request, pk, goal_pk)
    form = CommentForm(request.POST, auto_id=comment_field_id(consultation, goal))
    if form.is_valid():
        try:
            services.comment_post(
                consultation=consultation,
                goal=goal,
                author=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = None
            if not request.htmx:
                messages.success(request, _("Your comment has been published."))
                return redirect(_discussion_url(consultation, goal) + "#thread")
    data_stamp = discussion.stamp()
    context = discussion_context(request, consultation, goal, form=form, data_stamp=data_stamp)
    context["hl"] = _heading_level(request)
    render = render_htmx if form is None else render_invalid  # None once the comment is saved
    if request.htmx:
        return render(request, f"{DISCUSSION}#thread", context)
    context["other_goals"] = discussion.other_goals(consultation, goal, data_stamp)
    return render(request, "participation/goal.html", context)


# --- Actions on one comment -------------------------------------------------------------------


def _comment_done(request, comment, message):
    """htmx: the changed comment in place; otherwise back to the discussion with `message`."""
    consultation = comment.consultation
    if request.htmx:
        changed = Comment.objects.with_replies().get(pk=comment.pk)
        annotate_comment_permissions(request.user, consultation, [changed, *changed.reply_list])
        context = {"comment": changed, "consultation": consultation, "goal": comment.goal}
        response = render_htmx(request, f"{DISCUSSION}#comment", context)
        # Messages of this write (e.g. "the notification follows") replace #messages.
        response.write(render_to_string("includes/messages.html#oob", request=request))
        return response
    if message:
        messages.success(request, message)
    return redirect(comment.get_absolute_url())


def _comment_form(request, comment, kind, form):
    """The reply / edit / hide form: participation/comment_form.html (#form for htmx); after a
    POST with errors 422 where the form is, the input kept."""
    texts = {
        "reply": (
            _("Reply to the comment of %(author)s") % {"author": comment.author},
            _("Publish reply"),
            "participation:comment_reply",
        ),
        "edit": (_("Edit your comment"), _("Save changes"), "participation:comment_edit"),
        "hide": (
            _("Hide the comment of %(author)s") % {"author": comment.author},
            _("Hide comment"),
            "participation:comment_hide",
        ),
    }
    heading, submit_label, url_name = texts[kind]
    wrapper = f"comment-{comment.pk}" if kind == "edit" else f"form-{kind}-{comment.pk}"
    context = {
        "comment": comment,
        "consultation": comment.consultation,
        "goal": comment.goal,
        "form": form,
        "kind": kind,
        "wrapper_id": wrapper,
        "heading": heading,
        "submit_label": submit_label,
        "action_url": reverse(url_name, args=[comment.pk]),
    }
    template = "participation/comment_form.html"
    if request.method == "POST":
        return render_invalid(request, template, context, partial="form", retarget=f"#{wrapper}")
    return render_htmx(request, template, context, partial="form")


def _comment_write(request, comment, kind, form, write):
    """Run `write()` (a service call); a refusal (ValidationError) shows the form again."""
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error)
        return _comment_form(request, comment, kind, form)
    return None


@permission_required("participation.reply", fn=_comment, raise_exception=True)
@require_form
def comment_reply(request, pk):
    """GET the reply form; POST the reply (the parent comment with its replies for htmx)."""
    comment = _comment(request, pk)
    form = ReplyForm(_posted(request), auto_id=f"reply-{pk}-%s")
    if request.method != "POST" or not form.is_valid():
        return _comment_form(request, comment, "reply", form)
    with outbox.collect() as side_effects:
        refused = _comment_write(
            request,
            comment,
            "reply",
            form,
            lambda: services.comment_post(
                consultation=comment.consultation,
                goal=comment.goal,
                author=request.user,
                text=form.cleaned_data["text"],
                parent=comment,
            ),
        )
    if refused:
        return refused
    _say_if_held_back(request, side_effects)
    return _comment_done(request, comment, _("Your reply has been published."))


@permission_required("participation.edit_comment", fn=_comment, raise_exception=True)
@require_form
def comment_edit(request, pk):
    """GET the edit form in place of the comment; POST the new text."""
    comment = _comment(request, pk)
    if request.method != "POST":
        form = CommentForm(instance=comment, auto_id=f"edit-{pk}-%s")
        return _comment_form(request, comment, "edit", form)
    form = CommentForm(request.POST, auto_id=f"edit-{pk}-%s")
    if not form.is_valid():
        return _comment_form(request, comment, "edit", form)
    refused = _comment_write(
        request,
        comment,
        "edit",
        form,
        lambda: services.comment_edit(comment=comment, text=form.cleaned_data["text"]),
    )
    return refused or _comment_done(request, comment, _("Your comment has been changed."))


@permission_required(
    "participation.withdraw_comment",
    fn=_comment,
    raise_exception=True,
)
@require_POST
def comment_withdraw(request, pk):
    comment = _comment(request, pk)
    try:
        services.comment_withdraw(comment=comment)
    except ValidationError as error:  # the consultation closed just now
        messages.error(request, _errors(error))
        return _comment_done(request, comment, None)
    return _comment_done(request, comment, _("Your comment has been withdrawn."))


@permission_required("participation.hide_comment", fn=_comment, raise_exception=True)
@require_form
def comment_hide(request, pk):
    """GET the moderation form; POST a reason → hidden, logged in ModerationLog."""
    comment = _comment(request, pk)
    form = HideForm(_posted(request), auto_id=f"hide-{pk}-%s")
    if request.method != "POST" or not form.is_valid():
        return _comment_form(request, comment, "hide", form)
    refused = _comment_write(
        request,
        comment,
        "hide",
        form,
        lambda: services.comment_hide(
            comment=comment, moderator=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    return refused or _comment_done(request, comment, _("The comment has been hidden."))


@permission_required(
    "participation.restore_comment",
    fn=_comment,
    raise_exception=True,
)
@require_POST
def comment_restore(request, pk):
    comment = _comment(request, pk)
    try:
        services.comment_restore(comment=comment, moderator=request.user)
    except ValidationError as error:  # restored by someone else just now
        messages.error(request, _errors(error))
        return _comment_done(request, comment, None)
    return _comment_done(request, comment, _("The comment is visible again."))


# --- Moderation log and notification settings -------------------------------------------------


@permission_required("participation.moderate", raise_exception=True)
@require_safe
def moderation_log(request):
    """Template: participation/moderation_log.html; context: log entries, newest first, 50 a
    page (?page=N; a page that does not exist is 404)."""
    entries = ModerationLog.objects.select_related(
        "moderator", "comment__author", "comment__goal", "comment__consultation"
    )
    paginator = Paginator(entries, MODERATION_LOG_PER_PAGE)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(paginator.num_pages if number == "last" else int(number))
    except (ValueError, InvalidPage) as error:
        raise Http404 from error
    context = {
        "paginator": paginator,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "object_list": page.object_list,
        "entries": page.object_list,
    }
    return render_htmx(request, "participation/moderation_log.html", context)


@permission_required("participation.notifications", raise_exception=True)
@require_form
def preferences(request):
    """Template: participation/preferences.html; how the user wants to be notified."""
    user = request.user
    preference = NotificationPreference.objects.filter(user=user).first()
    form = PreferenceForm(
        _posted(request), instance=preference or NotificationPreference(user=user)
    )
    template = "participation/preferences.html"
    if request.method != "POST":
        return render_htmx(request, template, {"form": form})
    if not form.is_valid():
        return render_invalid(request, template, {"form": form})
    services.preferences_update(user=user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("Your notification settings have been saved."))
    return redirect("participation:preferences")
