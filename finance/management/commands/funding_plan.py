"""The funding plan on the command line (docs/funding-model.md, "Scenario files and the command").

    manage.py funding_plan SCENARIO.json [--format table|json|csv]
    manage.py funding_plan --from-db [--format …]
    manage.py funding_plan --export-scenario FILE
    manage.py funding_plan --import-scenario FILE [--replace] [--measure "M 2.1.1"]

A scenario that breaks the rules is refused with exit status 2 and a German message naming the
entry and the field; nothing is printed to stdout and nothing is written. Scenario files over
10 MB (finance.scenario.MAX_FILE_BYTES) are refused before they are read. On the command line
every message is German and stands alone: no "CommandError:" prefix, no English system text.
"""

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from strategy.models import Measure

from ... import adapter, transfer
from ...engine import compute_plan, plan_rows
from ...scenario import (
    ScenarioError,
    load_scenario_file,
    os_reason,
    parse_scenario,
    scenario_to_json,
)

BAD_SCENARIO = 2
USAGE = (
    "Aufruf: manage.py funding_plan SZENARIO.json [--format table|json|csv] | --from-db "
    "[--format …] | --export-scenario DATEI | --import-scenario DATEI [--replace] "
    '[--measure "M 2.1.1"]'
)

CSV_HEADERS = (
    "Jahr",
    "Kosten",
    "Fördermittel gesamt",
    "Eigenanteil",
    "Haushaltsansatz",
    "Deckungslücke",
    "Deckungsgrad (%)",
)


def _thousands(value: int) -> str:
    """205600 → "205 600", as in the worked example of docs/funding-model.md."""
    return f"{value:,}".replace(",", " ")


def format_table(scenario, plan) -> str:
    """A Markdown table in the layout of the worked example."""
    titles = {source.id: source.title for source in scenario.funding_sources}
    sources = list(plan.source_order)
    header = ["year", "cost"]
    header += [f"{key} {titles[key]}".strip() for key in sources]
    header += ["own required", "budgeted", "gap", "coverage"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    for row in plan.years:
        cells = [str(row.year), _thousands(row.cost)]
        cells += [_thousands(row.grants[key]) for key in sources]
        cells += [_thousands(row.own_required), _thousands(row.budgeted), _thousands(row.gap)]
        cells.append(f"{row.coverage_pct:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def format_csv(scenario, plan) -> str:
    """CSV with German headers: semicolon-separated, decimal comma (as the XLSX/CSV exports)."""
    sources = list(plan.source_order)
    titles = {source.id: source.title or source.id for source in scenario.funding_sources}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    headers = list(CSV_HEADERS)
    headers[2:2] = [f"Förderung {key}: {titles[key]}" for key in sources]
    writer.writerow(headers)
    for row in plan.years:
        writer.writerow(
            [row.year, row.cost]
            + [row.grants[key] for key in sources]
            + [
                row.grants_total,
                row.own_required,
                row.budgeted,
                row.gap,
                f"{row.coverage_pct:.1f}".replace(".", ","),
            ]
        )
    return buffer.getvalue()


def format_json(scenario, plan) -> str:
    return json.dumps(plan_rows(plan), ensure_ascii=False, indent=2) + "\n"


FORMATS = {"table": format_table, "json": format_json, "csv": format_csv}


class Command(BaseCommand):
    help = (
        "Prints the funding plan of a scenario file (or of the database), exports the database's "
        "plan inputs as a scenario file, or imports one."
    )

    def add_arguments(self, parser):
        parser.add_argument("scenario", nargs="?", help="Scenario file (JSON).")
        parser.add_argument("--format", choices=sorted(FORMATS), default="table")
        parser.add_argument(
            "--from-db", action="store_true", help="Print the plan of the database."
        )
        parser.add_argument(
            "--export-scenario", metavar="FILE", help="Write the database's inputs as a scenario."
        )
        parser.add_argument(
            "--import-scenario", metavar="FILE", help="Import a scenario into the database."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="With --import-scenario: replace existing cost items, sources and budget lines.",
        )
        parser.add_argument(
            "--measure",
            metavar="CODE",
            help='With --import-scenario: attach cost items to this measure (e.g. "M 2.1.1"); '
            'default: a placeholder measure "Importierte Kostenpositionen".',
        )

    def create_parser(self, prog_name, subcommand, **kwargs):
        """argparse's own complaints (an unknown option, a wrong --format) are English; the
        command answers them with its German usage instead, exit status 2 as before."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            text = f"Ungültiger Aufruf. {USAGE}"
            if parser.called_from_command_line:
                self.stderr.write(text)
                sys.exit(BAD_SCENARIO)
            raise CommandError(text, returncode=BAD_SCENARIO)

        parser.error = error
        return parser

    def execute(self, *args, **options):
        """From the command line a refusal is written as it is, in German, and the command exits
        with its status; Django would prefix "CommandError:". call_command still raises."""
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        modes = [
            bool(options["scenario"]),
            options["from_db"],
            bool(options["export_scenario"]),
            bool(options["import_scenario"]),
        ]
        if sum(modes) != 1:
            raise CommandError(
                "Bitte genau eines angeben: SCENARIO.json, --from-db, --export-scenario oder "
                "--import-scenario.",
                returncode=BAD_SCENARIO,
            )
        if options["export_scenario"]:
            return self.export(options["export_scenario"])
        if options["import_scenario"]:
            return self.import_(options)
        if options["from_db"]:
            scenario = adapter.load_inputs().scenario
        else:
            scenario = self.load(options["scenario"])
        try:
            plan = compute_plan(scenario)
        except ValueError as error:  # a database with inconsistent inputs
            raise CommandError(str(error), returncode=BAD_SCENARIO) from None
        self.stdout.write(FORMATS[options["format"]](scenario, plan), ending="")

    def load(self, path):
        try:
            return load_scenario_file(path)
        except ScenarioError as error:
            raise CommandError(error.message, returncode=BAD_SCENARIO) from None

    def export(self, path):
        text = scenario_to_json(parse_scenario(transfer.export_scenario()))
        target = Path(path)
        # Write beside the target and rename, so a failure never leaves half a file.
        try:
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".scenario-")
        except OSError as error:
            raise CommandError(
                f'Die Datei "{target}" kann nicht geschrieben werden: {os_reason(error)}.',
                returncode=BAD_SCENARIO,
            ) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, target)
        except OSError as error:  # a full disk, a target that is a directory
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                f'Die Datei "{target}" kann nicht geschrieben werden: {os_reason(error)}.',
                returncode=BAD_SCENARIO,
            ) from None
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Szenario geschrieben: {target}")

    def import_(self, options):
        scenario = self.load(options["import_scenario"])
        measure = None
        if options["measure"]:
            matches = list(Measure.objects.filter(code=options["measure"])[:2])
            if len(matches) != 1:
                problem = "gibt es nicht" if not matches else "ist nicht eindeutig"
                raise CommandError(
                    f'Die Maßnahme "{options["measure"]}" {problem}.', returncode=BAD_SCENARIO
                )
            measure = matches[0]
        try:
            counts = transfer.import_scenario(scenario, measure=measure, replace=options["replace"])
        except ScenarioError as error:
            raise CommandError(error.message, returncode=BAD_SCENARIO) from None
        self.stderr.write(
            "Importiert: {cost_items} Kostenpositionen, {funding_sources} Förderprogramme, "
            "{budget_lines} Haushaltsansätze.".format(**counts)
        )
