"""Schools and indicator definitions are maintained in the admin (staff only)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_superuser_creates_an_indicator_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:schools_wg_indicator_add"),
        {
            "code": "pupils_per_device",
            "name": "Schüler je Endgerät",
            "unit": "Schüler",
            "direction": "lower",
            "value_type": "number",
            "decimals": "1",
            "position": "1",
        },
    )
    assert response.status_code == 302
    assert admin_client.get(reverse("admin:schools_wg_school_changelist")).status_code == 200
