"""Prints the report recompute time next to a bare GROUP BY over the status events (see report_recompute.sh)."""

import datetime
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defensie.settings")
django.setup()

from django.db import connection  # noqa: E402

from intake.models import StatusEvent  # noqa: E402
from reports import services  # noqa: E402
from reports.models import FunnelSnapshot, LeadTimeSnapshot  # noqa: E402

AS_OF = datetime.date(2026, 11, 1)


def bare_group_by() -> float:
    """The yardstick: one plain aggregate over every event row, the least any report over them must cost."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT to_phase, to_status, COUNT(*) FROM {StatusEvent._meta.db_table} GROUP BY to_phase, to_status"
        )
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    bare_group_by()  # warm the cache so both timings read from memory
    baseline = min(bare_group_by() for _ in range(3))
    started = time.perf_counter()
    run = services.report_recompute(as_of=AS_OF)
    recompute = time.perf_counter() - started
    print(f"{'status events':<28}{StatusEvent.objects.count():>14,}")
    print(f"{'snapshot rows (funnel)':<28}{FunnelSnapshot.objects.count():>14,}")
    print(f"{'snapshot rows (lead times)':<28}{LeadTimeSnapshot.objects.count():>14,}")
    print(f"{'run status':<28}{run.status:>14}")
    print(f"{'bare GROUP BY (s)':<28}{baseline:>14.2f}")
    print(f"{'report recompute (s)':<28}{recompute:>14.2f}")
    print(f"{'ratio':<28}{recompute / baseline:>14.1f}")


if __name__ == "__main__":
    main()
