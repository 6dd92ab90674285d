"""Hostile files: the imports of the strategy and of the parity values, and the scenario
command. Never a server error or a traceback; a refusal changes nothing in the database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_fuzz_forms import row_counts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "finance" / "data" / "funding-example.json"
IMPORTS = ["strategy:import", "schools_wg:import"]

NASTY_FILES = {
    "bytes no code page has.csv": b"\x81\x8d\x8f\x90\x9d;x\n",
    "one huge field.csv": b"Code;Titel\n" + b"a" * 200_000 + b";x\n",
    "NUL byte.csv": b"Code;Titel\nM 1\x00;x\n",
    "only a BOM.csv": b"\xef\xbb\xbf",
    "empty.csv": b"",
    "formula.csv": b"Code;Titel\n=cmd|' /C calc'!A0;x\n",
    "html.csv": b"Code;Titel\n<script>alert(1)</script>;x\n",
    "broken.xlsx": b"PK\x03\x04 not really a zip",
    "an image.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "program.exe": b"MZ\x90\x00" + b"\x00" * 100,
    "too big.csv": b"Code;Titel\n" + b"M 1.1.1;Titel einer Massnahme\n" * 110_000,  # 3 MB
}


def _post_file(client, url, name, content):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse(url), {"file": upload})


@pytest.mark.django_db
@pytest.mark.parametrize("url", IMPORTS)
@pytest.mark.parametrize("name", list(NASTY_FILES))
def test_nasty_import_files_are_refused_in_german(client, make_user, url, name):
    client.force_login(make_user("verwaltung"))
    before = row_counts()
    response = _post_file(client, url, name, NASTY_FILES[name])
    assert response.status_code in (200, 400, 422), response.status_code
    html = response.content.decode()
    assert "kern-error" in html or 'role="alert"' in html, "a German message beside the field"
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url", IMPORTS)
def test_random_import_files_never_break(client, make_user, url):
    client.force_login(make_user("verwaltung"))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
        database=None,
    )
    @given(
        content=st.one_of(
            st.binary(max_size=2000),
            st.lists(st.lists(st.text(max_size=40), max_size=8).map(";".join), max_size=20).map(
                lambda rows: "\n".join(rows).encode()
            ),
        ),
        suffix=st.sampled_from([".csv", ".xlsx", ".CSV", ".txt"]),
    )
    def post(content, suffix):
        before = row_counts()
        response = _post_file(client, url, f"datei{suffix}", content)
        assert response.status_code in (200, 302, 400, 422)
        if response.status_code != 302:
            assert row_counts() == before

    post()


# The scenario command --------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _mutations():
    """The worked example with one value of an entry replaced by a hostile one."""
    example = json.loads(EXAMPLE.read_text())
    paths = []
    for section in ("cost_items", "funding_sources"):
        for index, entry in enumerate(example[section]):
            paths += [(section, index, key) for key in entry]
    paths += [("years", None, None), ("budget", None, None)]
    return example, paths


def _run_command(path) -> None:
    """Runs the command; returns when it succeeded, raises only CommandError with exit 2."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("funding_plan", str(path), "--format", "json", stdout=out, stderr=err)
    except CommandError as error:
        assert error.returncode == 2, (error, error.returncode)
        assert out.getvalue() == "", "nothing is printed for a refused scenario"
    else:
        json.loads(out.getvalue())


@settings(max_examples=40, deadline=None, database=None)
@given(
    choice=st.integers(min_value=0, max_value=10_000),
    value=JSON_VALUES,
    drop=st.booleans(),
)
def test_hostile_scenario_values_exit_2_or_succeed(tmp_path_factory, choice, value, drop):
    example, paths = _mutations()
    section, index, key = paths[choice % len(paths)]
    if index is None:
        if drop:
            del example[section]
        else:
            example[section] = value
    elif drop:
        del example[section][index][key]
    else:
        example[section][index][key] = value
    path = tmp_path_factory.mktemp("scenario") / "szenario.json"
    path.write_text(json.dumps(example, allow_nan=True))
    _run_command(path)


@settings(max_examples=40, deadline=None, database=None)
@given(document=JSON_VALUES | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_random_documents_are_refused_with_exit_2(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("scenario") / "szenario.json"
    text = document if isinstance(document, str) else json.dumps(document, allow_nan=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _run_command(path)


NASTY_SCENARIOS = {
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "huge number.json": '{"years": [2025, 1' + "0" * 5000 + "]}",
    "not utf-8.json": b"\xff\xfe\x00{",
    "missing.json": None,
}


@pytest.mark.parametrize("name", list(NASTY_SCENARIOS))
def test_the_command_exits_2_without_a_traceback(tmp_path, name):
    content = NASTY_SCENARIOS[name]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "funding_plan", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.strip(), "a message saying what is wrong"


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(choice=st.integers(min_value=0, max_value=10_000), value=JSON_VALUES)
def test_a_refused_scenario_import_writes_nothing(tmp_path_factory, choice, value):
    example, paths = _mutations()
    section, index, key = paths[choice % len(paths)]
    if index is None:
        example[section] = value
    else:
        example[section][index][key] = value
    path = tmp_path_factory.mktemp("scenario") / "import.json"
    path.write_text(json.dumps(example, allow_nan=True))
    before = row_counts()
    try:
        call_command(
            "funding_plan",
            "--import-scenario",
            str(path),
            "--replace",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    except CommandError as error:
        assert error.returncode == 2
        assert row_counts() == before
