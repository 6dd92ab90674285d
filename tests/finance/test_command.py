"""`manage.py funding_plan`: the worked example in every format, refusals, DB export/import."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from finance.engine import compute_plan
from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
from finance.scenario import load_scenario_file
from finance.transfer import PLACEHOLDER_TITLE
from strategy.models import Measure

from ..strategy import factories as strategy
from . import factories as f
from .test_scenario import BAD

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = f.EXAMPLE

# The table of docs/funding-model.md, row by row, exactly as the document prints it.
EXAMPLE_TABLE_ROWS = """\
| 2023 | 205 600 | 141 300 | 19 800 | 44 500 | 45 000 | 0 | 100.0 |
| 2024 | 32 350 | 0 | 20 200 | 12 150 | 15 000 | 0 | 100.0 |
| 2025 | 33 213 | 0 | 0 | 33 213 | 15 000 | 18 213 | 45.2 |
| 2026 | 34 101 | 0 | 0 | 34 101 | 15 000 | 19 101 | 44.0 |
| 2027 | 80 016 | 0 | 0 | 80 016 | 15 000 | 65 016 | 18.7 |
"""

EXAMPLE_JSON = [
    {
        "year": 2023,
        "cost": 205600,
        "grants": {"F1": 141300, "F2": 19800},
        "grants_total": 161100,
        "own_required": 44500,
        "budgeted": 45000,
        "gap": 0,
        "coverage_pct": 100.0,
    },
    {
        "year": 2024,
        "cost": 32350,
        "grants": {"F1": 0, "F2": 20200},
        "grants_total": 20200,
        "own_required": 12150,
        "budgeted": 15000,
        "gap": 0,
        "coverage_pct": 100.0,
    },
    {
        "year": 2025,
        "cost": 33213,
        "grants": {"F1": 0, "F2": 0},
        "grants_total": 0,
        "own_required": 33213,
        "budgeted": 15000,
        "gap": 18213,
        "coverage_pct": 45.2,
    },
    {
        "year": 2026,
        "cost": 34101,
        "grants": {"F1": 0, "F2": 0},
        "grants_total": 0,
        "own_required": 34101,
        "budgeted": 15000,
        "gap": 19101,
        "coverage_pct": 44.0,
    },
    {
        "year": 2027,
        "cost": 80016,
        "grants": {"F1": 0, "F2": 0},
        "grants_total": 0,
        "own_required": 80016,
        "budgeted": 15000,
        "gap": 65016,
        "coverage_pct": 18.7,
    },
]


def run(*args):
    """call_command with stdout and stderr captured: (stdout, stderr)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("funding_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- The worked example ------------------------------------------------------------------


def test_example_as_the_table_of_funding_model_md():
    out, _err = run(str(EXAMPLE))
    lines = out.splitlines()
    assert lines[0] == (
        "| year | cost | F1 RL Digitale Schulen (DigitalPakt) | F2 ITAdminFöVO | own required "
        "| budgeted | gap | coverage |"
    )
    assert lines[1] == "|---|---:|---:|---:|---:|---:|---:|---:|"
    assert "\n".join(lines[2:]) + "\n" == EXAMPLE_TABLE_ROWS


def test_example_as_json_to_the_euro():
    out, _err = run(str(EXAMPLE), "--format", "json")
    rows = json.loads(out)
    assert rows == EXAMPLE_JSON
    assert all(isinstance(row["cost"], int) for row in rows)
    assert all(isinstance(row["coverage_pct"], float) for row in rows)


def test_example_as_csv_with_german_headers():
    out, _err = run(str(EXAMPLE), "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == (
        "Jahr;Kosten;Förderung F1: RL Digitale Schulen (DigitalPakt);Förderung F2: ITAdminFöVO;"
        "Fördermittel gesamt;Eigenanteil;Haushaltsansatz;Deckungslücke;Deckungsgrad (%)"
    )
    assert lines[1:] == [
        "2023;205600;141300;19800;161100;44500;45000;0;100,0",
        "2024;32350;0;20200;20200;12150;15000;0;100,0",
        "2025;33213;0;0;0;33213;15000;18213;45,2",
        "2026;34101;0;0;0;34101;15000;19101;44,0",
        "2027;80016;0;0;0;80016;15000;65016;18,7",
    ]


def test_the_real_command_line_prints_the_table_and_exits_0():
    result = subprocess.run(
        [sys.executable, "manage.py", "funding_plan", str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(EXAMPLE_TABLE_ROWS)


# --- Refused scenarios -------------------------------------------------------------------


def _example_dict():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "breaks", "entry", "field"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("mode", ["json", "csv", "import"])
def test_every_kind_of_bad_scenario_exits_2_naming_entry_and_field(
    tmp_path, name, breaks, entry, field, mode
):
    data = copy.deepcopy(_example_dict())
    breaks(data)
    path = tmp_path / "kaputt.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    args = [str(path), "--format", mode] if mode != "import" else ["--import-scenario", str(path)]
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert entry in message
    assert f'"{field}"' in message
    # Nothing written anywhere.
    assert not CostItem.objects.exists()
    assert not FundingSource.objects.exists()
    assert not BudgetLine.objects.exists()
    assert not PlanPeriod.objects.exists()


@pytest.mark.parametrize("content", ["{kein json", "", "[1, 2"])
def test_a_file_that_is_not_json_exits_2(tmp_path, content):
    path = tmp_path / "kaputt.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run(str(path), "--format", "json")
    assert refused.value.returncode == 2
    assert "kein gültiges JSON" in str(refused.value)


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as refused:
        run(str(tmp_path / "gibt-es-nicht.json"))
    assert refused.value.returncode == 2
    assert "kann nicht gelesen werden" in str(refused.value)


def test_the_real_command_line_exits_2_with_nothing_on_stdout(tmp_path):
    data = _example_dict()
    data["cost_items"][0]["amount"] = "-5"
    path = tmp_path / "negativ.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "funding_plan", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert 'Kostenposition "wlan": Feld "amount" darf nicht negativ sein' in result.stderr


def test_exactly_one_mode_is_required():
    with pytest.raises(CommandError) as refused:
        run()
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        run(str(EXAMPLE), "--from-db")


# --- The database ------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_then_plan_from_db_equals_the_file_plan():
    run("--import-scenario", str(EXAMPLE))
    out, _err = run("--from-db", "--format", "json")
    assert json.loads(out) == EXAMPLE_JSON
    assert Measure.objects.get().title == PLACEHOLDER_TITLE
    assert CostItem.objects.count() == 7
    assert list(FundingSource.objects.get(key="F2").items.values_list("key", flat=True)) == [
        "it-support"
    ]


@pytest.mark.django_db
def test_import_under_a_chosen_measure():
    measure = strategy.measure(code="M 2.1.1")
    run("--import-scenario", str(EXAMPLE), "--measure", "M 2.1.1")
    assert set(CostItem.objects.values_list("measure", flat=True)) == {measure.pk}
    with pytest.raises(CommandError) as refused:
        run("--import-scenario", str(EXAMPLE), "--replace", "--measure", "M 9.9.9")
    assert refused.value.returncode == 2
    assert "M 9.9.9" in str(refused.value)


@pytest.mark.django_db
def test_import_refuses_a_database_with_data_unless_replace():
    f.budget_line(year=2030)
    with pytest.raises(CommandError) as refused:
        run("--import-scenario", str(EXAMPLE))
    assert "--replace" in str(refused.value)
    assert CostItem.objects.count() == 0
    run("--import-scenario", str(EXAMPLE), "--replace")
    assert not BudgetLine.objects.filter(year=2030).exists()
    assert BudgetLine.objects.count() == 5


@pytest.mark.django_db
def test_import_is_all_or_nothing(tmp_path):
    data = _example_dict()
    # Valid for the engine, but the database keeps cents only: the last item cannot be stored.
    data["cost_items"][-1]["amount"] = "3600.005"
    path = tmp_path / "cent.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("--import-scenario", str(path))
    assert refused.value.returncode == 2
    assert 'Kostenposition "glasfaser": Feld "amount" hat mehr als 2 Nachkommastellen' in str(
        refused.value
    )
    assert not CostItem.objects.exists()
    assert not Measure.objects.exists()


@pytest.mark.django_db
def test_export_import_round_trip_gives_the_same_plan(tmp_path, django_db_blocker):
    # A database built through the models (several budget lines a year, a school, a scope).
    measure = strategy.measure()
    f.period(2024, 2031)
    tablets = f.cost_item(
        measure,
        key="tablets",
        amount="45000",
        start_year=2024,
        useful_life=4,
        replace=True,
        escalation_pct="2.5",
    )
    f.cost_item(
        measure,
        key="support",
        category="support",
        amount="22000",
        start_year=2024,
        recurrence="annual",
        escalation_pct="3",
        end_year=2030,
    )
    f.cost_item(
        measure,
        key="licences",
        category="licences",
        amount="3000.50",
        start_year=2025,
        recurrence="annual",
    )
    scoped = f.source(
        key="land",
        rate_pct="90",
        from_year=2024,
        to_year=2025,
        cap="30000",
        eligible_categories=["devices", "support"],
        category_caps={"devices": "25000"},
        item_scope="selected",
    )
    scoped.items.set([tablets])
    f.source(key="bund", rate_pct="33.333", from_year=2024, to_year=2027, priority=2)
    f.budget_line(year=2024, amount="10000", account="A")
    f.budget_line(year=2024, amount="5000.25", account="B")
    f.budget_line(year=2026, amount="20000")
    before, _err = run("--from-db", "--format", "json")

    path = tmp_path / "export.json"
    run("--export-scenario", str(path))
    exported = load_scenario_file(path)
    assert json.loads(before) == [row.as_dict() for row in compute_plan(exported).years]

    for model in (FundingSource, CostItem, BudgetLine, PlanPeriod):
        model.objects.all().delete()
    run("--import-scenario", str(path))
    after, _err = run("--from-db", "--format", "json")
    assert json.loads(after) == json.loads(before)
    assert json.loads(before)[0]["grants"]["land"] > 0


def test_export_to_a_missing_directory_exits_2(tmp_path, db):
    with pytest.raises(CommandError) as refused:
        run("--export-scenario", str(tmp_path / "fehlt" / "x.json"))
    assert refused.value.returncode == 2
