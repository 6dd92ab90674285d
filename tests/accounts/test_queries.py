"""The login page and each user's own pages run an exact number of queries, the same for 10 and
for 200 rows of the user's data."""

import pytest
from django.urls import reverse

from .test_personal_data import _fill

pytestmark = pytest.mark.django_db

# Every page of the shell: session, user, the user's role groups (read once for the rules and
# the header), municipality name.
SHELL = 4
ANONYMOUS_SHELL = 1  # the municipality name
# The providers (settings.PERSONAL_DATA_PROVIDERS): one query per section they read (the account
# itself comes with the request), whatever the number of rows.
PERSONAL_DATA = 11


@pytest.fixture
def person(client, make_user, request):
    user = make_user("stadtrat", "ag_schule")
    _fill(user, request.param)
    client.force_login(user)
    client.get(reverse("accounts:profile"))  # warm the session
    return client


@pytest.mark.parametrize("person", [10, 200], indirect=True)
def test_own_pages(person, django_assert_num_queries):
    with django_assert_num_queries(SHELL):
        assert "Stadtrat" in person.get(reverse("accounts:profile")).content.decode()
    with django_assert_num_queries(SHELL):
        assert person.get(reverse("accounts:privacy")).status_code == 200
    with django_assert_num_queries(SHELL + PERSONAL_DATA):
        assert "Kommentar zu" in person.get(reverse("accounts:my_data")).content.decode()
    # No page around it: session, user and the role groups (the account's roles).
    with django_assert_num_queries(3 + PERSONAL_DATA):
        assert "Kommentar zu" in person.get(reverse("accounts:my_data_export")).content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_public_pages(client, make_user, django_assert_num_queries, n):
    for _ in range(n):
        make_user("stadtrat")
    with django_assert_num_queries(ANONYMOUS_SHELL):
        assert client.get(reverse("accounts:login")).status_code == 200
    with django_assert_num_queries(ANONYMOUS_SHELL):
        assert client.get(reverse("accounts:privacy")).status_code == 200
