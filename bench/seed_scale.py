"""Prints how long seed_demo takes for N candidates on the PostgreSQL in DATABASE_URL (see seed_scale.sh)."""

import datetime
import sys
import time

import django_setup  # noqa: F401  (first: sets Django up)
from django.db import connection

from intake import demo


def main(candidates: int) -> None:
    started = time.perf_counter()
    counts = demo.seed(candidates=candidates, seed=2026, today=datetime.date(2026, 11, 1))
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"{'candidates':<22}{counts['candidates']:>14,}")
    print(f"{'status events':<22}{counts['events']:>14,}")
    print(f"{'seconds':<22}{elapsed:>14.1f}")
    print(f"{'candidates / second':<22}{counts['candidates'] / elapsed:>14,.0f}")
    print(f"{'database size':<22}{size:>14}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
