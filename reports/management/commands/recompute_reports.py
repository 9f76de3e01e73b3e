from django.core.management.base import BaseCommand

from reports import services
from reports.selectors import last_successful_run


class Command(BaseCommand):
    help = "Berekent alle rapportages opnieuw uit de statusgeschiedenis (wat de nachtelijke taak ook doet)."

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="Alleen als er nog geen cijfers zijn.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Alles opnieuw berekenen, niet alleen wat sinds de vorige berekening veranderde.",
        )

    def handle(self, *args, if_missing, full, **options):
        if if_missing and last_successful_run() is not None:
            self.stdout.write("Er zijn al rapportages berekend.")
            return
        run = services.report_recompute(full=full)
        self.stdout.write(self.style.SUCCESS(f"Rapportages berekend ({run.finished_at:%d-%m-%Y %H:%M})."))
