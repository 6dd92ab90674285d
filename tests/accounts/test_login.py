"""Login, roles in the menu, the login requirement and throttling of failed logins."""

import pytest
from django.urls import reverse

from ..conftest import ROLE_GROUPS

pytestmark = pytest.mark.django_db

PASSWORD = "sicheres-Passwort-123"


@pytest.mark.parametrize("role", list(ROLE_GROUPS))
def test_each_role_logs_in_and_sees_its_menu(client, make_user, role):
    user = make_user(role, first_name="Kim", last_name="Muster")
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    html = response.content.decode()
    assert "Kim Muster" in html
    assert f"({ROLE_GROUPS[role]})" in html
    for label in ["Strategie", "Finanzen", "AG Schule", "Beteiligung", "Berichte"]:
        assert f">{label}</a>" in html
    assert 'aria-current="page">Übersicht</a>' in html


def test_anonymous_requests_redirect_to_login(client):
    for path in ["/", "/strategie/", "/finanzen/", "/ag-schule/", "/beteiligung/", "/berichte/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={path}"


def test_login_page_is_german_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert "Anmelden" in response.content.decode()
    assert "Zum Inhalt springen" in response.content.decode()


def test_wrong_password_shows_german_error_and_keeps_username(client, make_user):
    user = make_user("stadtrat")
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "falsch"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte geben Sie einen gültigen Benutzernamen und ein gültiges Passwort ein." in html
    assert f'value="{user.username}"' in html


def test_repeated_failures_lock_the_login(client, make_user, settings):
    user = make_user("ratsbuero")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": user.username, "password": "x"}).status_code == 422
    locked = client.post(url, {"username": user.username, "password": "x"})
    assert locked.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post(url, {"username": user.username, "password": PASSWORD})
    assert again.status_code == 429


def test_logout_is_post_only_and_ends_the_session(client, make_user):
    client.force_login(make_user("verwaltung"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_user_without_role_is_refused_content(client, make_user):
    client.force_login(make_user())
    assert client.get("/strategie/").status_code == 403
    page = client.get(reverse("accounts:profile"))
    assert "Noch keine Rolle zugewiesen" in page.content.decode()


def test_german_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("accounts:login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Zum Inhalt springen" in response.content.decode()


def test_language_switch_to_english(client, make_user):
    client.force_login(make_user("verwaltung"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Skip to content" in client.get("/").content.decode()


def test_error_pages_are_german_in_the_layout(client, make_user):
    client.force_login(make_user("stadtrat"))
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert "Hauptnavigation" in html


def test_admin_is_for_staff_only(client, make_user):
    client.force_login(make_user("verwaltung"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
