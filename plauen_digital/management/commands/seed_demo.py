"""Load the Plauen demo data. Idempotent: running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

# Order matters: later apps refer to what earlier ones created.
DEMO_SEEDERS = (
    "accounts.demo.seed",
    "strategy.demo.seed",
    "participation.demo.seed",
    "schools_wg.demo.seed",
    "finance.demo.seed",
    "plauen_digital.reports.demo.seed",
)


class Command(BaseCommand):
    help = "Loads the Plauen demo data (demo accounts with the password 'demo')."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG ist ausgeschaltet: Demodaten mit bekannten Passwörtern werden nur mit --force "
                "geladen. Niemals in einer Produktivumgebung verwenden."
            )
        with transaction.atomic():
            for seeder in DEMO_SEEDERS:
                import_string(seeder)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodaten geladen. Demo-Konten (Passwort „demo“):"))
        for username, role in [
            ("verwaltung", "Verwaltung"),
            ("stadtrat", "Stadtrat"),
            ("ag-mitglied", "AG Schule"),
            ("ratsbuero", "Ratsbüro"),
            ("admin", "Administrator (Superuser)"),
        ]:
            self.stdout.write(f"  {username:<12} {role}")
