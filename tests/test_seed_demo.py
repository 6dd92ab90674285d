"""seed_demo loads the demo data once; running it again changes nothing."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from accounts.models import Municipality, User
from core.demo import load, when

RELATIVE_START = re.compile(r"(today|now|this-year|next-year)\b")


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "strategy", "finance", "schools_wg", "participation", "reports"}
    }


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.filter(username="verwaltung").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="verwaltung").exists()


# The demo data files and their date notation (core.demo.load, core.demo.when).

# As timezone.now() gives it: in UTC (23:30 local time, two days before summer time begins).
NOW = datetime.datetime(2027, 3, 26, 22, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
        ("today", datetime.date(2027, 3, 26)),
        ("today+75", datetime.date(2027, 6, 9)),
        ("today-20", datetime.date(2027, 3, 6)),
        ("this-year-12-15", datetime.date(2027, 12, 15)),
        ("next-year-04-30", datetime.date(2028, 4, 30)),
        ("today-120 16:00", datetime.datetime(2026, 11, 26, 16, tzinfo=ZoneInfo("Europe/Berlin"))),
        (
            "next-year-04-28 17:00",
            datetime.datetime(2028, 4, 28, 17, tzinfo=ZoneInfo("Europe/Berlin")),
        ),
        ("now", NOW),
        ("now-60", NOW - datetime.timedelta(days=60)),
        # five days of 24 h later is already 1 April (summer time began on 28 March)
        ("now+5 18:00", datetime.datetime(2027, 4, 1, 18, tzinfo=ZoneInfo("Europe/Berlin"))),
        ("today+5 18:00", datetime.datetime(2027, 3, 31, 18, tzinfo=ZoneInfo("Europe/Berlin"))),
    ],
)
def test_when_reads_the_documented_notation(value, expected, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert when(value, NOW) == expected


@pytest.mark.parametrize("value", ["yesterday", "today+5d", "this-year-1-5", "2024-03-01"])
def test_when_refuses_anything_else(value):
    with pytest.raises(ValueError, match="Not a demo date"):
        when(value, NOW)


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


BASE_DIR = Path(django_settings.BASE_DIR)
DEMO_DATA = sorted(
    [*BASE_DIR.glob("*/demo_data/*.yaml"), *BASE_DIR.glob("plauen_digital/*/demo_data/*.yaml")]
)


def test_every_app_with_a_demo_has_its_data_files():
    apps_with_data = {path.parent.parent.relative_to(BASE_DIR).as_posix() for path in DEMO_DATA}
    assert apps_with_data >= {
        "accounts",
        "strategy",
        "participation",
        "schools_wg",
        "finance",
        "plauen_digital/reports",
    }


@pytest.mark.parametrize(
    "path", DEMO_DATA, ids=lambda path: path.parent.parent.name + "/" + path.name
)
def test_demo_data_files_load_and_their_relative_dates_are_valid(path):
    package = path.parent.parent.relative_to(BASE_DIR).as_posix().replace("/", ".")
    data = load(package, path.stem)
    assert data
    relative = [s for s in _strings(data) if RELATIVE_START.match(s)]
    for value in relative:
        when(value, NOW)  # raises on a typo such as "today+5d"
