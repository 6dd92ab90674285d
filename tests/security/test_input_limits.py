"""Bounded input: date ranges and clean text in every form of every app, calendar feeds that
survive what is already stored, and uploads measured before they are parsed."""

import importlib
import inspect
import io
import re
import time
import zipfile
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import Workbook

from schools_wg.models import Session

from ..schools_wg import factories as f
from ..test_url_permissions import CASES
from .test_fuzz_forms import row_counts

APP_MODULES = ["accounts", "strategy", "finance", "schools_wg", "participation"]
APP_MODULES += ["plauen_digital.reports"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def form_classes():
    """Every form class defined in the forms module of every app."""
    found = {}
    for name in APP_MODULES:
        try:
            module = importlib.import_module(f"{name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


FORM_CLASSES = form_classes()


def test_the_walk_finds_the_forms_of_every_app():
    modules = {name.rsplit(".", 1)[0] for name in FORM_CLASSES}
    assert {"strategy.forms", "finance.forms", "schools_wg.forms", "participation.forms"} <= modules
    assert len(FORM_CLASSES) >= 20


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_every_date_field_of_every_form_has_the_range(name):
    for field_name, field in FORM_CLASSES[name].base_fields.items():
        if isinstance(field, forms.DateTimeField):
            bad, good = ["0001-01-01T00:00", "9999-12-31T23:59"], "2026-12-15T14:30"
        elif isinstance(field, forms.DateField):
            bad, good = ["0001-01-01", "9999-12-31", "1989-12-31"], "2026-12-15"
        else:
            continue
        for value in bad:
            with pytest.raises(ValidationError) as refused:
                field.clean(value)
            assert "Datum zwischen dem 01.01.1990 und dem 31.12.2100" in " ".join(
                refused.value.messages
            ), (name, field_name, value)
        field.clean(good)


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_every_text_field_of_every_form_drops_control_characters(name):
    for field_name, field in FORM_CLASSES[name].base_fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        if isinstance(field, forms.EmailField | forms.URLField | forms.SlugField):
            continue
        try:
            value = field.clean("Eins\r\nBEGIN:VEVENT\x07\x00\u202eZwei")
        except ValidationError:
            continue  # e.g. a code field with its own pattern: refused is fine too
        assert not CONTROL.search(value), (name, field_name, value)
        if isinstance(field.widget, forms.Textarea):
            assert "\n" in value and "\r" not in value, (name, field_name)
        else:
            assert "\n" not in value and "\r" not in value, (name, field_name, value)


def test_passwords_are_left_as_typed():
    field = forms.CharField(widget=forms.PasswordInput, strip=False)
    assert field.clean("ab\tcd") == "ab\tcd"


DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
FORM_CASES = [c for c in CASES if c.method == "post" and c.allowed and c.data]
FORM_CASES = [c for c in FORM_CASES if c.name not in {"accounts:logout", "set_language"}]


def _stored_texts_and_dates():
    """(control characters in any text column, dates outside 1990–2100) of every project row."""
    bad_text, bad_dates = [], []
    for model in apps.get_models():
        if model._meta.app_label not in {"strategy", "finance", "schools_wg", "participation"}:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                pattern = CONTROL if isinstance(field, models.TextField) else re.compile(r"[\r\n]")
                for pk, value in model.objects.values_list("pk", field.attname):
                    if value and (pattern.search(value) or CONTROL.search(value)):
                        bad_text.append((model.__name__, field.name, pk, value))
            elif isinstance(field, models.DateField):  # DateTimeField too
                for pk, value in model.objects.values_list("pk", field.attname):
                    day = value.date() if hasattr(value, "date") else value
                    if day and not (1990 <= day.year <= 2100):
                        bad_dates.append((model.__name__, field.name, pk, value))
    return bad_text, bad_dates


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORM_CASES, ids=[c.id for c in FORM_CASES])
def test_every_form_refuses_out_of_range_dates_and_stores_no_control_characters(
    client, make_user, case
):
    user = make_user(sorted(case.allowed)[0])
    url = reverse(case.name, kwargs=case.setup(user) if case.setup else {})
    client.force_login(user)
    base = case.data(user) if callable(case.data) else dict(case.data)
    headers = {"HX-Request": "true"} if case.htmx else {}
    date_keys = [k for k, v in base.items() if isinstance(v, str) and DATE_VALUE.match(v)]
    text_keys = [k for k, v in base.items() if isinstance(v, str) and v and not DATE_VALUE.match(v)]
    for extreme in ("0001-01-01", "9999-12-31"):
        for key in date_keys:
            data = dict(base)
            data[key] = extreme + ("T00:00" if "T" in base[key] else "")
            before = row_counts()
            response = client.post(url, data, headers=headers)
            assert response.status_code < 500, (key, extreme, response.status_code)
            if "01.01.1990" in response.content.decode():  # refused beside the field
                assert response.status_code in (200, 422)
                assert row_counts() == before
    data = {
        k: (v + "\r\nBEGIN:VEVENT\x07\u202e" if k in text_keys and not v.isdigit() else v)
        for k, v in base.items()
    }
    response = client.post(url, data, headers=headers)
    assert response.status_code < 500
    bad_text, bad_dates = _stored_texts_and_dates()
    assert not bad_text, bad_text
    assert not bad_dates, bad_dates


@pytest.mark.django_db
def test_a_session_created_with_a_crlf_title_keeps_the_feeds_valid(role_client):
    client = role_client("verwaltung")
    start = timezone.localtime() + timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        reverse("schools_wg:session_create"),
        {
            "title": "Sitzung\r\nEND:VEVENT\r\nBEGIN:VEVENT",
            "starts_at": start.strftime(fmt),
            "ends_at": (start + timedelta(hours=2)).strftime(fmt),
            "place": "Rathaus",
            "capacity": "12",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.title == "Sitzung END:VEVENT BEGIN:VEVENT"
    ics = client.get(reverse("schools_wg:session_ics", args=[session.pk]))
    assert ics.status_code == 200
    assert len(Calendar.from_ical(ics.content).walk("VEVENT")) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("starts_at", "0001-01-01T00:00"), ("ends_at", "9999-12-31T23:59")],
)
def test_the_session_form_refuses_extreme_times_in_german(role_client, field, value):
    client = role_client("verwaltung")
    start = timezone.localtime() + timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "Sitzung",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "place": "Rathaus",
        "capacity": "12",
    }
    data[field] = value
    response = client.post(reverse("schools_wg:session_create"), data)
    assert response.status_code in (200, 422)
    assert "Datum zwischen dem 01.01.1990 und dem 31.12.2100" in response.content.decode()
    assert value in response.content.decode()  # the input is kept
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_feeds_survive_control_characters_and_year_9999_already_stored(role_client):
    """Rows written before the limits (or by a script) must not break anyone's feed."""
    session = f.session(title="Alt\rTitel\x07", description="Zeile 1\r\nZeile 2\x0b")
    far = timezone.now().replace(year=9999, month=12, day=30)
    Session.objects.filter(pk=session.pk).update(ends_at=far)
    client = role_client("verwaltung")
    response = client.get(reverse("schools_wg:session_ics", args=[session.pk]))
    assert response.status_code == 200
    assert not CONTROL.search(response.content.decode().replace("\r\n", ""))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Alt Titel"
    assert str(event["DESCRIPTION"]).startswith("Zeile 1\nZeile 2")


# --- uploads ---------------------------------------------------------------------------------


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb(unpacked_mb=40):
    """A valid-looking XLSX whose sheet unpacks to `unpacked_mb` MB (a few hundred kB packed)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["Handlungsfeld", "Ziel", "Maßnahme"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
                body = row * (unpacked_mb * 1024 * 1024 // len(row))
                data = data.replace(b"<sheetData>", b"<sheetData>" + body, 1)
            target.writestr(item, data)
    return buffer.getvalue()


def _upload(client, url, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse(url), {"file": upload})


@pytest.mark.django_db
def test_an_xlsx_zip_bomb_is_refused_before_parsing(client, make_user):
    client.force_login(make_user("verwaltung"))
    bomb = _bomb()
    assert len(bomb) < 2 * 1024 * 1024  # passes the upload size limit
    before = row_counts()
    started = time.monotonic()
    response = _upload(client, "strategy:import", "bombe.xlsx", bomb)
    assert time.monotonic() - started < 5
    assert response.status_code == 422  # the form again, with the error beside the field
    html = response.content.decode()
    assert "entpackt größer als 20 MB" in html
    assert row_counts() == before


@pytest.mark.django_db
def test_an_xlsx_with_too_many_rows_or_columns_is_refused_in_german(client, make_user):
    client.force_login(make_user("verwaltung"))
    many_rows = _xlsx([["Maßnahme", "Fortschritt"]] + [["M 1", 5]] * 10_000)
    response = _upload(client, "strategy:import", "zeilen.xlsx", many_rows)
    assert "mehr als 10.000 Zeilen" in response.content.decode()
    wide = _xlsx([[f"Spalte {n}" for n in range(70)]])
    response = _upload(client, "strategy:import", "spalten.xlsx", wide)
    assert "Zeile 1 hat mehr als 60 Spalten" in response.content.decode()


@pytest.mark.django_db
def test_a_csv_with_too_many_rows_is_refused_while_reading(client, make_user):
    client.force_login(make_user("verwaltung"))
    content = b"Code;Titel\n" + b"M 1;x\n" * 10_000
    response = _upload(client, "strategy:import", "zeilen.csv", content)
    assert response.status_code == 422
    assert "mehr als 10.000 Zeilen" in response.content.decode()


@pytest.mark.django_db
def test_the_parity_csv_refuses_too_many_columns(client, make_user):
    client.force_login(make_user("verwaltung"))
    header = "Schule;Schuljahr;" + ";".join(f"I{n}" for n in range(80))
    response = client.post(
        reverse("schools_wg:import"),
        {"file": SimpleUploadedFile("werte.csv", header.encode(), content_type="text/csv")},
    )
    assert response.status_code in (200, 422)
    assert "Höchstens 60 Spalten" in response.content.decode()
