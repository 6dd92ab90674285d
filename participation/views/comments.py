"""Comments: write, reply, edit, withdraw, hide, restore, and the moderation log
(tests/participation/test_comments.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from core import outbox
from core.htmx import render_htmx, render_invalid

from .. import discussion, services
from ..discussion import (
    DISCUSSION,
    annotate_comment_permissions,
    comment_field_id,
    discussion_context,
)
from ..forms import (
    CommentForm,
    HideForm,
    ReplyForm,
)
from ..models import (
    Comment,
    ModerationLog,
)
from .common import (
    consultation_and_goal,
    discussion_url,
    errors,
    heading_level,
    posted,
    require_form,
    say_if_held_back,
    target_consultation,
)


@permission_required("participation.comment", fn=target_consultation, raise_exception=True)
@require_POST
def comment_create(request, pk, goal_pk):
    """POST text. htmx: the thread again (partials/discussion.html#thread); else redirect, or the
    goal page with the errors beside the field."""
    consultation, goal = consultation_and_goal(request, pk, goal_pk)
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
                return redirect(discussion_url(consultation, goal) + "#thread")
    data_stamp = discussion.stamp()
    context = discussion_context(request, consultation, goal, form=form, data_stamp=data_stamp)
    context["hl"] = heading_level(request)
    render = render_htmx if form is None else render_invalid  # None once the comment is saved
    if request.htmx:
        return render(request, f"{DISCUSSION}#thread", context)
    context["other_goals"] = discussion.other_goals(consultation, goal, data_stamp)
    return render(request, "participation/goal.html", context)


def _comment(request, pk):
    """The comment (with consultation, goal, author and parent) of the comment actions, read
    once per request: the permission object and what the view works on."""
    if not hasattr(request, "_participation_comment"):
        request._participation_comment = get_object_or_404(
            Comment.objects.select_related("consultation", "goal", "author", "parent"), pk=pk
        )
    return request._participation_comment


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
    form = ReplyForm(posted(request), auto_id=f"reply-{pk}-%s")
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
    say_if_held_back(request, side_effects)
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
        messages.error(request, errors(error))
        return _comment_done(request, comment, None)
    return _comment_done(request, comment, _("Your comment has been withdrawn."))


@permission_required("participation.hide_comment", fn=_comment, raise_exception=True)
@require_form
def comment_hide(request, pk):
    """GET the moderation form; POST a reason → hidden, logged in ModerationLog."""
    comment = _comment(request, pk)
    form = HideForm(posted(request), auto_id=f"hide-{pk}-%s")
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
        messages.error(request, errors(error))
        return _comment_done(request, comment, None)
    return _comment_done(request, comment, _("The comment is visible again."))


MODERATION_LOG_PER_PAGE = 50


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
