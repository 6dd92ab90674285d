"""Generate a status report from the command line, through the same service as the web page."""

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from plauen_digital.reports import services
from plauen_digital.reports.models import ReportJob
from plauen_digital.reports.tasks import generate_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        # argparse reports this as a usage error (exit status 2, no traceback).
        raise argparse.ArgumentTypeError(
            _("Invalid date %(value)r: please use the format YYYY-MM-DD.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = _("Generates a status report as a PDF (and waits until it is done).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_date, help=_("Reporting date (YYYY-MM-DD), default: today")
        )
        parser.add_argument("--title", default="", help=_("Title, default: the usual title"))
        parser.add_argument("--output", required=True, help=_("Path of the PDF file to write"))

    def handle(self, *args, date=None, title="", output, **options):
        from django.utils import timezone

        with transaction.atomic():
            job = services.report_request(
                reporting_date=date or timezone.localdate(), title=title, enqueue=False
            )
        # The task's own code, run here and waited for (no broker or worker needed).
        generate_report.apply(args=(job.pk,), throw=True)
        job.refresh_from_db()
        if job.state != ReportJob.State.DONE:
            raise CommandError(_("The report failed: %(error)s") % {"error": job.error_message})
        services.write_to_file(job, output)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(output)s: %(pages)s pages, %(size)s bytes, SHA-256 %(sha256)s")
                % {
                    "output": output,
                    "pages": job.page_count,
                    "size": job.size,
                    "sha256": job.sha256,
                }
            )
        )
