"""The finance pages: figures equal the engine's, constant queries, htmx editing, exports, panels."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance import selectors
from finance.engine import compute_plan
from finance.models import BudgetLine, CostItem, FundingSource
from finance.scenario import load_scenario_file
from schools_wg.models import School

from ..strategy import factories as strategy
from . import factories as f

pytestmark = pytest.mark.django_db


class _TableParser(HTMLParser):
    """{data-row: [cell texts]} of the plan table, and its year header."""

    def __init__(self):
        super().__init__()
        self.rows, self.years = {}, []
        self._row = self._cell = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self._in_head = True
        if tag == "tr" and "data-row" in attrs:
            self._row = attrs["data-row"]
            self.rows[self._row] = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._in_head:
                self.years.append(text)
            elif self._row is not None and tag == "td":
                self.rows[self._row].append(text)
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def plan_table(html):
    start = html.index('data-testid="plan-table"')
    parser = _TableParser()
    parser.feed(html[html.rindex("<table", 0, start) : html.index("</table>", start)])
    return parser


def euros(text):
    """ "205.600 €" → 205600; "45,2 %" → "45.2"."""
    if text.endswith("%"):
        return text.replace("\xa0", "").rstrip("%").replace(",", ".")
    return int(re.sub(r"[^\d-]", "", text))


# --- The plan page -----------------------------------------------------------------------


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


# Session, user, the user's roles (once, for rules and the menu), the municipality, and per page:
# plan: the data stamp, and on a cache miss the five adapter queries + the four filter choices;
# lists: count + rows (+ budget sums and history).
PLAN_CACHED_QUERIES = 5
PLAN_QUERIES = PLAN_CACHED_QUERIES + 5 + 5  # the last: programmes funding nothing (warning)
LIST_QUERIES = {"finance:items": 6, "finance:sources": 6, "finance:budget": 8}


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


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_lists_need_the_same_queries_for_small_and_large_data(
    role_client, django_assert_num_queries, name
):
    client = role_client("verwaltung")
    measure = strategy.measure()
    school = School.objects.create(name="Schule Y", school_type="GS")
    f.cost_item(measure, school=school)
    f.source()
    f.budget_line()
    with django_assert_num_queries(LIST_QUERIES[name]):
        assert client.get(reverse(name)).status_code == 200

    for n in range(70):
        other = strategy.measure()
        item = f.cost_item(other, school=School.objects.create(name=f"S{n}", school_type="GS"))
        f.source().items.set([item])
        line = f.budget_line(year=2025 + n % 7)
        line.amount = 2000
        line.save()
    with django_assert_num_queries(LIST_QUERIES[name]):
        assert client.get(reverse(name)).status_code == 200


# --- Editing in place --------------------------------------------------------------------


def _item_post(measure, **changes):
    data = {
        "measure": measure.pk,
        "key": "tablets-neu",
        "title": "Tablets",
        "category": "devices",
        "kind": "investiv",
        "amount": "45000",
        "recurrence": "once",
        "start_year": "2025",
        "useful_life": "4",
        "replace": "on",
        "escalation_pct": "0",
        "notes": "",
    }
    data.update(changes)
    return data


def test_create_a_cost_item_with_htmx_and_see_it_in_the_plan(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    f.period(2025, 2030)
    response = client.get(reverse("finance:item_create"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<form" in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(
        reverse("finance:item_create"), _item_post(measure), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert reverse("finance:items") in response["HX-Location"]
    item = CostItem.objects.get(key="tablets-neu")
    assert item.history.get().history_user == client.user
    # The list swapped in next shows the success message inside the content.
    page = client.get(reverse("finance:items"), headers={"HX-Request": "true"}).content.decode()
    assert "„Tablets“ wurde angelegt." in page
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    assert [euros(c) for c in table.rows["cost"][:-1]] == [45000, 0, 0, 0, 45000, 0]


def test_create_without_javascript_redirects(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    response = client.post(reverse("finance:item_create"), _item_post(measure))
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:items")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "Der Betrag darf nicht negativ sein."),
        ({"end_year": "2020"}, "end_year", "Das Endjahr darf nicht vor dem Startjahr liegen."),
        ({"start_year": "1800"}, "start_year", "zwischen 1900 und 2200"),
        ({"escalation_pct": "150"}, "escalation_pct", "zwischen -100 und 100 Prozent"),
        ({"replace": "on", "useful_life": ""}, "useful_life", "Nutzungsdauer an"),
        ({"key": "kein gültiger Schlüssel"}, "key", "Kürzel"),
        ({"title": ""}, "title", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_invalid_cost_item_says_why_in_german_and_keeps_the_input(
    role_client, changes, field, message
):
    client = role_client("verwaltung")
    measure = strategy.measure()
    data = _item_post(measure, **changes)
    response = client.post(reverse("finance:item_create"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    for name in ("title", "amount"):
        if data[name]:
            assert f'value="{data[name]}"' in html
    assert not CostItem.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rate_pct": "120"}, "rate_pct", "Der Satz muss zwischen 0 und 100 Prozent liegen."),
        ({"rate_pct": "-1"}, "rate_pct", "Der Satz muss zwischen 0 und 100 Prozent liegen."),
        ({"to_year": "2020"}, "to_year", "Das letzte förderfähige Jahr darf nicht vor dem ersten"),
        ({"cap": "-1"}, "cap", "Der Betrag darf nicht negativ sein."),
        ({"cap_devices": "-1"}, "cap_devices", "Der Betrag darf nicht negativ sein."),
    ],
)
def test_invalid_funding_source_says_why_in_german(role_client, changes, field, message):
    client = role_client("verwaltung")
    data = {
        "key": "pakt",
        "title": "DigitalPakt",
        "provider": "bund",
        "status": "bewilligt",
        "rate_pct": "90",
        "from_year": "2021",
        "to_year": "2024",
        "priority": "1",
        **changes,
    }
    response = client.post(reverse("finance:source_create"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not FundingSource.objects.exists()


def test_create_a_budget_line_with_htmx_and_see_it_in_the_plan(role_client):
    client = role_client("verwaltung")
    f.cost_item(amount="8000", start_year=2025)
    f.period(2025, 2026)
    response = client.post(
        reverse("finance:budget_create"),
        {"year": "2025", "amount": "5000.50", "account": "21.10", "title": "Schul-IT"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert reverse("finance:budget") in response["HX-Location"]
    line = BudgetLine.objects.get()
    assert line.amount == 5000.5 and line.history.get().history_user == client.user
    table = plan_table(client.get(reverse("finance:index")).content.decode())
    # Cents are never counted as budgeted: 5 000 € of 8 000 €, a gap of 3 000 €.
    assert [euros(c) for c in table.rows["budgeted"][:-1]] == [5000, 0]
    assert [euros(c) for c in table.rows["gap"][:-1]] == [3000, 0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-1"}, "amount", "Der Betrag darf nicht negativ sein."),
        ({"amount": "viel"}, "amount", "Bitte eine Zahl eingeben."),
        ({"year": "1800"}, "year", "zwischen 1900 und 2200"),
        ({"year": ""}, "year", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_invalid_budget_line_says_why_in_german(role_client, changes, field, message):
    client = role_client("verwaltung")
    data = {"year": "2025", "amount": "5000", "account": "21.10", **changes}
    response = client.post(reverse("finance:budget_create"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("role", ["stadtrat", "ratsbuero", "ag_schule"])
def test_only_verwaltung_may_add_budget_lines(role_client, role):
    response = role_client(role).post(
        reverse("finance:budget_create"), {"year": "2025", "amount": "5000"}
    )
    assert response.status_code == 403
    assert not BudgetLine.objects.exists()


def test_funding_source_with_categories_caps_and_scope(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    tablets = f.cost_item(measure, key="tablets")
    response = client.post(
        reverse("finance:source_create"),
        {
            "key": "pakt",
            "title": "DigitalPakt",
            "provider": "bund",
            "status": "bewilligt",
            "file_number": "SAB-1",
            "rate_pct": "90",
            "from_year": "2021",
            "to_year": "2024",
            "category_scope": "selected",
            "eligible_categories": ["network", "devices"],
            "item_scope": "selected",
            "items": [tablets.pk],
            "cap_devices": "25000",
            "priority": "1",
        },
    )
    assert response.status_code == 302
    source = FundingSource.objects.get()
    assert source.eligible_categories == ["network", "devices"]
    assert source.category_caps == {"devices": "25000"}
    assert list(source.items.all()) == [tablets]
    edit = client.get(reverse("finance:source_edit", args=[source.pk])).content.decode()
    assert 'name="cap_devices" value="25000"' in edit
    detail = client.get(reverse("finance:source_detail", args=[source.pk])).content.decode()
    assert "Endgeräte: 25.000\xa0€" in detail
    assert "angelegt" in detail or "erstellt" in detail  # history entry


def test_edit_conflict_keeps_the_input_and_shows_the_current_values(role_client, make_user):
    client = role_client("verwaltung")
    measure = strategy.measure()
    item = f.cost_item(measure, key="tablets", title="Tablets", amount="1000")
    # Someone else saves first.
    item.title = "Tablets (neu verhandelt)"
    item.version = 2
    item.save()
    data = _item_post(measure, key="tablets", title="Meine Änderung", edited_version="1")
    response = client.post(reverse("finance:item_edit", args=[item.pk]), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bearbeitungskonflikt" in html
    assert "Tablets (neu verhandelt)" in html
    assert 'value="Meine Änderung"' in html
    item.refresh_from_db()
    assert item.title == "Tablets (neu verhandelt)"
    # Saving again on purpose (the form now carries the current version) works.
    data["edited_version"] = "2"
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Meine Änderung"


def test_delete_with_confirmation_and_history(role_client):
    client = role_client("verwaltung")
    line = f.budget_line(year=2026, amount="5000", account="21.10")
    confirm = client.get(
        reverse("finance:budget_delete", args=[line.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "wirklich löschen" in confirm
    response = client.post(
        reverse("finance:budget_delete", args=[line.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "HX-Location" in response
    assert not BudgetLine.objects.exists()
    page = client.get(reverse("finance:budget")).content.decode()
    assert "Änderungsverlauf der Haushaltsansätze" in page
    assert "gelöscht" in page


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


# --- Exports -----------------------------------------------------------------------------


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


def test_items_export_neutralises_formulas(role_client):
    measure = strategy.measure()
    f.cost_item(measure, key="boese", title='=HYPERLINK("http://x")', notes="+1", amount="99.50")
    client = role_client("verwaltung")
    sheet = load_workbook(io.BytesIO(client.get(reverse("finance:items_xlsx")).content)).active
    assert sheet["A1"].value == "Schlüssel"
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["N2"].value == "'+1"
    assert float(sheet["G2"].value) == 99.5 and "€" in sheet["G2"].number_format
    text = client.get(reverse("finance:items_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";99,50;" in text


# --- Panels ------------------------------------------------------------------------------


def test_measure_page_shows_costs_grants_gap_and_the_cliff(role_client):
    measure = strategy.measure(code="M 2.3.2")
    f.example_in_db(measure)
    html = role_client("stadtrat").get(reverse("strategy:measure_detail", args=[measure.pk]))
    html = html.content.decode()
    whole = selectors.plan_for()
    assert 'data-testid="finance-measure-panel"' in html
    assert f"{whole.total('cost'):,}".replace(",", ".") + "\xa0€" in html
    assert "Förderende: laufende Kosten ab 2025 ohne Förderung" in html
    assert "WLAN und Verkabelung" in html
    other = strategy.measure()
    html = role_client("stadtrat").get(reverse("strategy:measure_detail", args=[other.pk]))
    assert 'data-testid="finance-measure-panel"' not in html.content.decode()


def test_school_page_lists_its_cost_items(role_client):
    school = School.objects.create(name="Grundschule Reusa", school_type="GS", pupils=190)
    f.cost_item(school=school, title="Reusa: Tablets", amount="25650")
    f.cost_item(
        school=school,
        title="Reusa: Support",
        amount="28500",
        recurrence="annual",
        category="support",
    )
    html = role_client("ag_schule").get(reverse("schools_wg:school_detail", args=[school.pk]))
    html = html.content.decode()
    assert 'data-testid="finance-school-panel"' in html
    assert "Reusa: Tablets" in html and "28.500\xa0€" in html


def test_dashboard_shows_the_gap_and_the_cliffs(role_client):
    f.example_in_db()
    html = role_client("ratsbuero").get(reverse("dashboard")).content.decode()
    gap = selectors.plan_for().total("gap")
    assert gap == 18213 + 19101 + 65016
    assert "102.330\xa0€" in html
    assert "Förderende: laufende Kosten ab 2025 ohne Förderung" in html


def test_dashboard_has_no_finance_panel_without_cost_items(role_client):
    html = role_client("ratsbuero").get(reverse("dashboard")).content.decode()
    assert 'id="panel-finance"' not in html


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


def test_item_detail_shows_costs_per_year_and_who_changed_what(role_client):
    client = role_client("verwaltung")
    measure = strategy.measure()
    f.period(2025, 2027)
    client.post(reverse("finance:item_create"), _item_post(measure, amount="1000"))
    item = CostItem.objects.get()
    data = _item_post(measure, amount="1500", edited_version="1")
    assert client.post(reverse("finance:item_edit", args=[item.pk]), data).status_code == 302
    html = client.get(reverse("finance:item_detail", args=[item.pk])).content.decode()
    assert "Änderungshistorie" in html
    assert "Betrag (€):</span> 1.000,00" in html
    assert "wird zu</span> 1.500,00" in html
    assert str(client.user) in html
    assert "1.500\xa0€" in html  # the 2025 cost


# --- The cached plan page (finance.views.plan.index) -------------------------------------


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
    data = _item_post(measure, key="tablets", amount="3000", start_year="2025", edited_version="1")
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
