"""Issue 11: a goal that has council records in a consultation cannot be taken out of it."""

import pytest
from django.urls import reverse

from participation.forms import ConsultationForm
from participation.models import Vote

from .helpers import make_comment, make_consultation, make_councillor, make_goal

pytestmark = pytest.mark.django_db


def _data(consultation, goals):
    form = ConsultationForm(instance=consultation)
    return {
        "title": consultation.title,
        "introduction": consultation.introduction,
        "goals": [str(g.pk) for g in goals],
        "opens_at": form["opens_at"].value().strftime("%Y-%m-%dT%H:%M"),
        "closes_at": form["closes_at"].value().strftime("%Y-%m-%dT%H:%M"),
        "edited_version": str(consultation.version),
    }


def test_a_goal_with_votes_or_comments_stays_in_its_consultation(role_client, make_user):
    voted, discussed, quiet = make_goal(), make_goal(), make_goal()
    consultation = make_consultation([voted, discussed, quiet])
    councillor = make_councillor(make_user("stadtrat"))
    Vote.objects.create(
        consultation=consultation,
        goal=voted,
        councillor=councillor,
        faction=councillor.faction_on(consultation.opens_at.date()),
        choice=Vote.Choice.YES,
    )
    make_comment(consultation, councillor.user, goal=discussed)
    client = role_client("verwaltung")
    url = reverse("participation:consultation_edit", args=[consultation.pk])

    response = client.post(url, _data(consultation, [quiet]))

    assert response.status_code == 422
    html = response.content.decode()
    assert "schon Stimmen oder Kommentare" in html
    assert voted.code in html and discussed.code in html
    assert set(consultation.goals.all()) == {voted, discussed, quiet}
    # A goal without records may go.
    response = client.post(url, _data(consultation, [voted, discussed]))
    assert response.status_code == 302
    assert set(consultation.goals.all()) == {voted, discussed}
