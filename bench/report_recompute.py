"""Prints the report recompute times, stage by stage, next to a bare GROUP BY over the status events joined to
their candidates (see report_recompute.sh): a full recompute, then a day's changes made through the services,
then the incremental recompute that follows them, and whether it gave exactly the snapshots of a full one."""

import datetime
import logging
import os
import random
import re
import time

import django_setup  # noqa: F401  (first: sets Django up)
from celery import current_app
from django.apps import apps
from django.db import connection
from django.utils import timezone

from intake import pipeline
from intake import services as intake_services
from intake.choices import Gender, Phase, Source, Status, TransitionKind, Verdict
from intake.models import Candidate, Instroomspoor, Krijgsmachtdeel, Reason, StatusEvent
from reports import services
from reports.models import FunnelSnapshot, LeadTimeSnapshot

AS_OF = datetime.date(2026, 11, 1)
FLOOR = (
    f"SELECT c.instroomspoor_id, e.to_phase, COUNT(*) FROM {StatusEvent._meta.db_table} e "
    f"JOIN {Candidate._meta.db_table} c ON c.id = e.candidate_id GROUP BY c.instroomspoor_id, e.to_phase"
)
# A working day at national scale: tens of thousands of applications a year are a few hundred a day, and every
# open candidate moves about once a month.
TRANSITIONS = 4000
REGISTRATIONS = 300
WITHDRAWN_SHARE = 0.1


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


def recompute(**kwargs) -> tuple[float, list]:
    """The run's time, and its parts as it logs them. The stages run on services.CONNECTIONS connections at once:
    their times overlap and add up to more than the run's."""
    stages = StageTimes()
    logger = logging.getLogger(services.__name__)
    logger.addHandler(stages)
    started = time.perf_counter()
    run = services.report_recompute(as_of=AS_OF, **kwargs)
    seconds = time.perf_counter() - started
    logger.removeHandler(stages)
    assert run.status == "succeeded", run.error
    return seconds, stages.stages


def day_of_changes(rng: random.Random) -> tuple[int, int]:
    """Moves random open candidates one step on (some withdraw instead) and registers new ones, through the
    services as the application does. Returns the transitions and registrations made."""
    today = timezone.localdate()
    withdrawals = {
        phase: list(Reason.objects.filter(kind=TransitionKind.TERUGTREKKING, is_active=True, phase__in=["", phase]))
        for phase in Phase
    }
    open_ids = list(Candidate.objects.filter(status=Status.LOPEND).values_list("id", flat=True))
    moved = 0
    for candidate_id in rng.sample(open_ids, TRANSITIONS):
        candidate = Candidate.objects.select_related("instroomspoor").get(pk=candidate_id)
        reasons = withdrawals[candidate.phase]
        if reasons and rng.random() < WITHDRAWN_SHARE:
            change = {"kind": TransitionKind.TERUGTREKKING, "reason": rng.choice(reasons)}
        else:
            change = {
                "kind": TransitionKind.DOORZETTEN,
                "to_step": pipeline.next_steps(candidate.step, candidate.instroomspoor.code)[0],
                "verdict": Verdict.GESCHIKT if candidate.step in pipeline.EXAMINATION_STEPS else "",
            }
        try:
            intake_services.candidate_transition(
                candidate_id=candidate.pk,
                expected_version=candidate.version,
                actor=None,
                occurred_at=max(today, candidate.step_since),
                **change,
            )
            moved += 1
        except pipeline.TransitionError:
            pass  # a track's own rule (a lichting, an age limit) refuses it: a recruiter would not try
    tracks = list(Instroomspoor.objects.filter(code__in=["beroeps", "reservist"]))
    branches = list(Krijgsmachtdeel.objects.all())
    registrations = [
        {
            "instroomspoor": rng.choice(tracks),
            "krijgsmachtdeel": rng.choice(branches),
            "applied_on": today,
            "first_name": "Bench",
            "last_name": f"Kandidaat {index}",
            "birth_date": datetime.date(2006, 1 + index % 12, 1 + index % 28),
            "email": f"bench-{time.time_ns()}-{index}@example.nl",
            "phone": "0612345678",
            "postcode": "3511 AB",
            "gender": rng.choice([Gender.VROUW, Gender.MAN]),
            "source": Source.WEBSITE,
        }
        for index in range(REGISTRATIONS)
    ]
    intake_services.candidates_register(actor=None, registrations=registrations)
    return moved, REGISTRATIONS


def snapshot_digest() -> str:
    """One fingerprint of every row of every snapshot, without the ids a recompute gives anew."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("reports").get_models():
            if model.__name__.endswith(("Snapshot", "Parameter")):
                columns = ", ".join(f.column for f in model._meta.concrete_fields if not f.primary_key)
                cursor.execute(
                    f"SELECT md5(COALESCE(string_agg(r::text, '|' ORDER BY r::text), '')) "
                    f"FROM (SELECT {columns} FROM {model._meta.db_table}) r"
                )
                parts.append(cursor.fetchone()[0])
    return ",".join(parts)


def show(label: str, value, fmt: str = ",") -> None:
    print(f"{label:<40}{value:>14{fmt}}", flush=True)


def main() -> None:
    # The tallies that each transition asks for are a worker's job, not the recompute's: queue, do not run them.
    current_app.conf.task_always_eager = False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    floor()  # warm the cache so the timings read from memory
    baseline = min(floor() for _ in range(3))
    show("status events", StatusEvent.objects.count())
    show("floor: GROUP BY (s)", baseline, ".2f")

    full, stages = recompute(full=True)
    show("snapshot rows (funnel)", FunnelSnapshot.objects.count())
    show("snapshot rows (lead times)", LeadTimeSnapshot.objects.count())
    show("stages on connections at once", services.CONNECTIONS)
    for label, seconds in stages:
        show(f"  full: {label} (s)", seconds, ".2f")
    show("FULL recompute (s)", full, ".2f")
    show("full / floor", full / baseline, ".2f")

    started = time.perf_counter()
    moved, registered = day_of_changes(random.Random(2026))
    show("day's changes: transitions", moved)
    show("day's changes: registrations", registered)
    show("  making them (s, not timed below)", time.perf_counter() - started, ".1f")

    incremental, stages = recompute()
    for label, seconds in stages:
        show(f"  incremental: {label} (s)", seconds, ".2f")
    show("INCREMENTAL recompute (s)", incremental, ".2f")
    show("incremental / floor (target <= 2.0)", incremental / baseline, ".2f")

    if os.environ.get("RECOMPUTE_CHECK", "1") == "0":
        return
    after_incremental = snapshot_digest()
    recompute(full=True)
    print(f"{'incremental = full on the same data':<40}{'yes' if snapshot_digest() == after_incremental else 'NO':>14}")


if __name__ == "__main__":
    main()
