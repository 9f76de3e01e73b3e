"""Prints the report recompute time, stage by stage, next to a bare GROUP BY over the status events joined to
their candidates (see report_recompute.sh)."""

import datetime
import logging
import re
import time

import django_setup  # noqa: F401  (first: sets Django up)
from django.db import connection

from intake.models import Candidate, StatusEvent
from reports import services
from reports.models import FunnelSnapshot, LeadTimeSnapshot

AS_OF = datetime.date(2026, 11, 1)
FLOOR = (
    f"SELECT c.instroomspoor_id, e.to_phase, COUNT(*) FROM {StatusEvent._meta.db_table} e "
    f"JOIN {Candidate._meta.db_table} c ON c.id = e.candidate_id GROUP BY c.instroomspoor_id, e.to_phase"
)


class StageTimes(logging.Handler):
    """Collects the stage durations that report_recompute logs."""

    def __init__(self):
        super().__init__()
        self.stages = []

    def emit(self, record):
        found = re.match(r"Report recompute: (.+) took ([\d.]+) s", record.getMessage())
        if found:
            self.stages.append((found.group(1), float(found.group(2))))


def floor() -> float:
    """The yardstick: one plain aggregate over every event joined to its candidate, the least any report over
    them must cost."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute(FLOOR)
        cursor.fetchall()
        cursor.execute("RESET jit")
    return time.perf_counter() - started


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    floor()  # warm the cache so both timings read from memory
    baseline = min(floor() for _ in range(3))
    stages = StageTimes()
    logging.getLogger(services.__name__).addHandler(stages)
    started = time.perf_counter()
    run = services.report_recompute(as_of=AS_OF)
    recompute = time.perf_counter() - started
    print(f"{'status events':<30}{StatusEvent.objects.count():>14,}")
    print(f"{'snapshot rows (funnel)':<30}{FunnelSnapshot.objects.count():>14,}")
    print(f"{'snapshot rows (lead times)':<30}{LeadTimeSnapshot.objects.count():>14,}")
    print(f"{'run status':<30}{run.status:>14}")
    for label, seconds in stages.stages:
        print(f"{'  stage ' + label + ' (s)':<30}{seconds:>14.2f}")
    rest = recompute - sum(seconds for _label, seconds in stages.stages)
    print(f"{'  facts table, progress (s)':<30}{rest:>14.2f}")
    print(f"{'floor: GROUP BY (s)':<30}{baseline:>14.2f}")
    print(f"{'report recompute (s)':<30}{recompute:>14.2f}")
    print(f"{'ratio (target <= 2.0)':<30}{recompute / baseline:>14.2f}")


if __name__ == "__main__":
    main()
