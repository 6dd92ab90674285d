"""Generate a status report from the command line, through the same service as the web page."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ungültiges Datum {value!r}: bitte im Format JJJJ-MM-TT.") from error


class Command(BaseCommand):
    help = "Erzeugt einen Sachstandsbericht als PDF (wartet, bis er fertig ist)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_date, help="Stand des Berichts (JJJJ-MM-TT), Standard: heute"
        )
        parser.add_argument("--title", default="", help="Titel, Standard: der übliche Titel")
        parser.add_argument(
            "--output", required=True, help="Pfad der PDF-Datei, die geschrieben wird"
        )

    def handle(self, *args, date=None, title="", output, **options):
        from django.utils import timezone

        with transaction.atomic():
            job = services.request_report(None, date or timezone.localdate(), title, enqueue=False)
        # The task's own code, run here and waited for (no broker or worker needed).
        generate_report.apply(args=(job.pk,), throw=True)
        job.refresh_from_db()
        if job.state != ReportJob.State.DONE:
            raise CommandError(f"Der Bericht ist fehlgeschlagen: {job.error_message}")
        services.write_to_file(job, output)
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {job.page_count} Seiten, {job.size} Bytes, SHA-256 {job.sha256}"
            )
        )
