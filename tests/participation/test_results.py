"""Results per faction against hand-computed values; named results only when the consultation says so."""

import pytest
from django.urls import reverse

from participation.models import Vote
from participation.results import consultations_held, goal_results

from .helpers import (
    make_closed_consultation,
    make_comment,
    make_councillor,
    make_faction,
    make_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(make_user):
    """Faction X (5 seats, 4 councillors) and Y (3 seats, 3 councillors)."""
    x, y = (
        make_faction("X", seats=5, name="Fraktion X"),
        make_faction("Y", seats=3, name="Fraktion Y"),
    )
    members = {}
    for short, faction, count in (("x", x, 4), ("y", y, 3)):
        for n in range(count):
            user = make_user("stadtrat", first_name=f"Rat{short.upper()}{n}", last_name="Test")
            members[f"{short}{n}"] = make_councillor(user, faction)
    return x, y, members


def vote(consultation, goal, councillor, choice):
    faction = councillor.faction_on()
    Vote.objects.create(
        consultation=consultation, goal=goal, councillor=councillor, faction=faction, choice=choice
    )


def test_per_faction_results_match_hand_counts(council):
    x, y, m = council
    g1, g2 = make_goal(), make_goal()
    consultation = make_closed_consultation([g1, g2])
    # Goal 1: X: yes, yes, no (1 seat not voted + 1 member not voted → 2 not voted); Y: abstain, no
    for key, choice in (
        ("x0", "yes"),
        ("x1", "yes"),
        ("x2", "no"),
        ("y0", "abstain"),
        ("y1", "no"),
    ):
        vote(consultation, g1, m[key], choice)
    # Goal 2: only y2 votes yes.
    vote(consultation, g2, m["y2"], "yes")

    results = goal_results(consultation)
    r1 = {row.faction.short_name: row.tally for row in results[g1.pk].factions}
    assert (r1["X"].yes, r1["X"].no, r1["X"].abstain, r1["X"].not_voted, r1["X"].seats) == (
        2,
        1,
        0,
        2,
        5,
    )
    assert (r1["Y"].yes, r1["Y"].no, r1["Y"].abstain, r1["Y"].not_voted, r1["Y"].seats) == (
        0,
        1,
        1,
        1,
        3,
    )
    t1 = results[g1.pk].totals
    assert (t1.yes, t1.no, t1.abstain, t1.not_voted, t1.seats) == (2, 2, 1, 3, 8)
    t2 = results[g2.pk].totals
    assert (t2.yes, t2.no, t2.abstain, t2.not_voted) == (1, 0, 0, 7)
    # Factions ordered by seats, largest first.
    assert [row.faction.short_name for row in results[g1.pk].factions] == ["X", "Y"]


def test_chart_bars_are_proportional_to_seats(council):
    x, y, m = council
    goal = make_goal()
    consultation = make_closed_consultation([goal])
    vote(consultation, goal, m["x0"], "yes")
    chart = goal_results(consultation)[goal.pk].chart
    x_row = chart["rows"][0]
    assert x_row["label"] == "X"
    yes, none = x_row["segments"]
    assert yes["width"] == pytest.approx(440 / 5) and none["width"] == pytest.approx(440 * 4 / 5)


def test_names_only_when_the_consultation_says_so(client, council, make_user):
    x, y, m = council
    goal = make_goal()
    aggregate = make_closed_consultation([goal], named_results=False)
    named = make_closed_consultation([goal], named_results=True)
    for consultation in (aggregate, named):
        vote(consultation, goal, m["x0"], "yes")
    client.force_login(make_user("ratsbuero"))

    def page(consultation):
        url = reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})
        return client.get(url).content.decode()

    assert "RatX0 Test" not in page(aggregate)
    assert "nicht namentlich" in page(aggregate)
    assert "RatX0 Test" in page(named)
    assert goal_results(aggregate)[goal.pk].named is None
    assert [v.name for v in goal_results(named)[goal.pk].named] == ["RatX0 Test"]


def test_result_page_has_svg_with_text_alternative_and_table(client, council, make_user):
    x, y, m = council
    goal = make_goal()
    consultation = make_closed_consultation([goal])
    vote(consultation, goal, m["x0"], "yes")
    client.force_login(make_user("ag_schule"))
    html = client.get(
        reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})
    ).content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "X: Zustimmung 1, Ablehnung 0, Enthaltung 0, nicht abgestimmt 4." in html
    assert '<th scope="col" class="kern-table__header">Fraktion</th>' in html


def test_consultations_held_for_the_status_report(council, make_user):
    x, y, m = council
    goal = make_goal()
    consultation = make_closed_consultation([goal])
    vote(consultation, goal, m["y0"], "no")
    author = m["x0"].user
    make_comment(consultation, author, "Eins")
    make_comment(consultation, author, "Zwei (zurückgezogen)", withdrawn_at=consultation.closes_at)
    held = consultations_held()
    assert len(held) == 1
    summary = held[0]
    assert summary.consultation == consultation and summary.comment_count == 1
    assert not summary.is_open
    ((held_goal, result),) = summary.goals
    assert held_goal == goal
    assert {r.faction.short_name: r.tally.no for r in result.factions} == {"X": 0, "Y": 1}
