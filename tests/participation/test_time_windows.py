"""The exact time window, with a frozen clock: one second before/after opening and closing."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from participation import services
from participation.models import Comment, Vote

from .helpers import make_consultation

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
OPENS = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
CLOSES = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=BERLIN)
SECOND = datetime.timedelta(seconds=1)

MOMENTS = [
    (OPENS - SECOND, False),
    (OPENS, True),
    (OPENS + SECOND, True),
    (CLOSES - SECOND, True),
    (CLOSES, False),
    (CLOSES + SECOND, False),
]


@pytest.fixture
def consultation():
    return make_consultation(opens_at=OPENS, closes_at=CLOSES)


@pytest.mark.parametrize(("moment", "is_open"), MOMENTS)
def test_vote_over_http_only_inside_the_window(
    client, councillor_user, consultation, moment, is_open
):
    user = councillor_user()
    goal = consultation.goals.first()
    url = reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})
    with time_machine.travel(moment, tick=False):
        client.force_login(user)  # the session must be fresh at the frozen moment
        response = client.post(url, {"choice": "yes"})
    assert response.status_code == (302 if is_open else 403)
    assert Vote.objects.filter(consultation=consultation).count() == (1 if is_open else 0)


@pytest.mark.parametrize(("moment", "is_open"), MOMENTS)
def test_comment_over_http_only_inside_the_window(
    client, councillor_user, consultation, moment, is_open
):
    user = councillor_user()
    goal = consultation.goals.first()
    url = reverse(
        "participation:comment_create", kwargs={"pk": consultation.pk, "goal_pk": goal.pk}
    )
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        response = client.post(url, {"text": "Rechtzeitig?"})
    assert response.status_code == (302 if is_open else 403)
    assert Comment.objects.filter(consultation=consultation).count() == (1 if is_open else 0)


def test_page_loaded_while_open_but_submitted_after_closing_is_refused(
    client, councillor_user, consultation
):
    """The server checks the closing time at the moment of the write, not when the page loaded."""
    user = councillor_user()
    goal = consultation.goals.first()
    with time_machine.travel(CLOSES - SECOND, tick=False):
        assert user.has_perm("participation.vote", consultation)
    with time_machine.travel(CLOSES + SECOND, tick=False), pytest.raises(ValidationError):
        services.vote_cast(
            consultation=consultation, goal=goal, councillor=user.councillor, choice="yes"
        )
    with time_machine.travel(CLOSES + SECOND, tick=False), pytest.raises(ValidationError):
        services.comment_post(consultation=consultation, goal=goal, author=user, text="Zu spät")
    assert not Vote.objects.exists() and not Comment.objects.exists()


def test_vote_can_be_changed_and_withdrawn_until_the_closing_time(councillor_user, consultation):
    user = councillor_user()
    goal = consultation.goals.first()
    with time_machine.travel(CLOSES - 10 * SECOND, tick=False):
        services.vote_cast(
            consultation=consultation, goal=goal, councillor=user.councillor, choice="yes"
        )
        services.vote_cast(
            consultation=consultation, goal=goal, councillor=user.councillor, choice="no"
        )
    assert Vote.objects.get().choice == "no"
    with time_machine.travel(CLOSES - SECOND, tick=False):
        services.vote_withdraw(consultation=consultation, goal=goal, councillor=user.councillor)
    assert not Vote.objects.exists()
    with time_machine.travel(CLOSES - 2 * SECOND, tick=False):
        services.vote_cast(
            consultation=consultation, goal=goal, councillor=user.councillor, choice="abstain"
        )
    with time_machine.travel(CLOSES + SECOND, tick=False), pytest.raises(ValidationError):
        services.vote_withdraw(consultation=consultation, goal=goal, councillor=user.councillor)
    assert Vote.objects.get().choice == "abstain"


def test_deadline_is_shown_with_the_time(client, councillor_user, consultation):
    user = councillor_user()
    with time_machine.travel(OPENS + SECOND, tick=False):
        client.force_login(user)
        page = client.get(reverse("participation:consultation", kwargs={"pk": consultation.pk}))
    assert "läuft bis 15.12.2026, 18:00 Uhr" in page.content.decode()
