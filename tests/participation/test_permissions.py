"""Permission matrix: role × phase of the consultation (docs/permissions.md,
participation/rules.py)."""

import datetime

import pytest
from django.utils import timezone

from .helpers import make_comment, make_consultation, make_councillor, make_faction

pytestmark = pytest.mark.django_db

PHASES = ("upcoming", "open", "closed")
# Who may do what in which phase. "councillor" = Stadtrat role with a current seat;
# "stadtrat_unseated" = the role without a councillor record (e.g. after leaving the council).
EXPECTED = {
    "vote": {"councillor": {"open"}},
    "comment": {"councillor": {"open"}},
    "reply": {"councillor": {"open"}, "verwaltung": {"open"}},
    "moderate": {"verwaltung": set(PHASES)},
    "manage": {"verwaltung": set(PHASES)},
    "view": {
        role: set(PHASES)
        for role in ("councillor", "stadtrat_unseated", "verwaltung", "ag_schule", "ratsbuero")
    },
}
PEOPLE = ("councillor", "stadtrat_unseated", "verwaltung", "ag_schule", "ratsbuero")


def consultation_in(phase):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    opens, closes = {
        "upcoming": (now + day, now + 3 * day),
        "open": (now - day, now + day),
        "closed": (now - 3 * day, now - day),
    }[phase]
    return make_consultation(opens_at=opens, closes_at=closes)


def person(make_user, who):
    if who == "councillor":
        user = make_user("stadtrat")
        make_councillor(user, make_faction())
        return user
    if who == "stadtrat_unseated":
        return make_user("stadtrat")
    return make_user(who)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", tuple(EXPECTED))
def test_permission_matrix(make_user, action, who, phase):
    user = person(make_user, who)
    consultation = consultation_in(phase)
    author = make_user("stadtrat")
    make_councillor(author, make_faction())
    comment = make_comment(consultation, author)
    obj = comment if action == "reply" else consultation
    allowed = phase in EXPECTED[action].get(who, set())
    assert user.has_perm(f"participation.{action}", obj) is allowed


def test_former_councillor_may_no_longer_vote(make_user):
    user = make_user("stadtrat")
    councillor = make_councillor(user, make_faction(), valid_from=datetime.date(2024, 8, 1))
    councillor.memberships.update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert not user.has_perm("participation.vote", consultation_in("open"))


def test_replies_are_one_level_deep(make_user):
    consultation = consultation_in("open")
    councillor = make_user("stadtrat")
    make_councillor(councillor, make_faction())
    top = make_comment(consultation, councillor)
    reply = make_comment(consultation, councillor, parent=top)
    assert councillor.has_perm("participation.reply", top)
    assert not councillor.has_perm("participation.reply", reply)


def test_ag_schule_and_ratsbuero_get_403_on_comment_and_vote(role_client, make_user):
    consultation = consultation_in("open")
    goal = consultation.goals.first()
    for role in ("ag_schule", "ratsbuero"):
        client = role_client(role)
        kwargs = {"pk": consultation.pk, "goal_pk": goal.pk}
        from django.urls import reverse

        vote = client.post(reverse("participation:vote", kwargs=kwargs), {"choice": "yes"})
        comment = client.post(
            reverse("participation:comment_create", kwargs=kwargs), {"text": "Hallo"}
        )
        assert (vote.status_code, comment.status_code) == (403, 403)
        # The page shows neither the vote buttons nor the comment form.
        page = client.get(reverse("participation:goal", kwargs=kwargs)).content.decode()
        assert 'name="choice"' not in page and "Kommentar veröffentlichen" not in page
