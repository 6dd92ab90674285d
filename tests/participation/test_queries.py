"""Every page of council participation runs an exact number of queries, the same for 10 and for
200 rows (consultations, goals, factions, councillors, votes, comments, log entries)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from participation.models import (
    Comment,
    Consultation,
    Councillor,
    Faction,
    FactionMembership,
    ModerationLog,
    NotificationPreference,
    Vote,
)
from participation.results import consultations_held
from strategy.models import FieldOfAction, Goal

from .helpers import TERM_START

pytestmark = pytest.mark.django_db

# Every page of the shell: session, user, the user's role groups, municipality name.
SHELL = 4


def build(n, reader, moderator):
    """n goals, factions, councillors (one each), candidate Stadtrat users, open / closed /
    upcoming consultations (two goals each) and one main consultation with every goal, n votes
    and comments by the reader and others, n moderation log entries."""
    now = timezone.now()
    user_model = get_user_model()
    stadtrat = Group.objects.get_or_create(name=roles.STADTRAT)[0]
    field = FieldOfAction.objects.create(code="HF Q", title="Feld")
    goals = Goal.objects.bulk_create(
        Goal(field=field, code=f"Z Q.{i}", title=f"Ziel {i}", position=i) for i in range(n)
    )
    factions = Faction.objects.bulk_create(
        Faction(name=f"Fraktion {i}", short_name=f"F{i}", seats=3, term_start=TERM_START)
        for i in range(n)
    )
    people = user_model.objects.bulk_create(
        user_model(username=f"person-{i}", first_name="Vor", last_name=f"Name {i}")
        for i in range(2 * n)
    )
    stadtrat.user_set.add(*people)
    councillors = Councillor.objects.bulk_create(Councillor(user=u) for u in people[:n])
    FactionMembership.objects.bulk_create(
        FactionMembership(councillor=c, faction=f, valid_from=TERM_START)
        for c, f in zip(councillors, factions, strict=True)
    )
    mine = Councillor.objects.create(user=reader)
    FactionMembership.objects.create(councillor=mine, faction=factions[0], valid_from=TERM_START)

    day = datetime.timedelta(days=1)
    main = Consultation.objects.create(
        title="Haupt", introduction="Bitte.", opens_at=now - day, closes_at=now + 5 * day
    )
    main.goals.set(goals)
    others = Consultation.objects.bulk_create(
        Consultation(title=f"{title} {i}", introduction="Bitte.", opens_at=opens, closes_at=closes)
        for i in range(n)
        for title, opens, closes in (
            ("Offen", now - day, now + (6 + i) * day),
            ("Zu", now - 20 * day, now - day - i * day / n),
            ("Bald", now + (1 + i) * day, now + (2 + i) * day),
        )
    )
    Consultation.goals.through.objects.bulk_create(
        Consultation.goals.through(consultation=c, goal=g)
        for i, c in enumerate(others)
        for g in {goals[(i // 3) % n], goals[(i // 3 + 1) % n]}
    )
    Vote.objects.bulk_create(
        [
            Vote(
                consultation=main,
                goal=goals[i],
                councillor=c,
                faction=factions[i],
                choice=Vote.Choice.YES,
            )
            for i, c in enumerate(councillors)
        ]
        + [
            Vote(
                consultation=main,
                goal=g,
                councillor=mine,
                faction=factions[0],
                choice=Vote.Choice.NO,
            )
            for g in goals[1:]
        ]
    )
    comments = Comment.objects.bulk_create(
        Comment(consultation=main, goal=goals[0], author=u.user, text=f"Kommentar {i}")
        for i, u in enumerate([mine, *councillors])
    )
    Comment.objects.bulk_create(
        Comment(consultation=main, goal=goals[0], author=reader, parent=c, text="Antwort")
        for c in comments
    )
    Comment.objects.bulk_create(
        Comment(consultation=main, goal=goals[i], author=reader, text="Eigener") for i in range(n)
    )
    ModerationLog.objects.bulk_create(
        ModerationLog(comment=c, moderator=moderator, action="hide", reason="Netiquette")
        for c in comments[1:]
    )
    NotificationPreference.objects.create(
        user=reader, frequency=NotificationPreference.Frequency.IMMEDIATE
    )
    cache.clear()
    return main, goals[0], comments[0], councillors[0]


@pytest.fixture(params=[10, 200])
def site(request, client, make_user):
    reader = make_user("stadtrat")
    moderator = make_user("verwaltung")
    main, goal, comment, councillor = build(request.param, reader, moderator)
    return {
        "n": request.param,
        "client": client,
        "reader": reader,
        "moderator": moderator,
        "main": main,
        "goal": goal,
        "comment": comment,
        "councillor": councillor,
        "faction": councillor.memberships.get().faction,
    }


# name: (who reads, url kwargs, queries beyond the shell)
PAGES = {
    # open consultations + their goals, the last five closed + their goals, their results
    # (factions, tallies), upcoming, the reader's seat, votes, votes in open consultations,
    # comments
    "index": ("reader", lambda s: {}, 11),
    "factions": ("reader", lambda s: {}, 2),  # factions, current memberships with people
    "faction_create": ("moderator", lambda s: {}, 0),
    "faction_edit": ("moderator", lambda s: {"pk": s["faction"].pk}, 1),
    "councillor_create": ("moderator", lambda s: {}, 2),  # candidates, factions
    # councillor, their memberships, factions
    "councillor_faction": ("moderator", lambda s: {"pk": s["councillor"].pk}, 3),
    "consultation_create": ("moderator", lambda s: {}, 1),  # goals offered
    # consultation, goals offered, goals chosen
    "consultation_edit": ("moderator", lambda s: {"pk": s["main"].pk}, 3),
    # consultation, goals, factions, tallies, the reader's seat and votes, comment counts
    "consultation": ("reader", lambda s: {"pk": s["main"].pk}, 7),
    # cold cache: stamp, consultation with goal, seat, own vote, factions, tallies, comments,
    # replies, comment count, other goals
    "goal": ("reader", lambda s: {"pk": s["main"].pk, "goal_pk": s["goal"].pk}, 10),
    "comment_reply": ("moderator", lambda s: {"pk": s["comment"].pk}, 1),
    "comment_edit": ("reader", lambda s: {"pk": s["comment"].pk}, 1),
    "comment_hide": ("moderator", lambda s: {"pk": s["comment"].pk}, 1),
    "moderation_log": ("moderator", lambda s: {}, 2),  # count, one page of entries
    "preferences": ("reader", lambda s: {}, 1),  # the reader's preference
}


def test_every_page_is_counted():
    from participation.urls import urlpatterns

    actions = {
        "consultation_open",
        "consultation_close",
        "vote",
        "comment_create",
        "comment_withdraw",
        "comment_restore",
    }
    assert {p.name for p in urlpatterns} - actions == set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_queries(site, name, django_assert_num_queries):
    who, kwargs, queries = PAGES[name]
    client = site["client"]
    client.force_login(site[who])
    url = reverse(f"participation:{name}", kwargs=kwargs(site))
    with django_assert_num_queries(SHELL + queries):
        response = client.get(url)
    assert response.status_code == 200


def test_consultations_held_queries(site, django_assert_num_queries):
    """The status report's read: consultations, their goals, comment counts, factions, vote
    counts, named votes (one consultation has named results), for any number of them."""
    Consultation.objects.filter(pk=site["main"].pk).update(named_results=True)
    with django_assert_num_queries(6):
        held = consultations_held()
    assert len(held) == 2 * site["n"] + 1
    main = next(s for s in held if s.consultation.pk == site["main"].pk)
    assert main.goals[0][1].named  # the votes by name of the consultation with named results
