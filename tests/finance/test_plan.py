"""The plan page (finance.views.plan): figures equal the engine's, constant queries, the plan
period, the CSV/Excel exports, the cached page."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance import selectors
from finance.engine import compute_plan
from finance.models import CostItem
from finance.scenario import load_scenario_file
from schools_wg.models import School

from ..strategy import factories as strategy
from . import factories as f
from .helpers import euros, item_post, plan_table

pytestmark = pytest.mark.django_db


# Session, user, the user's roles (once, for rules and the menu), the municipality, and per page:
# plan: the data stamp, and on a cache miss the five adapter queries + the four filter choices.
PLAN_CACHED_QUERIES = 5
PLAN_QUERIES = PLAN_CACHED_QUERIES + 5 + 5  # the last: programmes funding nothing (warning)


def test_the_plan_page_shows_the_engines_figures_for_the_example(role_client):
    f.example_in_db()
    response = role_client("stadtrat").get(reverse("finance:index"))
    assert response.status_code == 200
    html = response.content.decode()
    table = plan_table(html)
    expected = compute_plan(load_scenario_file(f.EXAMPLE))
    assert table.years[1:-1] == [str(row.year) for row in expected.years]
    columns = {
        "cost": "cost",
        "cost_once": "cost_once",
        "cost_annual": "cost_annual",
        "grants_total": "grants_total",
        "own_required": "own_required",
        "budgeted": "budgeted",
        "gap": "gap",
    }
    for key, attr in columns.items():
        cells = table.rows[key]
        assert [euros(c) for c in cells[:-1]] == [getattr(r, attr) for r in expected.years], key
        assert euros(cells[-1]) == expected.total(attr)
    for source_id in ("F1", "F2"):
        cells = table.rows[f"grant:{source_id}"]
        assert [euros(c) for c in cells[:-1]] == [r.grants[source_id] for r in expected.years]
    assert [euros(c) for c in table.rows["coverage_pct"][:-1]] == [
        str(r.coverage_pct) for r in expected.years
    ]
    # The worked example's numbers, formatted the German way.
    assert "205.600\xa0€" in html
    assert "45,2\xa0%" in html
    # The chart: one bar per year, with title and description.
    assert html.count('class="chart-bar"') == 5
    assert 'role="img" aria-labelledby="plan-chart-title plan-chart-desc"' in html
    # The funding cliff: F2 (ITAdminFöVO) ends 2024 while IT support goes on.
    assert "Förderende: laufende Kosten ab 2025 ohne Förderung" in html
    assert "Förderklippen" in html


def test_a_filtered_plan_shows_the_slice_of_the_engines_plan(role_client):
    hf = strategy.field()
    m1, m2 = strategy.measure(strategy.goal(hf)), strategy.measure()
    f.period(2024, 2027)
    f.cost_item(m1, key="a", amount="30000", start_year=2024)
    f.cost_item(
        m1, key="b", category="support", amount="9000", recurrence="annual", start_year=2024
    )
    f.cost_item(m2, key="c", amount="50000", start_year=2025)
    f.source(key="s", rate_pct="80", from_year=2024, to_year=2025, cap="40000")
    f.budget_line(year=2025, amount="12000")
    expected = selectors.plan_for(field=hf)
    response = role_client("ratsbuero").get(reverse("finance:index"), {"field": hf.pk})
    table = plan_table(response.content.decode())
    for key in ("cost", "grants_total", "own_required", "budgeted", "gap"):
        assert [euros(c) for c in table.rows[key][:-1]] == [getattr(r, key) for r in expected.rows]
    assert [euros(c) for c in table.rows["grant:s"][:-1]] == [r.grants["s"] for r in expected.rows]
    assert euros(table.rows["cost"][-1]) == 30000 + 4 * 9000


def test_the_plan_page_needs_the_same_queries_for_small_and_large_data(
    role_client, django_assert_num_queries
):
    client = role_client("verwaltung")
    f.example_in_db()
    with django_assert_num_queries(PLAN_QUERIES):
        assert client.get(reverse("finance:index")).status_code == 200
    with django_assert_num_queries(PLAN_CACHED_QUERIES):
        assert client.get(reverse("finance:index")).status_code == 200

    measure = strategy.measure()
    school = School.objects.create(name="Schule X", school_type="OS")
    for n in range(80):
        f.cost_item(
            measure,
            key=f"x{n}",
            amount=1000 + n,
            school=school if n % 2 else None,
            recurrence="annual" if n % 3 else "once",
            start_year=2023 + n % 5,
        )
    for n in range(6):
        source = f.source(key=f"extra{n}", from_year=2023, to_year=2024 + n)
        source.items.set(CostItem.objects.filter(key__startswith="x")[: n * 5])
        f.budget_line(year=2023 + n % 5, amount=500)
    with django_assert_num_queries(PLAN_QUERIES):
        assert client.get(reverse("finance:index")).status_code == 200
    with django_assert_num_queries(PLAN_CACHED_QUERIES):
        assert client.get(reverse("finance:index")).status_code == 200


def test_readers_see_no_edit_controls(role_client):
    f.example_in_db()
    item = CostItem.objects.first()
    client = role_client("ag_schule")
    for url in (
        reverse("finance:index"),
        reverse("finance:items"),
        reverse("finance:sources"),
        reverse("finance:budget"),
        reverse("finance:item_detail", args=[item.pk]),
    ):
        html = client.get(url).content.decode()
        assert "bearbeiten/" not in html and "loeschen/" not in html and "/neu/" not in html, url


def test_plan_period_edit(role_client):
    client = role_client("verwaltung")
    f.cost_item(start_year=2024)
    response = client.post(
        reverse("finance:period_edit"), {"first_year": "2030", "last_year": "2025"}
    )
    assert "Das letzte Jahr darf nicht vor dem ersten Jahr liegen." in response.content.decode()
    client.post(reverse("finance:period_edit"), {"first_year": "2024", "last_year": "2026"})
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    assert table.years[1:-1] == ["2024", "2025", "2026"]


def test_plan_xlsx_has_german_headers_and_numeric_euro_cells(role_client):
    f.example_in_db()
    response = role_client("stadtrat").get(reverse("finance:plan_xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="finanzierungsplan-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == [
        "Jahr",
        "Einmalige Kosten (€)",
        "Laufende Kosten (€)",
        "Kosten gesamt (€)",
    ]
    assert "Deckungslücke (€)" in headers and headers[-1] == "Deckungsgrad (%)"
    assert "Fördermittel: RL Digitale Schulen (DigitalPakt) (€)" in headers
    row = [cell for cell in sheet[2]]
    assert row[0].value == 2023
    assert row[3].value == 205600 and isinstance(row[3].value, int)
    assert "€" in row[3].number_format
    assert float(row[-1].value) == 100.0


def test_plan_csv_is_the_filtered_plan(role_client):
    f.example_in_db()
    text = role_client("stadtrat").get(reverse("finance:plan_csv")).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Jahr;Einmalige Kosten (€);Laufende Kosten (€);Kosten gesamt (€)")
    assert lines[1].startswith("2023;177000;28600;205600;141300;19800;161100;44500;45000;0;100,0")


def test_chart_coordinates_are_not_localised(role_client):
    f.example_in_db()
    html = role_client("stadtrat").get(reverse("finance:index")).content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    coordinates = re.findall(r'\b(?:x|y|width|height|cx|cy)="([^"]*)"', chart)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in coordinates if v != "100%"), coordinates
    points = re.search(r'points="([^"]*)"', chart).group(1)
    assert re.fullmatch(r"(\d+(\.\d+)?,\d+(\.\d+)?\s?)+", points)
    assert "5.000.000&nbsp;€" not in chart  # the axis fits the data (205.600 € at most)
    assert ">250.000&nbsp;€</text>" in chart


def test_the_cached_plan_page_follows_every_write(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure(title="Tablets für alle")
    f.period(2025, 2026)
    item = f.cost_item(measure, key="tablets", amount="1000", start_year=2025)
    source = f.source(key="s", rate_pct="50", from_year=2025, to_year=2025)
    assert plan_table(client.get(reverse("finance:index")).content.decode()).rows["cost"][0] == (
        "1.000\xa0€"
    )
    # A cost item edited through its form.
    data = item_post(measure, key="tablets", amount="3000", start_year="2025", edited_version="1")
    data.pop("replace")
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    assert table.rows["cost"][0] == "3.000\xa0€"
    assert table.rows["grant:s"][0] == "1.500\xa0€"
    # A source's scope (M2M only) and a budget line.
    other = f.cost_item(measure, key="other", amount="500", start_year=2026)
    source.item_scope = source.Scope.SELECTED
    source.save()
    source.items.set([other])
    f.budget_line(year=2025, amount="700")
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    assert table.rows["grant:s"][0] == "0\xa0€"
    assert table.rows["budgeted"][0] == "700\xa0€"
    # The strategy side: a measure renamed (its name is in the filter's choices).
    measure.title = "Tablets für jede Klasse"
    measure.save()
    assert "Tablets für jede Klasse" in client.get(reverse("finance:index")).content.decode()


def test_the_cached_plan_page_varies_by_permission_language_and_filter(client, make_user):
    hf = strategy.field()
    f.cost_item(strategy.measure(strategy.goal(hf)), key="a", amount="30000", start_year=2025)
    f.cost_item(strategy.measure(), key="b", amount="50000", start_year=2025)
    url = reverse("finance:index")
    client.force_login(make_user("verwaltung"))
    assert "Planungszeitraum ändern" in client.get(url).content.decode()
    client.force_login(make_user("stadtrat"))
    html = client.get(url).content.decode()
    assert "Planungszeitraum ändern" not in html and "80.000\xa0€" in html
    filtered = client.get(url, {"field": hf.pk, "measure": "", "school": "", "source": ""})
    filtered = filtered.content.decode()
    assert "30.000\xa0€" in filtered and "80.000\xa0€" not in filtered
    assert f"plan.csv?field={hf.pk}" in filtered
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Year by year" in english and "Jahr für Jahr" not in english


def test_an_invalid_filter_shows_its_error_and_the_whole_plan(role_client):
    f.cost_item(amount="1000", start_year=2025)
    html = role_client("stadtrat").get(reverse("finance:index"), {"field": "999999"})
    html = html.content.decode()
    assert "kern-form-input--error" in html
    assert plan_table(html).rows["cost"][-1] == "1.000\xa0€"
