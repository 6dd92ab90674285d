"""One vote per councillor and goal; faction attribution at voting time; concurrency."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from participation import services
from participation.models import Vote
from participation.results import goal_results

from ..services import require_postgres
from .helpers import make_consultation, make_councillor, make_faction


@pytest.mark.django_db
def test_database_refuses_a_second_vote_row(councillor_user):
    user = councillor_user()
    consultation = make_consultation()
    goal = consultation.goals.first()
    vote = services.vote_cast(
        consultation=consultation, goal=goal, councillor=user.councillor, choice="yes"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            consultation=consultation,
            goal=goal,
            councillor=vote.councillor,
            faction=vote.faction,
            choice="no",
        )


@pytest.mark.django_db
def test_changing_the_vote_updates_the_one_row(client, councillor_user):
    user = councillor_user()
    client.force_login(user)
    consultation = make_consultation()
    goal = consultation.goals.first()
    url = reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})
    for choice in ("yes", "no", "no", "abstain"):
        client.post(url, {"choice": choice})
    assert list(Vote.objects.values_list("choice", flat=True)) == ["abstain"]
    assert Vote.history.count() == 3  # created, changed to no, changed to abstain
    client.post(url, {"choice": "withdraw"})
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_invalid_choice_is_refused_without_a_row(client, councillor_user):
    client.force_login(councillor_user())
    consultation = make_consultation()
    goal = consultation.goals.first()
    url = reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})
    response = client.post(url, {"choice": "maybe"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Bitte wählen Sie" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_goal_outside_the_consultation_is_404(client, councillor_user):
    client.force_login(councillor_user())
    consultation = make_consultation()
    other = make_consultation().goals.first()
    url = reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": other.pk})
    assert client.post(url, {"choice": "yes"}).status_code == 404


@pytest.mark.django_db
def test_changed_faction_keeps_past_attribution(make_user):
    old, new = make_faction("ALT", seats=3), make_faction("NEU", seats=4)
    user = make_user("stadtrat")
    councillor = make_councillor(user, old, valid_from=datetime.date(2024, 8, 1))
    past = make_consultation()
    goal = past.goals.first()
    services.vote_cast(consultation=past, goal=goal, councillor=user.councillor, choice="yes")

    # The councillor changes faction; the past consultation closes.
    services.councillor_change_faction(
        councillor=councillor, faction=new, valid_from=datetime.date(2025, 1, 1)
    )
    past.closes_at = past.opens_at + datetime.timedelta(hours=1)
    past.save()
    user = type(user).objects.get(pk=user.pk)  # fresh: no cached councillor

    current = make_consultation()
    services.vote_cast(
        consultation=current, goal=current.goals.first(), councillor=user.councillor, choice="no"
    )

    past_result = {r.faction.short_name: r.tally for r in goal_results(past)[goal.pk].factions}
    assert (past_result["ALT"].yes, past_result["NEU"].yes) == (1, 0)
    now_result = goal_results(current)[current.goals.first().pk].factions
    now_result = {r.faction.short_name: r.tally for r in now_result}
    assert (now_result["ALT"].no, now_result["NEU"].no) == (0, 1)
    assert councillor.memberships.get(faction=old).valid_until == datetime.date(2024, 12, 31)


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_count_once_on_postgres(make_user):
    """Eight threads vote at the same moment for the same councillor: one row, no error."""
    require_postgres()
    user = make_user("stadtrat")
    make_councillor(user, make_faction())
    consultation = make_consultation()
    goal = consultation.goals.first()
    barrier = threading.Barrier(8)
    errors = []

    def click(choice):
        try:
            fresh = type(user).objects.get(pk=user.pk)
            barrier.wait()
            services.vote_cast(
                consultation=consultation, goal=goal, councillor=fresh.councillor, choice=choice
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=("yes" if i % 2 else "no",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Vote.objects.filter(consultation=consultation, goal=goal).count() == 1
    totals = goal_results(consultation)[goal.pk].totals
    assert totals.votes == 1
