"""The superuser administers the Django admin only: the application's rules apply to it as to
anyone. And no `next` of a form sends the browser to another site."""

import pytest
from django.urls import reverse

from participation.models import Comment, Vote

from .helpers import make_closed_consultation, make_comment, make_consultation


@pytest.fixture
def superuser(make_user):
    return make_user(username="admin", is_staff=True, is_superuser=True)


def _vote_url(consultation):
    goal = consultation.goals.first()
    return reverse("participation:vote", kwargs={"pk": consultation.pk, "goal_pk": goal.pk})


@pytest.mark.django_db
def test_the_superuser_cannot_vote(client, superuser):
    consultation = make_consultation()
    client.force_login(superuser)
    response = client.post(_vote_url(consultation), {"choice": "yes"})
    assert response.status_code == 403
    response = client.post(
        _vote_url(consultation), {"choice": "yes"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_the_superuser_cannot_comment_in_a_closed_consultation(client, superuser):
    consultation = make_closed_consultation()
    goal = consultation.goals.first()
    client.force_login(superuser)
    url = reverse(
        "participation:comment_create", kwargs={"pk": consultation.pk, "goal_pk": goal.pk}
    )
    response = client.post(url, {"text": "Ich bin der Administrator."})
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [(), ("verwaltung",)])
def test_the_superuser_cannot_edit_or_withdraw_a_councillors_comment(
    client, make_user, councillor_user, roles
):
    consultation = make_consultation()
    comment = make_comment(consultation, councillor_user(), text="Mein eigener Text.")
    client.force_login(make_user(*roles, is_staff=True, is_superuser=True))
    edit = client.post(
        reverse("participation:comment_edit", kwargs={"pk": comment.pk}),
        {"text": "Untergeschoben."},
    )
    withdraw = client.post(reverse("participation:comment_withdraw", kwargs={"pk": comment.pk}))
    assert (edit.status_code, withdraw.status_code) == (403, 403)
    comment.refresh_from_db()
    assert comment.text == "Mein eigener Text." and not comment.is_withdrawn
    # Nor does the goal page offer the superuser actions on others' comments.
    if not roles:
        return  # without a role the page itself is closed
    goal_page = client.get(
        reverse("participation:goal", kwargs={"pk": consultation.pk, "goal_pk": comment.goal_id})
    )
    assert goal_page.status_code == 200
    html = goal_page.content.decode()
    assert "Mein eigener Text." in html
    assert reverse("participation:comment_edit", kwargs={"pk": comment.pk}) not in html


@pytest.mark.django_db
def test_the_superuser_keeps_the_admins_model_permissions_only(superuser):
    consultation = make_consultation()
    assert superuser.has_perm("strategy.change_measure")
    assert superuser.has_perm("accounts.add_user")
    assert superuser.has_module_perms("participation")
    for perm in ("participation.vote", "participation.comment", "participation.edit_comment"):
        assert not superuser.has_perm(perm, consultation), perm
    assert not superuser.has_perm("strategy.manage")  # no role: no application permission


@pytest.mark.django_db
def test_a_verwaltung_superuser_has_the_verwaltung_permissions(make_user):
    user = make_user("verwaltung", is_staff=True, is_superuser=True)
    assert user.has_perm("strategy.manage")
    assert not user.has_perm("participation.vote", make_consultation())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/beteiligung/",
        "https:/\\evil.example",
        "javascript:alert(1)",
        " https://evil.example/",
    ],
)
def test_the_vote_forms_next_never_leaves_the_site(client, councillor_user, target):
    consultation = make_consultation()
    client.force_login(councillor_user())
    response = client.post(_vote_url(consultation), {"choice": "yes", "next": target})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/beteiligung/"), location
    assert "evil" not in location and "javascript" not in location
    assert Vote.objects.count() == 1


@pytest.mark.django_db
def test_the_vote_forms_next_within_the_site_is_followed(client, councillor_user):
    consultation = make_consultation()
    client.force_login(councillor_user())
    target = reverse("participation:consultation", kwargs={"pk": consultation.pk}) + "#ziel"
    response = client.post(_vote_url(consultation), {"choice": "no", "next": target})
    assert response.status_code == 302 and response["Location"] == target
