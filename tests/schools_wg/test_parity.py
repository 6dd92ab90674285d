"""Parity computations against hand-computed values; the dashboard's constant query count."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools_wg import parity
from schools_wg.models import Indicator, School, school_year_of

from ..imports import confirm_preview
from . import factories as f

GS = School.SchoolType.GS
H, L = Indicator.Direction.HIGHER, Indicator.Direction.LOWER


def rows():
    schools = [parity.SchoolRow(i, name, "GS") for i, name in ((1, "A"), (2, "B"), (3, "C"))]
    devices = parity.IndicatorRow(10, "pupils_per_device", "Schüler je Gerät", "", L)
    wlan = parity.IndicatorRow(11, "wlan_share", "WLAN", "%", H)
    concept = parity.IndicatorRow(12, "media_concept", "Medienkonzept", "", L, is_date=True)
    standards = {("GS", 10): D(3), ("GS", 11): D(90), ("GS", 12): D(36)}
    y = "2025/26"
    measurements = [
        (1, 10, y, D(2), None),
        (2, 10, y, D(4), None),
        (3, 10, y, D(6), None),
        (1, 11, y, D(95), None),
        (2, 11, y, D(50), None),
        # school C has no WLAN value: "no data", counts as not at standard
        (1, 12, y, None, date(2023, 8, 1)),  # 35 months at 31.7.2026: met
        (2, 12, y, None, date(2023, 7, 31)),  # exactly 36 months: met
        (3, 12, y, None, date(2022, 12, 15)),  # 43 months: 7 over the standard
        (1, 10, "2024/25", D(5), None),
        (2, 10, "2024/25", D(7), None),
    ]
    return schools, [devices, wlan, concept], standards, measurements


def test_matrix_spread_share_and_furthest_behind_by_hand():
    schools, indicators, standards, measurements = rows()
    result = parity.evaluate(None, schools, indicators, standards, measurements)
    assert result.school_years == ["2024/25", "2025/26"]
    year = result.current
    assert year.school_year == "2025/26"

    statuses = [[c.status for c in row.cells] for row in year.rows]
    assert statuses == [
        ["met", "met", "met"],
        ["unmet", "unmet", "met"],
        ["unmet", "no_data", "unmet"],
    ]
    symbols = [c.symbol for c in year.rows[2].cells]
    assert symbols == ["✗", "–", "✗"]

    devices, wlan, concept = year.summaries
    assert (devices.minimum, devices.median, devices.maximum) == (D(2), D(4), D(6))
    assert (devices.met, devices.with_standard, devices.share) == (1, 3, D("33.3"))
    assert (wlan.minimum, wlan.median, wlan.maximum) == (D(50), D("72.5"), D(95))
    assert (wlan.met, wlan.with_standard, wlan.with_data, wlan.share) == (1, 3, 2, D("33.3"))
    assert (concept.minimum, concept.median, concept.maximum) == (D(35), D(36), D(43))
    assert concept.share == D("66.7")

    # Gaps relative to the standard: B (4-3)/3 + (90-50)/90; C (6-3)/3 + (43-36)/36.
    b, c = year.rows[1], year.rows[2]
    assert b.cells[0].gap == D("0.3333") and b.cells[1].gap == D("0.4444")
    assert c.cells[0].gap == D("1.0000") and c.cells[2].gap == D("0.1944")
    assert (b.unmet, b.distance) == (2, D("0.7777"))
    assert (c.unmet, c.distance) == (2, D("1.1944"))
    # Same number of unmet standards: the larger distance is further behind.
    assert [r.school.name for r in year.furthest_behind()] == ["C", "B"]


def test_trend_over_school_years_by_hand():
    schools, indicators, standards, measurements = rows()
    result = parity.evaluate("2024/25", schools, indicators, standards, measurements)
    assert result.current.school_year == "2024/25"
    indicator, devices_by_year = result.trend_rows()[0]
    assert indicator.code == "pupils_per_device"
    assert [(s.met, s.median, s.share) for s in devices_by_year] == [
        (0, D(6), D("0.0")),
        (1, D(4), D("33.3")),
    ]


def test_months_old_and_no_standard():
    assert parity.months_old(date(2025, 7, 31), "2025/26") == 12
    assert parity.months_old(date(2026, 8, 15), "2025/26") == 0  # never negative
    indicator = parity.IndicatorRow(1, "x", "x", "", H)
    assert parity.judge(indicator, D(5), None).status == parity.NO_STANDARD
    assert parity.judge(indicator, None, D(5)).status == parity.NO_DATA
    assert parity.judge(indicator, D(5), D(5)).status == parity.MET


def test_school_year_helpers():
    assert school_year_of(date(2025, 8, 1)) == "2025/26"
    assert school_year_of(date(2026, 7, 31)) == "2025/26"
    assert school_year_of(date(2099, 12, 1)) == "2099/00"


def _schools_with_values(n):
    indicators = [
        f.indicator("pupils_per_device", L, position=1),
        f.indicator("wlan_share", H, position=2),
        f.indicator("media_concept", L, position=3, value_type="date"),
    ]
    for indicator, threshold in zip(indicators, (3, 90, 36), strict=True):
        f.standard(GS, indicator, threshold)
        f.standard(School.SchoolType.OS, indicator, threshold)
    for i in range(n):
        school = f.school(f"Schule {i:03d}", GS if i % 2 else School.SchoolType.OS)
        for year in ("2024/25", "2025/26"):
            f.measure_value(school, indicators[0], year, 2 + i % 5)
            f.measure_value(school, indicators[1], year, 40 + i)
            f.measure_value(school, indicators[2], year, date_value=date(2021 + i % 4, 3, 1))


def _count_queries(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_dashboard_runs_the_same_queries_for_5_and_50_schools(role_client, htmx):
    client = role_client("stadtrat")
    url = reverse("schools_wg:parity")
    headers = {"HX-Request": "true"} if htmx else {}
    _schools_with_values(5)
    client.get(url)  # warm up the session and permission caches
    cache.clear()
    small_cold, _ = _count_queries(client, url, headers)
    small_warm, _ = _count_queries(client, url, headers)
    School.objects.all().delete()
    Indicator.objects.all().delete()
    _schools_with_values(50)
    large_cold, response = _count_queries(client, url, headers)  # a new stamp: a miss
    assert "Schule 049" in response.content.decode()
    large_warm, _ = _count_queries(client, url, headers)
    assert (small_cold, small_warm) == (large_cold, large_warm)
    assert large_warm < large_cold


@pytest.mark.django_db
def test_dashboard_query_count_is_exact(role_client, django_assert_num_queries):
    client = role_client("ag_schule")
    _schools_with_values(5)
    client.get(reverse("schools_wg:parity"))
    # session, user, groups (rules and the header's role names), the data stamp, municipality.
    # No permission tables: only staff accounts hold model permissions (StaffModelBackend).
    # Matrix and trend are cached.
    with django_assert_num_queries(5):
        client.get(reverse("schools_wg:parity"))
    # After a write: + school years, then schools, indicators, standards, values (parity.load).
    f.school("Neue Schule")
    with django_assert_num_queries(10):
        client.get(reverse("schools_wg:parity"))


@pytest.mark.django_db
def test_dashboard_page_shows_symbols_text_spread_and_trend(role_client):
    client = role_client("ratsbuero")
    _schools_with_values(4)
    html = client.get(reverse("schools_wg:parity")).content.decode()
    assert '✓ <span class="parity__text">erfüllt</span>' in html
    assert '✗ <span class="parity__text">unter Standard</span>' in html
    assert 'role="img"' in html and '<title id="trend-title">' in html
    assert "Schulen mit dem größten Rückstand" in html
    assert "2024/25" in html and "2025/26" in html
    # The school year can be switched (htmx: only the matrix).
    response = client.get(
        reverse("schools_wg:parity") + "?schuljahr=2024/25", headers={"HX-Request": "true"}
    )
    assert response.content.decode().lstrip().startswith('<div id="parity-matrix">')


@pytest.mark.django_db
def test_standards_are_edited_by_verwaltung_with_conflict_detection(role_client):
    client = role_client("verwaltung")
    indicator = f.indicator("wlan_share", H)
    url = reverse("schools_wg:standards")
    form = client.get(url).context["form"]
    loaded = form.initial["loaded"]
    field = f"std_{indicator.pk}_GS"
    response = client.post(url, {"loaded": loaded, field: "90"})
    assert response.status_code == 302
    assert indicator.standards.get(school_type="GS").threshold == D(90)
    # A second form opened before that save must not overwrite it silently.
    response = client.post(url, {"loaded": loaded, field: "80"})
    assert response.status_code == 409
    assert "Jemand anderes hat diese Werte geändert" in response.content.decode()
    assert indicator.standards.get(school_type="GS").threshold == D(90)


@pytest.mark.django_db
def test_school_page_shows_values_over_years_history_and_panels(role_client, settings):
    settings.DETAIL_PANELS = {**settings.DETAIL_PANELS, "schools_wg.school": []}
    client = role_client("verwaltung")
    school = f.school("Grundschule Jößnitz", pupils=150)
    indicator = f.indicator("pupils_per_device", L, unit="Schüler")
    f.standard(GS, indicator, 3)
    f.measure_value(school, indicator, "2024/25", 9)
    f.measure_value(school, indicator, "2025/26", 2)
    school.pupils = 160
    school.save()
    html = client.get(school.get_absolute_url()).content.decode()
    assert "2024/25" in html and "2025/26" in html
    assert "unter Standard" in html and "erfüllt" in html
    history = html.split('id="history-heading"')[1]
    assert "Schülerzahl:</span> 150" in history and "160" in history
    assert "Grundschule Jößnitz – Pupils Per Device – 2025/26" in history  # the values too


@pytest.mark.django_db
def test_measurements_form_saves_a_school_year(role_client):
    client = role_client("verwaltung")
    school = f.school()
    devices = f.indicator("pupils_per_device", L)
    concept = f.indicator("media_concept", L, value_type="date")
    url = reverse("schools_wg:measurements", args=[school.pk]) + "?schuljahr=2025/26"
    loaded = client.get(url).context["form"].initial["loaded"]
    data = {
        "school_year": "2025/26",
        "loaded": loaded,
        f"ind_{devices.pk}": "4,5",
        f"ind_{concept.pk}": "2024-03-01",
    }
    assert client.post(url, data).status_code == 302
    values = {m.indicator.code: (m.value, m.date_value) for m in school.measurements.all()}
    assert values == {
        "pupils_per_device": (D("4.50"), None),
        "media_concept": (None, date(2024, 3, 1)),
    }
    data[f"ind_{devices.pk}"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 422
    assert 'value="-1"' in response.content.decode()


# --- the cached dashboard --------------------------------------------------------------------


def _form_data(form):
    """What the browser would send back for an unchanged form."""
    return {name: form[name].value() or "" for name in form.fields}


def _matrix_row(html, school_name):
    matrix = html.split('data-testid="matrix"')[1]
    return matrix.split(f">{school_name}</a>")[1].split("</tr>")[0]


@pytest.mark.django_db
def test_dashboard_shows_writes_through_the_app_at_once(role_client, make_user):
    """The cached matrix and trend are never stale: every write changes the data stamp."""
    _schools_with_values(2)
    verwaltung = Client()
    verwaltung.force_login(make_user("verwaltung"))
    reader = role_client("stadtrat")
    url = reverse("schools_wg:parity")
    school = School.objects.get(name="Schule 001")
    devices = Indicator.objects.get(code="pupils_per_device")
    assert "3,0<br>✓" in _matrix_row(reader.get(url).content.decode(), "Schule 001")

    # A value entered on the school's form (the year shown by htmx is cached separately).
    form_url = reverse("schools_wg:measurements", args=[school.pk]) + "?schuljahr=2024/25"
    data = _form_data(verwaltung.get(form_url).context["form"])
    data[f"ind_{devices.pk}"] = "7,5"
    assert verwaltung.post(form_url, data).status_code == 302
    older = reader.get(url + "?schuljahr=2024/25", headers={"HX-Request": "true"})
    assert "7,5<br>✗" in _matrix_row(older.content.decode(), "Schule 001")
    assert "3,0<br>✓" in _matrix_row(reader.get(url).content.decode(), "Schule 001")

    # A stricter minimum standard turns the latest year's value red.
    standards_url = reverse("schools_wg:standards")
    data = _form_data(verwaltung.get(standards_url).context["form"])
    data[f"std_{devices.pk}_GS"] = "2"
    assert verwaltung.post(standards_url, data).status_code == 302
    html = reader.get(url).content.decode()
    assert "3,0<br>✗" in _matrix_row(html, "Schule 001")

    # A renamed school (admin, a plain save) and a new school year from the CSV import.
    school.name = "Grundschule Am Wartberg"
    school.save()
    csv = "school;school_year;pupils_per_device\nGrundschule Am Wartberg;2026/27;1,5\n"
    upload = SimpleUploadedFile("werte.csv", csv.encode(), content_type="text/csv")
    preview = verwaltung.post(reverse("schools_wg:import"), {"file": upload})
    confirmed = confirm_preview(verwaltung, reverse("schools_wg:import"), preview, follow=False)
    assert confirmed.status_code == 302
    html = reader.get(url).content.decode()
    assert "Schule 001" not in html
    assert "1,5<br>✓" in _matrix_row(html, "Grundschule Am Wartberg")
    assert '<option value="2026/27" selected>' in html
    assert "2026/27" in html.split('data-testid="trend"')[1]


@pytest.mark.django_db
def test_cached_dashboard_varies_on_role_language_and_year_only(role_client, make_user):
    _schools_with_values(2)
    url = reverse("schools_wg:parity")
    verwaltung = Client()
    verwaltung.force_login(make_user("verwaltung"))
    manage_link = reverse("schools_wg:standards")
    assert manage_link in verwaltung.get(url).content.decode()
    # The toolbar for Verwaltung is outside the cached fragments.
    reader = role_client("ag_schule")
    german = reader.get(url).content.decode()
    assert manage_link not in german and "Schulen mit dem größten Rückstand" in german
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = reader.get(url).content.decode()
    assert "Schools furthest behind" in english and "Rückstand" not in english
    del reader.cookies[settings.LANGUAGE_COOKIE_NAME]
    # Unknown years show the latest and never become a cache key of their own.
    for bogus in ("2099/00", "x" * 200, ""):
        response = reader.get(url, {"schuljahr": bogus})
        assert '<option value="2025/26" selected>' in response.content.decode()
    matrices = [key for key in cache._cache if "wg-parity-matrix" in key]
    assert len(matrices) == 2, matrices  # 2025/26 in German and in English
