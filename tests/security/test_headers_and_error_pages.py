"""Headers on every page of the permission table, and the error pages: German, in the layout,
with the municipality's name."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Municipality
from plauen_digital import views
from plauen_digital.reports.models import ReportJob

from ..reports.url_table import make_job
from ..test_url_permissions import CASES

GET_CASES = [case for case in CASES if case.method == "get" and case.allowed]


@pytest.mark.django_db
@pytest.mark.parametrize("case", GET_CASES, ids=[case.id for case in GET_CASES])
def test_every_authenticated_response_is_private_and_carries_the_permissions_policy(
    client, make_user, case
):
    user = make_user(sorted(case.allowed)[0])
    kwargs = case.setup(user) if case.setup else {}
    client.force_login(user)
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = client.get(reverse(case.name, kwargs=kwargs), headers=headers)
    assert response.status_code < 500
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, (case.id, response.get("Cache-Control"))
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_exports_and_the_personal_data_export_are_private(client, make_user):
    client.force_login(make_user("verwaltung"))
    for url in [
        reverse("accounts:my_data_export"),
        reverse("strategy:export_csv"),
        reverse("strategy:export_xlsx"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
def test_anonymous_pages_carry_the_permissions_policy_too(client):
    response = client.get(reverse("accounts:login"))
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_csrf_cookie_is_httponly_and_htmx_takes_the_token_from_the_page(client, make_user):
    client.force_login(make_user("verwaltung"))
    response = client.get(reverse("strategy:index"))
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"]
    html = response.content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert token and len(token.group(1)) >= 32
    # The page's token is accepted for an htmx POST made with it.
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    page = strict.get(reverse("strategy:index"))
    page_token = re.search(r"X-CSRFToken\": \"([^\"]+)\"", page.content.decode()).group(1)
    logout = strict.post(reverse("accounts:logout"), headers={"X-CSRFToken": page_token})
    assert logout.status_code == 302


@pytest.mark.django_db
def test_the_csrf_failure_page_is_german_and_in_the_layout(make_user):
    Municipality.objects.create(name="Stadt Plauen")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("verwaltung"))
    response = strict.post(reverse("accounts:logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formular abgelaufen" in html and "Stadt Plauen" in html
    assert "site-header" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html


@pytest.mark.django_db
def test_the_404_and_403_pages_name_the_municipality(client, make_user):
    Municipality.objects.create(name="Stadt Plauen")
    client.force_login(make_user("stadtrat"))
    missing = client.get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert re.search(r"<title>Seite nicht gefunden – Stadt Plauen</title>", missing.text)
    forbidden = client.get(reverse("strategy:import"))
    assert forbidden.status_code == 403
    assert "– Stadt Plauen</title>" in forbidden.text


@pytest.mark.django_db
def test_the_400_page_is_german_and_needs_no_request_data(client):
    Municipality.objects.create(name="Stadt Plauen")
    client.get(reverse("accounts:login"))  # a page read the name
    response = client.get(reverse("accounts:login"), headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ungültige Anfrage" in html and "Stadt Plauen</title>" in html
    assert "Bad Request" not in html


def test_the_500_page_renders_without_the_database(rf, settings):
    """No django_db mark: any query would fail the test. The name is the fallback here."""
    settings.MUNICIPALITY_FALLBACK_NAME = "Kommune Testhausen"
    from accounts import context_processors

    context_processors._known["name"] = None
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Serverfehler – Kommune Testhausen</title>" in html
    assert "Etwas ist schiefgelaufen" in html


@pytest.mark.django_db
def test_the_500_page_names_the_municipality_last_shown(client, rf):
    Municipality.objects.create(name="Stadt Plauen")
    client.get(reverse("accounts:login"))
    html = views.server_error(rf.get("/")).content.decode()
    assert "Serverfehler – Stadt Plauen</title>" in html


@pytest.mark.django_db
def test_a_missing_report_file_answers_a_german_404_offering_to_regenerate(client, make_user):
    job = make_job(state=ReportJob.State.DONE, progress=100, size=15, page_count=1)
    job.pdf.name = "private/reports/gibt-es-nicht.pdf"
    job.save()
    client.force_login(make_user("verwaltung"))
    response = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Berichtsdatei nicht gefunden" in html and "Bericht neu erstellen" in html
    assert response["Cache-Control"] == "private, no-store"
    # The offer is a form requesting the same reporting date again.
    assert 'name="reporting_date" value="2026-12-15"' in html
    again = client.post(
        reverse("reports:request"), {"reporting_date": "2026-12-15", "title": job.title}
    )
    assert again.status_code == 302
    assert ReportJob.objects.count() == 2


@pytest.mark.django_db
def test_a_councillor_sees_the_missing_file_page_without_the_offer(client, make_user):
    job = make_job(state=ReportJob.State.DONE, progress=100, size=15, page_count=1)
    job.pdf.name = "private/reports/gibt-es-nicht.pdf"
    job.save()
    client.force_login(make_user("stadtrat"))
    response = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Berichtsdatei nicht gefunden" in html and "Verwaltung" in html
    assert "Bericht neu erstellen" not in html
