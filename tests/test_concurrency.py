"""Concurrency and faults on PostgreSQL (issue 8, item 4): 42 councillors voting at once, two
editors saving the same measure at once. The Celery and Redis faults are in
tests/security/test_faults.py."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from participation import services as participation
from participation.models import Vote
from participation.results import goal_results
from strategy.models import Measure

from .participation.helpers import make_consultation, make_councillor, make_faction, make_goal
from .services import require_postgres
from .strategy import factories as strategy_factories

FACTIONS = [("A", 11), ("B", 9), ("C", 6), ("D", 5), ("E", 11)]  # 42 seats
CHOICES = ("yes", "no", "abstain")


def run_at_once(functions):
    """Run each function in its own thread, released together; re-raise the first error."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # noqa: BLE001 - collected and re-raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_42_councillors_vote_and_revote_at_once_with_exact_tallies(make_user):
    require_postgres()
    councillors = []  # (user, faction)
    for short, seats in FACTIONS:
        faction = make_faction(short_name=f"K{short}", seats=seats)
        for _ in range(seats):
            user = make_user("stadtrat")
            make_councillor(user, faction)
            councillors.append((user, faction))
    goals = [make_goal(), make_goal()]
    consultation = make_consultation(goals=goals)
    first = {user.pk: CHOICES[i % 3] for i, (user, _f) in enumerate(councillors)}
    final = {user.pk: CHOICES[(i * 7 + 1) % 3] for i, (user, _f) in enumerate(councillors)}

    def councillor_session(user):
        def act():
            # Each councillor: both goals, a double click, then a change of mind on goal 1.
            for goal in goals:
                participation.vote_cast(
                    consultation=consultation,
                    goal=goal,
                    councillor=user.councillor,
                    choice=first[user.pk],
                )
            participation.vote_cast(
                consultation=consultation,
                goal=goals[1],
                councillor=user.councillor,
                choice=first[user.pk],
            )
            participation.vote_cast(
                consultation=consultation,
                goal=goals[0],
                councillor=user.councillor,
                choice=final[user.pk],
            )

        return act

    # Each councillor twice at once (two browser tabs): 84 threads' worth of races on inserts.
    sessions = [councillor_session(user) for user, _f in councillors]
    run_at_once(sessions[:42] + [councillor_session(user) for user, _f in councillors[:20]])

    assert Vote.objects.filter(consultation=consultation).count() == 2 * 42
    results = goal_results(consultation)
    for goal, expected in ((goals[0], final), (goals[1], first)):
        totals = results[goal.pk].totals
        counted = Counter(expected.values())
        assert (totals.yes, totals.no, totals.abstain) == (
            counted["yes"],
            counted["no"],
            counted["abstain"],
        )
        assert totals.votes == 42 and totals.not_voted == 0
        by_faction = {row.faction.short_name: row.tally for row in results[goal.pk].factions}
        for short, seats in FACTIONS:
            members = [u.pk for u, f in councillors if f.short_name == f"K{short}"]
            tally = by_faction[f"K{short}"]
            counted = Counter(expected[pk] for pk in members)
            assert (tally.yes, tally.no, tally.abstain, tally.votes) == (
                counted["yes"],
                counted["no"],
                counted["abstain"],
                seats,
            )
    # Every stored vote is the councillor's last word.
    for vote in Vote.objects.filter(consultation=consultation, goal=goals[0]).select_related(
        "councillor"
    ):
        assert vote.choice == final[vote.councillor.user_id]


def _measure_data(measure, **changes):
    return {
        "code": measure.code,
        "title": measure.title,
        "priority": measure.priority,
        "lifecycle": measure.lifecycle,
        "traffic_light": measure.traffic_light,
        "progress": str(measure.progress),
        "weight": str(measure.weight),
        "edited_version": str(measure.version),
        **changes,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_save_the_same_measure_at_once_and_nothing_is_lost(make_user):
    require_postgres()
    measure = strategy_factories.measure()
    url = reverse("strategy:measure_edit", kwargs={"pk": measure.pk})
    editors = {}
    for name in ("anna", "bernd"):
        client = Client()
        client.force_login(make_user("verwaltung", username=f"editor-{name}"))
        editors[name] = client
    sent = {
        "anna": _measure_data(measure, title="Fassung von Anna", progress="40"),
        "bernd": _measure_data(measure, title="Fassung von Bernd", progress="70"),
    }
    responses = {}

    def save(name):
        def act():
            responses[name] = editors[name].post(url, sent[name])

        return act

    run_at_once([save("anna"), save("bernd")])

    statuses = sorted(r.status_code for r in responses.values())
    assert statuses == [302, 409], statuses  # 409: the edit conflict (core/htmx.py)
    winner = next(n for n, r in responses.items() if r.status_code == 302)
    loser = next(n for n in responses if n != winner)
    measure.refresh_from_db()
    assert measure.title == sent[winner]["title"]
    assert measure.progress == int(sent[winner]["progress"])
    assert measure.version == 2
    # The loser is told, keeps what they typed, and sees the winner's value next to it.
    page = responses[loser].content.decode()
    assert "Jemand anderes" in page or "jemand anderes" in page.lower(), page[:2000]
    assert sent[loser]["title"] in page
    assert sent[winner]["title"] in page
    # Saving again is a deliberate choice: with the version shown, the loser's change goes in.
    retry = editors[loser].post(url, {**sent[loser], "edited_version": "2"})
    assert retry.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.version) == (sent[loser]["title"], 3)
    assert Measure.history.filter(id=measure.pk).count() >= 3  # both changes are in the history
