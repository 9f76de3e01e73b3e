import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake import demo
from intake.models import Candidate


class Command(BaseCommand):
    help = "Vult de database met een deterministische, realistische demo-geschiedenis van de instroomketen."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=5000, help="Aantal kandidaten (standaard 5000).")
        parser.add_argument("--seed", type=int, default=2026, help="Startwaarde van de toevalsgenerator.")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Simuleer tot en met deze datum (JJJJ-MM-DD; standaard vandaag).",
        )
        parser.add_argument("--if-empty", action="store_true", help="Niets doen als er al kandidaten zijn.")

    def handle(self, *args, candidates, seed, today, if_empty, **options):
        if candidates < 1 or candidates > 10_000_000:
            raise CommandError("--candidates moet tussen 1 en 10.000.000 liggen.")
        if if_empty and Candidate.objects.exists():
            self.stdout.write("Er zijn al kandidaten; demodata niet opnieuw aangemaakt.")
            return
        started = time.monotonic()
        counts = demo.seed(candidates=candidates, seed=seed, today=today or timezone.localdate(), stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['candidates']:,} kandidaten en {counts['events']:,} statuswijzigingen aangemaakt "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
