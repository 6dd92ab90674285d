"""Shared by the participation views: request helpers and the permission object of the vote and
comment views."""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import discussion

# Pages answer GET (and HEAD); pages with a form POST as well; actions only POST (405 otherwise).
require_form = require_http_methods(["GET", "HEAD", "POST"])


def say_if_held_back(request, side_effects):
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


def page_number(request):
    try:
        # Capped: an offset beyond PostgreSQL's bigint was a server error (tests/security).
        return min(max(int(request.GET.get("seite", 1)), 1), 100_000)
    except ValueError:
        return 1


def heading_level(request):
    """The heading level the discussion was rendered with (2 on its own page, deeper in panels)."""
    level = request.POST.get("hl", "2")
    return int(level) if level in {"2", "3", "4"} else 2


def discussion_url(consultation, goal):
    return reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})


def posted(request):
    """The form data of a POST (bound even when empty), None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def errors(error):
    return " ".join(error.messages)


def consultation_and_goal(request, pk, goal_pk):
    """The consultation and one of its goals (404 unless the goal belongs to it), read once per
    request: the permission check and the view share it."""
    if not hasattr(request, "_participation_target"):
        found = discussion.consultation_and_goal(pk, goal_pk, discussion.stamp())
        if found is None:
            raise Http404
        request._participation_target = found
    return request._participation_target


def target_consultation(request, pk, goal_pk):
    """`fn` of the vote and comment views: the consultation is the permission object."""
    return consultation_and_goal(request, pk, goal_pk)[0]
