"""Every strategy URL: everyone with a role reads, only Verwaltung writes (docs/permissions.md)."""

from django.utils import timezone

from ..url_cases import READERS, VERWALTUNG, UrlCase
from . import factories as f


def _field(user):
    return {"pk": f.field().pk}


def _goal(user):
    return {"pk": f.goal().pk}


def _measure(user):
    return {"pk": f.measure().pk}


def _milestone(user):
    return {"pk": f.milestone().pk}


def _archived(make):
    """URL kwargs of an archived item (restore needs one; restoring works once per case)."""

    def setup(user):
        obj = make()
        obj.archived_at = timezone.now()
        obj.save()
        return {"pk": obj.pk}

    return setup


def _field_parent(user):
    return {"parent_pk": f.field().pk}


def _goal_parent(user):
    return {"parent_pk": f.goal().pk}


def _measure_parent(user):
    return {"parent_pk": f.measure().pk}


def _field_data(user):
    return {"code": "HF 99", "title": "Neues Handlungsfeld", "description": ""}


def _goal_data(user):
    return {"code": "Z 99.1", "title": "Neues Ziel", "status": "not_assessed"}


def _measure_data(user):
    return {
        "code": "M 99.1.1",
        "title": "Neue Maßnahme",
        "priority": "medium",
        "lifecycle": "planned",
        "traffic_light": "not_rated",
        "progress": "0",
        "weight": "1",
    }


def _milestone_data(user):
    return {"title": "Neuer Meilenstein", "due_date": "2026-12-15"}


def _edit_field(user):
    return {**_field_data(user), "edited_version": "1"}


def _edit_goal(user):
    return {**_goal_data(user), "edited_version": "1"}


def _edit_measure(user):
    return {**_measure_data(user), "edited_version": "1"}


def _edit_milestone(user):
    return {**_milestone_data(user), "edited_version": "1"}


SAVED = (200, 302)  # 302 after a plain POST, 200 for htmx


def _feed_token(user):
    """A deadline feed of a Stadtrat (the token owner, not the requester, must be a reader)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from strategy.models import DeadlineFeed

    owner = get_user_model().objects.create(username=f"abo-{f._next()}")
    owner.groups.add(Group.objects.get_or_create(name=roles.STADTRAT)[0])
    return {"token": DeadlineFeed.objects.create(user=owner).token}


def _unknown_token(user):
    return {"token": "kein-gueltiges-token"}


CASES = [
    UrlCase("strategy:index", allowed=READERS),
    UrlCase("strategy:index", allowed=READERS, htmx=True, label="htmx filter"),
    UrlCase("strategy:deadlines", allowed=READERS),
    UrlCase("strategy:deadlines_ics", allowed=READERS),
    UrlCase("strategy:deadline_feed_settings", allowed=READERS),
    UrlCase(
        "strategy:deadline_feed_settings",
        allowed=READERS,
        method="post",
        data={"action": "regenerate"},
        ok=(302,),
        label="regenerate",
    ),
    # Public by design: the secret token is the credential (tests/strategy/test_deadline_feed.py).
    UrlCase(
        "strategy:deadline_feed",
        setup=_feed_token,
        expect={"anonymous": 200, **{role: 200 for role in READERS}},
    ),
    UrlCase(
        "strategy:deadline_feed",
        setup=_unknown_token,
        expect={"anonymous": 404, **{role: 404 for role in READERS}},
        label="unknown token",
    ),
    UrlCase("strategy:timeline", allowed=READERS),
    UrlCase("strategy:export_csv", allowed=READERS),
    UrlCase("strategy:export_xlsx", allowed=READERS),
    UrlCase("strategy:import", allowed=VERWALTUNG),
    UrlCase("strategy:import", allowed=VERWALTUNG, method="post", label="no file", ok=(422,)),
    # detail pages
    UrlCase("strategy:field_detail", allowed=READERS, setup=_field),
    UrlCase("strategy:goal_detail", allowed=READERS, setup=_goal),
    UrlCase("strategy:goal_measures", allowed=READERS, setup=_goal, htmx=True, label="htmx"),
    UrlCase("strategy:goal_measures", allowed=READERS, setup=_goal, ok=(302,), label="no htmx"),
    UrlCase("strategy:measure_detail", allowed=READERS, setup=_measure),
    UrlCase("strategy:measure_detail", allowed=READERS, setup=_measure, htmx=True, label="htmx"),
    # create
    UrlCase("strategy:field_create", allowed=VERWALTUNG),
    UrlCase("strategy:field_create", allowed=VERWALTUNG, htmx=True, label="htmx form"),
    UrlCase("strategy:field_create", allowed=VERWALTUNG, method="post", data=_field_data, ok=SAVED),
    UrlCase("strategy:goal_create", allowed=VERWALTUNG, setup=_field_parent),
    UrlCase(
        "strategy:goal_create",
        allowed=VERWALTUNG,
        method="post",
        setup=_field_parent,
        data=_goal_data,
        htmx=True,
        ok=SAVED,
    ),
    UrlCase("strategy:measure_create", allowed=VERWALTUNG, setup=_goal_parent),
    UrlCase(
        "strategy:measure_create",
        allowed=VERWALTUNG,
        method="post",
        setup=_goal_parent,
        data=_measure_data,
        ok=SAVED,
    ),
    UrlCase("strategy:milestone_create", allowed=VERWALTUNG, setup=_measure_parent),
    UrlCase(
        "strategy:milestone_create",
        allowed=VERWALTUNG,
        method="post",
        setup=_measure_parent,
        data=_milestone_data,
        htmx=True,
        ok=SAVED,
    ),
    # edit
    UrlCase("strategy:field_edit", allowed=VERWALTUNG, setup=_field),
    UrlCase(
        "strategy:field_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_field,
        data=_edit_field,
        ok=SAVED,
    ),
    UrlCase("strategy:goal_edit", allowed=VERWALTUNG, setup=_goal, htmx=True),
    UrlCase(
        "strategy:goal_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_goal,
        data=_edit_goal,
        htmx=True,
        ok=SAVED,
    ),
    UrlCase("strategy:measure_edit", allowed=VERWALTUNG, setup=_measure),
    UrlCase(
        "strategy:measure_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_measure,
        data=_edit_measure,
        htmx=True,
        ok=SAVED,
    ),
    UrlCase("strategy:milestone_edit", allowed=VERWALTUNG, setup=_milestone, htmx=True),
    UrlCase(
        "strategy:milestone_edit",
        allowed=VERWALTUNG,
        method="post",
        setup=_milestone,
        data=_edit_milestone,
        ok=SAVED,
    ),
    # delete (GET: confirmation)
    UrlCase("strategy:field_delete", allowed=VERWALTUNG, setup=_field),
    UrlCase("strategy:field_delete", allowed=VERWALTUNG, method="post", setup=_field, ok=SAVED),
    UrlCase("strategy:goal_delete", allowed=VERWALTUNG, setup=_goal, htmx=True),
    UrlCase(
        "strategy:goal_delete",
        allowed=VERWALTUNG,
        method="post",
        setup=_goal,
        htmx=True,
        ok=SAVED,
    ),
    UrlCase("strategy:measure_delete", allowed=VERWALTUNG, setup=_measure),
    UrlCase("strategy:measure_delete", allowed=VERWALTUNG, method="post", setup=_measure, ok=SAVED),
    UrlCase("strategy:milestone_delete", allowed=VERWALTUNG, setup=_milestone, htmx=True),
    UrlCase(
        "strategy:milestone_delete",
        allowed=VERWALTUNG,
        method="post",
        setup=_milestone,
        htmx=True,
        ok=SAVED,
    ),
    # restore from the archive (POST only, Verwaltung only)
    UrlCase(
        "strategy:field_restore",
        allowed=VERWALTUNG,
        method="post",
        setup=_archived(f.field),
        ok=SAVED,
    ),
    UrlCase(
        "strategy:goal_restore",
        allowed=VERWALTUNG,
        method="post",
        setup=_archived(f.goal),
        htmx=True,
        ok=(200,),
    ),
    UrlCase(
        "strategy:measure_restore",
        allowed=VERWALTUNG,
        method="post",
        setup=_archived(f.measure),
        ok=SAVED,
    ),
    # reorder and milestone done (POST only)
    UrlCase(
        "strategy:field_move",
        allowed=VERWALTUNG,
        method="post",
        setup=_field,
        data={"direction": "up"},
        ok=SAVED,
    ),
    UrlCase(
        "strategy:goal_move",
        allowed=VERWALTUNG,
        method="post",
        setup=_goal,
        data={"direction": "down"},
        htmx=True,
        ok=SAVED,
    ),
    UrlCase(
        "strategy:measure_move",
        allowed=VERWALTUNG,
        method="post",
        setup=_measure,
        data={"direction": "up"},
        htmx=True,
        ok=SAVED,
    ),
    UrlCase(
        "strategy:milestone_done",
        allowed=VERWALTUNG,
        method="post",
        setup=_milestone,
        data={"done": "1"},
        htmx=True,
        ok=SAVED,
    ),
    UrlCase(
        "strategy:milestone_done",
        allowed=VERWALTUNG,
        method="post",
        setup=_milestone,
        data={"done": "0"},
        ok=SAVED,
        label="reopen",
    ),
]
