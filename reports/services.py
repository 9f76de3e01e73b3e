"""The only writers of the report snapshots and of the runs that recompute them."""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime
import hashlib
import itertools
import logging
import queue
import threading
import time
import uuid
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import choices as intake_choices
from intake.audit import audit_record
from intake.bulk_write import bulk_insert
from intake.models import AuditAction, Instroomspoor, Krijgsmachtdeel, Reason
from intake.taskqueue import enqueue_on_commit

from . import aggregation, sql
from . import choices as report_choices
from .choices import RunStatus
from .models import (
    STALE_RUN,
    AgeingSnapshot,
    CohortSnapshot,
    DoorstroomSnapshot,
    DropoutSnapshot,
    ForecastParameter,
    FunnelSnapshot,
    LeadTimeSnapshot,
    RealisationSnapshot,
    RecomputeState,
    ReportRun,
    RetentionSnapshot,
    TrainingSnapshot,
)
from .selectors import CACHE_GENERATION_KEY, ReportFilters

logger = logging.getLogger(__name__)

# Any constant works: it names the advisory lock that lets only one recompute write at a time.
WRITE_LOCK_ID = 5_000_001


def report_run_request(*, requested_by: AbstractBaseUser | None) -> tuple[ReportRun, bool]:
    """Queue a recompute unless one is already queued or running; returns the run and whether it is new.
    The task is handed over after the commit, so the worker always finds the run row."""
    from .tasks import recompute_reports

    with transaction.atomic():
        # Lock the unfinished runs so that two managers pressing the button at once queue one run, not two.
        pending = (
            ReportRun.objects.select_for_update()
            .filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__gte=timezone.now() - STALE_RUN)
            .first()
        )
        if pending:
            return pending, False
        run = ReportRun.objects.create(requested_by=requested_by)
        enqueue_on_commit(recompute_reports, run.pk)
    return run, True


def report_cache_clear() -> None:
    """Make every report be computed afresh on its next read: for changes to what the reports read besides the
    snapshots (the plan figures). A new generation of cache keys; the old entries expire unread."""
    cache.set(CACHE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def report_export_record(
    *, actor: AbstractBaseUser, key: str, filters: ReportFilters, fmt: str, api: bool = False
) -> None:
    """Note in the audit trail that a report left the application as a file: aggregates, but figures of a
    ministry all the same, so who took which table with which filters is on record."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="reports.report",
        object_id=key,
        detail={"format": fmt, "via": "api" if api else "dashboard", "filters": dataclasses.asdict(filters)},
    )


def report_recompute(*, run_id: int | None = None, as_of: datetime.date | None = None, full: bool = False) -> ReportRun:
    """Compute every report from the event log and replace the snapshots in one transaction. A re-run on the
    same data gives the same rows; if anything fails the previous snapshots stay and the run is marked failed.

    On PostgreSQL a run after a successful one is incremental: only the candidates saved since that run are
    aggregated again, and only the snapshot rows of the groups their rows changed are replaced (the reports that
    depend on `as_of` are computed whole, from kept counts of candidates by the dates they depend on, which the
    run brings up to date like the other kept tables). The snapshots are exactly those of a full run. The first
    run, a run with `full`, and a run after the aggregation code or the reference data it reads changed compute
    everything."""
    run = ReportRun.objects.get(pk=run_id) if run_id else ReportRun.objects.create()
    as_of = as_of or timezone.localdate()
    _progress(run, status=RunStatus.RUNNING, stage=_("Trechter"), done=0, total=len(_stages()) + 1, as_of=as_of)
    try:
        with sql.recompute_session(), _one_run_at_a_time():
            changes_until = _changes_horizon()
            definitions = _definitions()
            state = None if full else RecomputeState.objects.filter(definitions=definitions).first()
            # Until this run has written its snapshots, the kept tables match neither them nor the last ones: a
            # run that dies on the way leaves no state, and the next run is a full one.
            RecomputeState.objects.all().delete()
            if state:
                _timed(
                    "changed candidates",
                    lambda: aggregation.candidate_facts_refresh(changed_since=state.changes_since),
                )
                _compute_and_replace(run, as_of, aggregation.CHANGED_ONLY, changes_until, definitions)
            else:
                with aggregation.candidate_facts():
                    _compute_and_replace(run, as_of, aggregation.FULL, changes_until, definitions)
    except Exception as error:
        logger.exception("Report recompute %s failed", run.pk)
        _progress(run, status=RunStatus.FAILED, error=str(error)[:500], finished_at=timezone.now())
        raise
    _progress(run, status=RunStatus.SUCCEEDED, stage="", done=run.stages_total, finished_at=timezone.now())
    return run


# The stages run on this many database connections at once, each a PostgreSQL process of its own: a server's
# cores, which the bare GROUP BY of the benchmark's floor uses as well (a parallel query on the bench's two).
CONNECTIONS = 2


def _in_parallel() -> bool:
    """Whether the stages can run on connections of their own: only PostgreSQL keeps the tables they read for
    other connections to see, and none sees what an enclosing transaction (a test's) has not committed."""
    return sql.is_postgres() and not connection.in_atomic_block


def _stages() -> list:
    """The stages of a run: what each computes, and the snapshots it gives the rows of."""
    return [
        (
            _("Trechter"),
            lambda scope, as_of: aggregation.cohorts_and_funnel(scope),
            [CohortSnapshot, FunnelSnapshot],
        ),
        (_("Doorlooptijden"), lambda scope, as_of: aggregation.lead_times(scope), [LeadTimeSnapshot]),
        (_("Wachtende kandidaten"), lambda scope, as_of: aggregation.ageing(scope, as_of=as_of), [AgeingSnapshot]),
        (_("Uitval"), lambda scope, as_of: aggregation.dropout(scope), [DropoutSnapshot]),
        (_("Opleiding"), lambda scope, as_of: aggregation.training(scope), [TrainingSnapshot]),
        (_("Behoud"), lambda scope, as_of: aggregation.retention(scope, as_of=as_of), [RetentionSnapshot]),
        (_("Doorstroom"), lambda scope, as_of: aggregation.doorstroom(), [DoorstroomSnapshot]),
        (_("Prognose"), lambda scope, as_of: aggregation.forecast_parameters(scope), [ForecastParameter]),
    ]


def _compute_and_replace(
    run: ReportRun,
    as_of: datetime.date,
    scope: aggregation.Scope,
    changes_until: datetime.datetime,
    definitions: str,
) -> None:
    """Computes the stages and replaces their snapshots, and those of the realisation, in one transaction. On
    connections of their own (`_in_parallel`) the stages run while this connection's transaction replaces the
    rows of each one finished; otherwise all are computed first (outside the transaction, so that the dashboard
    sees the progress)."""
    stages = _stages()
    pending = queue.SimpleQueue()
    for index in range(len(stages)):
        pending.put(index)
    finished = queue.SimpleQueue()
    done = itertools.count(1)
    progress = threading.Lock()
    failed = threading.Event()

    def work(own_connection: bool) -> None:
        try:
            with sql.recompute_session() if own_connection else contextlib.nullcontext():
                while not failed.is_set():
                    try:
                        index = pending.get_nowait()
                    except queue.Empty:
                        return
                    label, compute, _models = stages[index]
                    with progress:
                        _progress(run, stage=label)
                    finished.put((index, _timed(label, lambda compute=compute: compute(scope, as_of))))
                    with progress:
                        count = next(done)
                        _progress(run, done=count, **({"stage": _("Opslaan")} if count == len(stages) else {}))
        except Exception as error:
            failed.set()
            finished.put((None, error))
        finally:
            if own_connection:
                connection.close()

    with contextlib.ExitStack() as workers:
        if _in_parallel():
            pool = workers.enter_context(concurrent.futures.ThreadPoolExecutor(CONNECTIONS))
            for _worker in range(CONNECTIONS):
                pool.submit(work, own_connection=True)
        else:
            work(own_connection=False)
        try:
            _replace_snapshots(stages, finished, as_of, changes_until, definitions)
        finally:
            # After a failure, the other connections stop after their current stage.
            failed.set()


# Any constants work: they name the advisory locks that let one recompute run and one write at a time.
RUN_LOCK_ID = 5_000_002
# How much earlier than the oldest open transaction the next incremental run looks for changed candidates: the
# application servers' clocks set `updated_at`, the database's clock the transactions' start.
CLOCK_MARGIN = datetime.timedelta(minutes=1)


@contextlib.contextmanager
def _one_run_at_a_time():
    """Two runs (the nightly one and a button press) must not rebuild or refresh the kept tables at once."""
    if not sql.is_postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_ID])


def _changes_horizon() -> datetime.datetime:
    """From when the next incremental run must look at saved candidates again: every change this run may not see
    is saved by a transaction that is open now or starts later."""
    if not sql.is_postgres():
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT LEAST(clock_timestamp(), (SELECT MIN(xact_start) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()))"
        )
        return cursor.fetchone()[0] - CLOCK_MARGIN


def _definitions() -> str:
    """A fingerprint of what the kept tables were computed with: the aggregation code, the phases and steps,
    and the codes of the reference data the reports group by."""
    digest = hashlib.sha256()
    for module in (aggregation, sql, report_choices, intake_choices):
        digest.update(Path(module.__file__).read_bytes())
    for queryset in (
        Instroomspoor.objects.values_list("id", "code", "personnel_category"),
        Krijgsmachtdeel.objects.values_list("id", "code"),
        Reason.objects.values_list("id", "code"),
    ):
        digest.update(repr(list(queryset.order_by("pk"))).encode())
    return digest.hexdigest()


def _timed(label: str, compute):
    started = time.perf_counter()
    result = compute()
    logger.info("Report recompute: %s took %.1f s", label, time.perf_counter() - started)
    return result


def _replace_snapshots(
    stages: list,
    finished: queue.SimpleQueue,
    as_of: datetime.date,
    changes_until: datetime.datetime,
    definitions: str,
) -> None:
    """Replaces the snapshots of the stages as they come out of `finished` (index and rows, or None and the
    error of a stage that failed), then the realisation's, which needs the forecast parameters and the kept
    counts that the ageing and retention stages brought up to date."""
    with transaction.atomic():
        if sql.is_postgres():
            # Two runs must not interleave their deletes and inserts; the second waits here until the first
            # committed, then replaces its rows. SQLite writes serially.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_ID])
        parameters = None
        for _stage in stages:
            index, result = finished.get()
            last_stage_done = time.perf_counter()
            if index is None:
                raise result
            models = stages[index][2]
            for model, batch in zip(models, result if len(models) > 1 else [result], strict=True):
                _replace_rows(model, batch)
            if models == [ForecastParameter]:
                parameters = result
        realisation = _timed("realisation", lambda: aggregation.realisation(as_of=as_of, parameters=parameters))
        _replace_rows(RealisationSnapshot, realisation)
        if sql.is_postgres():
            RecomputeState.objects.all().delete()
            RecomputeState.objects.create(changes_since=changes_until, definitions=definitions)
    # What the run adds to its last stage: the realisation, the last stage's rows and the commit.
    logger.info("Report recompute: write after the last stage took %.1f s", time.perf_counter() - last_stage_done)


def _replace_rows(model, batch: list | aggregation.Refreshed) -> None:
    if isinstance(batch, aggregation.Refreshed):
        _delete_groups(model, batch.fields, batch.keys)
        bulk_insert(model, batch.rows)
    else:
        model.objects.all().delete()
        bulk_insert(model, batch)


def _delete_groups(model, fields: list[str], keys: list[tuple]) -> None:
    table = model._meta.db_table
    # The ids found by one lookup of the unique index per key (see sql.one_lookup).
    lookup = sql.one_lookup(f"SELECT id FROM {table} s", " AND ".join(f"s.{name} = k.{name}" for name in fields))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id = ANY(ARRAY(SELECT r.id FROM {sql.keys_table(fields, keys)} k "
            f"CROSS JOIN LATERAL {lookup}))"
        )


def _progress(run: ReportRun, *, done: int | None = None, total: int | None = None, **fields) -> None:
    # Saved outside the snapshot transaction, so that the dashboard sees the progress while the run goes on.
    if done is not None:
        fields["stages_done"] = done
    if total is not None:
        fields["stages_total"] = total
    if fields.get("status") == RunStatus.RUNNING:
        fields["started_at"] = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))
