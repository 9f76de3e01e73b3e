import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from intake import imports

# A command reads files the web upload refuses: a year of survey responses at once.
MAX_ROWS = 1_000_000


class Command(BaseCommand):
    help = (
        "Importeert kandidaten uit een CSV-bestand met dezelfde controles als de import in de webapplicatie; "
        "alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV-bestand in het formaat van de importsjabloon.")
        parser.add_argument(
            "--user", required=True, help="Gebruikersnaam van wie importeert (bepaalt de toegestane sporen)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")

    def handle(self, *args, file, user, dry_run, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"Onbekende of inactieve gebruiker '{user}'.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan {file} niet lezen: {error.strerror}.") from None
        started = time.monotonic()
        result = imports.candidates_import(
            actor=actor, text=imports.decode_upload(content), commit=not dry_run, max_rows=MAX_ROWS
        )
        for message in result.file_errors:
            self.stderr.write(message)
        for row in result.error_rows[:50]:
            self.stderr.write(f"regel {row.line}: {'; '.join(row.errors)}")
        if len(result.error_rows) > 50:
            self.stderr.write(f"… en nog {len(result.error_rows) - 50} regels met fouten.")
        if not result.ok:
            raise CommandError("Niets geïmporteerd: los de fouten op en probeer het opnieuw.")
        verb = "gecontroleerd (niets opgeslagen)" if dry_run else "geïmporteerd"
        self.stdout.write(
            self.style.SUCCESS(f"{len(result.rows):,} kandidaten {verb} in {time.monotonic() - started:.1f} s.")
        )
