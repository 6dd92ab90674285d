"""The funding_plan command: a size limit before reading, strict numbers, German messages only."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from finance.scenario import MAX_FILE_BYTES, ScenarioError, parse_scenario_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "finance" / "data" / "funding-example.json"


def _command_line(*args):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", "funding_plan", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "riesig.json"
    with path.open("wb") as handle:  # sparse: the size is there, the bytes are not
        handle.truncate(MAX_FILE_BYTES + 1)
    started = time.monotonic()
    with pytest.raises(CommandError) as refused:
        call_command("funding_plan", str(path))
    assert time.monotonic() - started < 2
    assert refused.value.returncode == 2
    assert "größer als 10 MB" in str(refused.value)


def test_a_file_at_the_limit_is_read(tmp_path):
    text = json.dumps(_example())
    path = tmp_path / "gross.json"
    path.write_text(text + " " * (MAX_FILE_BYTES - len(text.encode())))
    call_command("funding_plan", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda d: d["cost_items"][0].update(amount="60_000"), "amount"),
        (lambda d: d["cost_items"][0].update(amount="٦٠٠٠٠"), "amount"),  # Arabic-Indic
        (lambda d: d["cost_items"][0].update(amount="６００００"), "amount"),  # full-width
        (lambda d: d["cost_items"][0].update(start_year="2025"), "start_year"),
        (lambda d: d.update(years=["2025", 2027]), "years"),
        (lambda d: d["funding_sources"][0].update(priority="٣"), "priority"),
        (lambda d: d["budget"].update({"٢٠٢٥": 1000}), "budget"),
    ],
    ids=["underscore", "arabic-indic", "full-width", "year string", "years", "priority", "key"],
)
def test_numbers_are_parsed_strictly(mutate, field):
    data = _example()
    mutate(data)
    with pytest.raises(ScenarioError) as refused:
        parse_scenario_json(json.dumps(data, ensure_ascii=False))
    assert f'Feld "{field}"' in refused.value.message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1" * 16])
def test_non_finite_and_overlong_json_numbers_are_refused(literal):
    text = json.dumps(_example()).replace('"years": [', f'"years": [{literal}, ', 1)
    with pytest.raises(ScenarioError):
        parse_scenario_json(text)


def test_json_decimals_are_read_exactly():
    data = _example()
    data["cost_items"][0]["amount"] = 0.1
    scenario = parse_scenario_json(json.dumps(data))
    assert str(scenario.cost_items[0].amount) == "0.1"


@pytest.mark.parametrize(
    "args,expected",
    [
        (["/gibt/es/nicht.json"], "kann nicht gelesen werden: Sie existiert nicht."),
        (["/"], "kann nicht gelesen werden: Es ist ein Verzeichnis."),
        (["--format", "xml", "x.json"], "Ungültiger Aufruf. Aufruf: manage.py funding_plan"),
        (["--nicht-da"], "Ungültiger Aufruf."),
        ([], "Bitte genau eines angeben"),
    ],
    ids=["missing", "directory", "format", "unknown option", "nothing"],
)
def test_the_command_line_speaks_german_only(args, expected):
    result = _command_line(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in result.stderr, result.stderr
    assert "CommandError" not in result.stderr and "Error" not in result.stderr
    for english in ("No such file", "Is a directory", "usage:", "invalid choice"):
        assert english not in result.stderr


def test_an_unwritable_export_target_is_named_in_german(tmp_path, db):
    target = tmp_path / "ordner"
    target.mkdir()
    with pytest.raises(CommandError) as refused:
        call_command("funding_plan", "--export-scenario", str(target))
    assert refused.value.returncode == 2
    assert str(refused.value).endswith("kann nicht geschrieben werden: Es ist ein Verzeichnis.")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_a_bad_scenario_on_the_command_line_has_no_prefix(tmp_path):
    data = _example()
    data["cost_items"][0]["amount"] = "60_000"
    path = tmp_path / "unterstrich.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = _command_line(str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("Kostenposition ")
    assert 'Feld "amount" muss eine Zahl sein, nicht "60_000"' in result.stderr
