"""seed_demo loads the demo data once; running it again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Municipality, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "strategy", "finance", "schools_wg", "participation", "reports"}
    }


def test_seed_demo_twice_yields_the_same_rows(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert Municipality.current().name == "Stadt Plauen"
    for username in ["verwaltung", "stadtrat", "ag-mitglied", "ratsbuero", "admin"]:
        assert User.objects.get(username=username).check_password("demo")
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.filter(username="verwaltung").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="verwaltung").exists()
