"""Times the CSV import command on N generated candidates, then rolls it back (see import_csv.sh)."""

import csv
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

import django_setup  # noqa: F401  (first: sets Django up)
from django.core.management import call_command
from django.db import connection, transaction

from intake.imports import COLUMNS
from intake.models import AuditEntry, Candidate, StatusEvent

FIRST = ["Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Milan", "Anna", "Finn", "Lotte", "Noah"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(100)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow([column for column, _name, _required in COLUMNS])
        for i in range(rows):
            born = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
            values = {
                "voornaam": rng.choice(FIRST),
                "achternaam": f"{rng.choice(LAST)}-{i}",  # unique, so no row is a duplicate of another
                "geboortedatum": born.strftime("%d-%m-%Y"),
                "e-mail": f"import.{i}@bench.example",
                # Every row its own phone number and (mostly) postcode, as in a real file: values that repeat
                # are checked once per import.
                "telefoon": f"06{rng.randrange(10**8):08d}",
                "postcode": f"{rng.randrange(1000, 10000)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                "geslacht": rng.choice(["man", "vrouw"]),
                "instroomspoor": "beroeps",
                "krijgsmachtdeel": rng.choice(["KL", "KM", "KLU", "KMAR"]),
                "sollicitatie_op": "open",
                "functie": "",
                "bron": "website",
                "aangemeld_op": "01-10-2026",
            }
            writer.writerow([values[column] for column, _name, _required in COLUMNS])


class RolledBack(Exception):
    pass


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        write_csv(path, rows)
        before = Candidate.objects.count()
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                call_command("import_candidates", str(path), user="beheer")
                # What the commit would still check (foreign keys are checked at the commit by default), which
                # the rollback below would otherwise skip.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                imported = Candidate.objects.count() - before
                raise RolledBack
        except RolledBack:
            pass
    # The rolled-back rows are dead tuples until vacuumed: left, they add up over runs until autovacuum cleans
    # the tables in the middle of a later run (or of another bench), which then shares the cores with it.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(model._meta.db_table for model in (Candidate, StatusEvent, AuditEntry))}")
    print(f"{'rows in file':<28}{rows:>12,}")
    print(f"{'candidates imported':<28}{imported:>12,}")
    print(f"{'existing candidates':<28}{before:>12,}")
    print(f"{'seconds (target < 30)':<28}{elapsed:>12.1f}")
    print(f"{'rows / second':<28}{rows / elapsed:>12,.0f}")
    # Python's own share (the rest is PostgreSQL and waiting for a core): tells a busy machine from a slow import.
    print(f"{'Python CPU seconds':<28}{cpu:>12.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
