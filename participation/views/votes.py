"""A consultation and a goal within it: vote boxes, results, the discussion, the vote
(tests/participation/test_votes.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from core.htmx import render_htmx, vary_on_htmx, wants_partial
from core.redirects import safe_next_url

from .. import discussion, services
from ..discussion import (
    DISCUSSION,
    discussion_context,
    vote_box_context,
)
from ..models import (
    Comment,
    Consultation,
    Vote,
)
from ..results import goal_results
from ..rules import councillor_of
from .common import (
    consultation_and_goal,
    discussion_url,
    errors,
    heading_level,
    page_number,
    target_consultation,
)


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
    page = page_number(request)
    if wants_partial(request) and "seite" in request.GET:
        thread = discussion.comment_page(request, consultation, goal, page, data_stamp)
        return vary_on_htmx(HttpResponse(thread["comment_page_html"]))
    context = discussion_context(request, consultation, goal, page, data_stamp=data_stamp)
    context["other_goals"] = discussion.other_goals(consultation, goal, data_stamp)
    return render_htmx(request, "participation/goal.html", context)


@permission_required("participation.vote", fn=target_consultation, raise_exception=True)
@require_POST
def vote(request, pk, goal_pk):
    """POST choice=yes|no|abstain|withdraw. htmx: partials/discussion.html#vote_box; else
    redirect."""
    consultation, goal = consultation_and_goal(request, pk, goal_pk)
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
        error = errors(exc)
    if request.htmx:
        compact = request.POST.get("compact") == "1"
        context = vote_box_context(request.user, consultation, goal, compact=compact)
        context["compact"] = compact
        context["hl"] = heading_level(request)
        context["vote_error"] = error
        return render_htmx(request, f"{DISCUSSION}#vote_box", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your vote has been saved."))
    return HttpResponseRedirect(safe_next_url(request, discussion_url(consultation, goal)))
