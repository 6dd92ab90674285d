"""Pages of council participation under /beteiligung/ (thin: reads from querysets/results,
writes through services, permissions from rules.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from core import outbox
from core.editing import EditConflict, current_values
from core.htmx import (
    CONFLICT,
    INVALID,
    HtmxTemplateMixin,
    render_htmx,
    render_invalid,
    vary_on_htmx,
    wants_partial,
)
from core.redirects import safe_next_url
from strategy.models import Goal

from . import discussion, services
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
from .results import goal_results
from .rules import councillor_of

DISCUSSION = discussion.DISCUSSION


class Guarded(PermissionRequiredMixin, HtmxTemplateMixin):
    """Permission from rules.py; htmx partials, Vary and 422 for invalid forms (core.htmx)."""

    raise_exception = True


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


# --- Building blocks shared by the pages and the goal panel -----------------------------------


def annotate_comment_permissions(user, consultation, comments):
    """Attach the consultation (no extra query) and what the user may do with each comment."""
    for comment in comments:
        comment.consultation = consultation
        comment.can_edit = user.has_perm("participation.edit_comment", comment)
        comment.can_withdraw = user.has_perm("participation.withdraw_comment", comment)
        comment.can_reply = user.has_perm("participation.reply", comment)
        comment.can_hide = user.has_perm("participation.hide_comment", comment)
        comment.can_restore = user.has_perm("participation.restore_comment", comment)


def vote_box_context(
    user,
    consultation,
    goal,
    result=None,
    my_vote=None,
    lookup_vote=True,
    data_stamp=None,
    compact=False,
):
    """The vote box; without a `result` given, the results come rendered from the cache."""
    if lookup_vote or result is None:
        data_stamp = data_stamp or discussion.stamp()
    if lookup_vote:
        my_vote = discussion.my_vote(user, consultation, goal, data_stamp)
    context = {
        "consultation": consultation,
        "goal": goal,
        "my_vote": my_vote,
        "result": result,
        "can_vote": user.has_perm("participation.vote", consultation),
        "choices": Vote.Choice.choices,
    }
    if result is None:
        context["results_html"] = discussion.results_html(consultation, goal, data_stamp, compact)
    return context


def comment_field_id(consultation, goal):
    """Unique field ids when several discussions share a page."""
    return f"comment-{consultation.pk}-{goal.pk}-%s"


def discussion_context(request, consultation, goal, page=1, form=None, data_stamp=None):
    """Everything partials/discussion.html needs for one goal in one consultation."""
    user = request.user
    data_stamp = data_stamp or discussion.stamp()
    context = vote_box_context(user, consultation, goal, data_stamp=data_stamp)
    context.update(discussion.comment_page(request, consultation, goal, page, data_stamp))
    context.update(
        {
            "can_comment": user.has_perm("participation.comment", consultation),
            "form": form or CommentForm(auto_id=comment_field_id(consultation, goal)),
        }
    )
    return context


def _consultation_and_goal(pk, goal_pk, data_stamp=None):
    """The consultation and one of its goals; 404 unless the goal belongs to it."""
    found = discussion.consultation_and_goal(pk, goal_pk, data_stamp or discussion.stamp())
    if found is None:
        raise Http404
    return found


# --- Councillor dashboard ---------------------------------------------------------------------


class IndexView(Guarded, TemplateView):
    """Template: participation/index.html; context: open (soonest deadline first), upcoming and
    closed consultations with results; for councillors their votes, comments and open goals."""

    template_name = "participation/index.html"
    permission_required = "participation.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
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
        for consultation in closed:
            results = goal_results(consultation, [g.pk for g in consultation.goals.all()])
            consultation.goal_rows = [(g, results[g.pk]) for g in consultation.goals.all()]
        context.update(
            {
                "open_consultations": open_list,
                "upcoming": Consultation.objects.filter(opens_at__gt=now).order_by("opens_at"),
                "closed_consultations": closed,
                "councillor": councillor_of(user),
            }
        )
        if context["councillor"]:
            votes = list(
                Vote.objects.filter(councillor=context["councillor"])
                .select_related("consultation", "goal")
                .order_by("-cast_at")[:20]
            )
            voted = {(v.consultation_id, v.goal_id) for v in votes}
            voted |= set(
                Vote.objects.filter(
                    councillor=context["councillor"], consultation__in=open_list
                ).values_list("consultation_id", "goal_id")
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
        return context


# --- Factions and councillors -----------------------------------------------------------------


class FactionListView(Guarded, TemplateView):
    """Template: participation/factions.html; context: factions with their current councillors."""

    template_name = "participation/factions.html"
    permission_required = "participation.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        current = FactionMembership.objects.filter(
            Q(valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        ).select_related("councillor__user")
        context["factions"] = Faction.objects.prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_members")
        )
        context["today"] = today
        return context


class FactionCreateView(Guarded, CreateView):
    """Template: participation/form.html."""

    model = Faction
    form_class = FactionForm
    template_name = "participation/form.html"
    permission_required = "participation.manage"

    def get_success_url(self):
        messages.success(self.request, _("The faction has been saved."))
        return reverse("participation:factions")


class FactionUpdateView(FactionCreateView, UpdateView):
    pass


class CouncillorCreateView(Guarded, FormView):
    """Template: participation/form.html; adds a councillor with a dated faction membership."""

    form_class = CouncillorForm
    template_name = "participation/form.html"
    permission_required = "participation.manage"

    def form_valid(self, form):
        try:
            services.add_councillor(
                form.cleaned_data["user"],
                form.cleaned_data["faction"],
                form.cleaned_data["valid_from"],
                self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The councillor has been added."))
        return redirect("participation:factions")


class CouncillorFactionView(Guarded, FormView):
    """Template: participation/form.html; a change of faction from a date."""

    form_class = FactionChangeForm
    template_name = "participation/form.html"
    permission_required = "participation.manage"

    def dispatch(self, request, *args, **kwargs):
        self.councillor = get_object_or_404(
            Councillor.objects.select_related("user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Change of faction: %(name)s") % {"name": self.councillor}
        context["memberships"] = self.councillor.memberships.select_related("faction")
        return context

    def form_valid(self, form):
        try:
            services.change_faction(
                self.councillor,
                form.cleaned_data["faction"],
                form.cleaned_data["valid_from"],
                self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The change of faction has been saved."))
        return redirect("participation:factions")


# --- Consultations ----------------------------------------------------------------------------


class ConsultationFormView(Guarded, UpdateView):
    """Template: participation/consultation_form.html; create (no pk) or edit a consultation."""

    model = Consultation
    form_class = ConsultationForm
    template_name = "participation/consultation_form.html"
    permission_required = "participation.manage"

    def get_object(self, queryset=None):
        return super().get_object(queryset) if "pk" in self.kwargs else None

    def form_valid(self, form):
        try:
            with outbox.collect() as side_effects:
                consultation = services.save_consultation(form, self.request.user)
        except EditConflict as conflict:
            return self.render_to_response(
                self.get_context_data(
                    form=form, conflict_values=current_values(form, conflict.current)
                ),
                status=CONFLICT,
            )
        messages.success(self.request, _("The consultation has been saved."))
        _say_if_held_back(self.request, side_effects)
        return redirect(consultation)


class ConsultationDetailView(Guarded, TemplateView):
    """Template: participation/consultation.html; context: the consultation, its goals each with
    the user's vote, the results and the number of comments."""

    template_name = "participation/consultation.html"
    permission_required = "participation.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = get_object_or_404(Consultation, pk=self.kwargs["pk"])
        user = self.request.user
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
        context["consultation"] = consultation
        context["goal_boxes"] = [
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
        ]
        context["can_manage"] = user.has_perm("participation.manage")
        return context


class ConsultationOpenView(Guarded, View):
    permission_required = "participation.manage"
    http_method_names = ["post"]

    def post(self, request, pk):
        consultation = get_object_or_404(Consultation, pk=pk)
        try:
            with outbox.collect() as side_effects:
                services.open_now(consultation, request.user)
            messages.success(request, _("The consultation is open now."))
            _say_if_held_back(request, side_effects)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(consultation)


class ConsultationCloseView(Guarded, View):
    permission_required = "participation.manage"
    http_method_names = ["post"]

    def post(self, request, pk):
        consultation = get_object_or_404(Consultation, pk=pk)
        try:
            services.close_now(consultation, request.user)
            messages.success(request, _("The consultation has been closed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(consultation)


# --- A goal within a consultation: discussion, vote, results ----------------------------------


class GoalDiscussionView(Guarded, TemplateView):
    """Template: participation/goal.html; context: see discussion_context. For htmx requests with
    ?seite=N it renders only the next page of comments (partials/discussion.html#comment_page)."""

    template_name = "participation/goal.html"
    permission_required = "participation.view"

    def get(self, request, pk, goal_pk):
        data_stamp = discussion.stamp()
        consultation, goal = _consultation_and_goal(pk, goal_pk, data_stamp)
        discussion.prime_councillor(request.user, data_stamp)
        page = _page_number(request)
        if wants_partial(request) and "seite" in request.GET:
            thread = discussion.comment_page(request, consultation, goal, page, data_stamp)
            return vary_on_htmx(HttpResponse(thread["comment_page_html"]))
        context = discussion_context(request, consultation, goal, page, data_stamp=data_stamp)
        context["other_goals"] = discussion.other_goals(consultation, goal, data_stamp)
        return render_htmx(request, self.template_name, context)


class VoteView(PermissionRequiredMixin, View):
    """POST choice=yes|no|abstain. htmx: partials/discussion.html#vote_box; else redirect."""

    raise_exception = True
    permission_required = "participation.vote"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.consultation, self.goal = _consultation_and_goal(
            self.kwargs["pk"], self.kwargs["goal_pk"]
        )
        return self.consultation

    def post(self, request, pk, goal_pk):
        error = None
        try:
            if request.POST.get("choice") == "withdraw":
                services.withdraw_vote(self.consultation, self.goal, request.user)
            else:
                services.cast_vote(
                    self.consultation, self.goal, request.user, request.POST.get("choice", "")
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if request.htmx:
            compact = request.POST.get("compact") == "1"
            context = vote_box_context(request.user, self.consultation, self.goal, compact=compact)
            context["compact"] = compact
            context["hl"] = _heading_level(request)
            context["vote_error"] = error
            return render_htmx(request, f"{DISCUSSION}#vote_box", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Your vote has been saved."))
        return HttpResponseRedirect(
            safe_next_url(request, _discussion_url(self.consultation, self.goal))
        )


class CommentCreateView(PermissionRequiredMixin, View):
    """POST text. htmx: the thread again (partials/discussion.html#thread); else redirect, or the
    goal page with the errors beside the field."""

    raise_exception = True
    permission_required = "participation.comment"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.consultation, self.goal = _consultation_and_goal(
            self.kwargs["pk"], self.kwargs["goal_pk"]
        )
        return self.consultation

    def post(self, request, pk, goal_pk):
        form = CommentForm(request.POST, auto_id=comment_field_id(self.consultation, self.goal))
        if form.is_valid():
            services.post_comment(
                self.consultation, self.goal, request.user, form.cleaned_data["text"]
            )
            form = None
            if not request.htmx:
                messages.success(request, _("Your comment has been published."))
                return redirect(_discussion_url(self.consultation, self.goal) + "#thread")
        data_stamp = discussion.stamp()
        context = discussion_context(
            request, self.consultation, self.goal, form=form, data_stamp=data_stamp
        )
        context["hl"] = _heading_level(request)
        status = INVALID if form is not None else 200  # form is None once the comment is saved
        if request.htmx:
            return render_htmx(request, f"{DISCUSSION}#thread", context, status=status)
        context["other_goals"] = discussion.other_goals(self.consultation, self.goal, data_stamp)
        return render_htmx(request, "participation/goal.html", context, status=status)


class CommentActionMixin(PermissionRequiredMixin):
    """Loads the comment (with its consultation) as the permission object."""

    raise_exception = True

    def get_permission_object(self):
        self.comment = get_object_or_404(
            Comment.objects.select_related("consultation", "goal", "author", "parent"),
            pk=self.kwargs["pk"],
        )
        return self.comment

    def comment_done(self, request, message):
        """htmx: the changed comment in place; otherwise back to the discussion."""
        comment = self.comment
        consultation = comment.consultation
        if request.htmx:
            comment = Comment.objects.with_replies().get(pk=comment.pk)
            annotate_comment_permissions(request.user, consultation, [comment, *comment.reply_list])
            context = {"comment": comment, "consultation": consultation, "goal": self.comment.goal}
            response = render_htmx(request, f"{DISCUSSION}#comment", context)
            # Messages of this write (e.g. "the notification follows") replace #messages.
            response.write(render_to_string("includes/messages.html#oob", request=request))
            return response
        messages.success(request, message)
        return redirect(comment.get_absolute_url())

    def comment_form(self, request, kind, form):
        """The reply / edit / hide form: participation/comment_form.html (#form for htmx)."""
        comment = self.comment
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
        if request.method == "POST":  # errors: show them where the form is, keep the input
            return render_invalid(
                request, template, context, partial="form", retarget=f"#{wrapper}"
            )
        return render_htmx(request, template, context, partial="form")


class CommentReplyView(CommentActionMixin, View):
    """GET the reply form; POST the reply (the parent comment with its replies for htmx)."""

    permission_required = "participation.reply"

    def get(self, request, pk):
        return self.comment_form(request, "reply", ReplyForm(auto_id=f"reply-{pk}-%s"))

    def post(self, request, pk):
        form = ReplyForm(request.POST, auto_id=f"reply-{pk}-%s")
        if not form.is_valid():
            return self.comment_form(request, "reply", form)
        with outbox.collect() as side_effects:
            services.post_comment(
                self.comment.consultation,
                self.comment.goal,
                request.user,
                form.cleaned_data["text"],
                parent=self.comment,
            )
        _say_if_held_back(request, side_effects)
        return self.comment_done(request, _("Your reply has been published."))


class CommentEditView(CommentActionMixin, View):
    """GET the edit form in place of the comment; POST the new text."""

    permission_required = "participation.edit_comment"

    def get(self, request, pk):
        form = CommentForm(instance=self.comment, auto_id=f"edit-{pk}-%s")
        return self.comment_form(request, "edit", form)

    def post(self, request, pk):
        form = CommentForm(request.POST, auto_id=f"edit-{pk}-%s")
        if not form.is_valid():
            return self.comment_form(request, "edit", form)
        services.edit_comment(self.comment, request.user, form.cleaned_data["text"])
        return self.comment_done(request, _("Your comment has been changed."))


class CommentWithdrawView(CommentActionMixin, View):
    permission_required = "participation.withdraw_comment"
    http_method_names = ["post"]

    def post(self, request, pk):
        services.withdraw_comment(self.comment, request.user)
        return self.comment_done(request, _("Your comment has been withdrawn."))


class CommentHideView(CommentActionMixin, View):
    """GET the moderation form; POST a reason → hidden, logged in ModerationLog."""

    permission_required = "participation.hide_comment"

    def get(self, request, pk):
        return self.comment_form(request, "hide", HideForm(auto_id=f"hide-{pk}-%s"))

    def post(self, request, pk):
        form = HideForm(request.POST, auto_id=f"hide-{pk}-%s")
        if not form.is_valid():
            return self.comment_form(request, "hide", form)
        services.hide_comment(self.comment, request.user, form.cleaned_data["reason"])
        return self.comment_done(request, _("The comment has been hidden."))


class CommentRestoreView(CommentActionMixin, View):
    permission_required = "participation.restore_comment"
    http_method_names = ["post"]

    def post(self, request, pk):
        services.restore_comment(self.comment, request.user)
        return self.comment_done(request, _("The comment is visible again."))


class ModerationLogView(Guarded, ListView):
    """Template: participation/moderation_log.html; context: log entries, newest first."""

    template_name = "participation/moderation_log.html"
    permission_required = "participation.moderate"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        return ModerationLog.objects.select_related(
            "moderator", "comment__author", "comment__goal", "comment__consultation"
        )


class PreferenceView(Guarded, FormView):
    """Template: participation/preferences.html; how the user wants to be notified."""

    template_name = "participation/preferences.html"
    permission_required = "participation.notifications"
    form_class = PreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = NotificationPreference.objects.filter(
            user=self.request.user
        ).first() or NotificationPreference(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        services.set_preference(self.request.user, form.cleaned_data["frequency"])
        messages.success(self.request, _("Your notification settings have been saved."))
        return redirect("participation:preferences")
