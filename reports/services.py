"""The only writers of the report snapshots and of the runs that recompute them."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import time
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.audit import audit_record
from intake.models import AuditAction
from intake.taskqueue import enqueue_on_commit

from . import aggregation, sql
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


def report_recompute(*, run_id: int | None = None, as_of: datetime.date | None = None) -> ReportRun:
    """Compute every report from the event log and replace all snapshots in one transaction. A re-run on the
    same data gives the same rows; if anything fails the previous snapshots stay and the run is marked failed."""
    run = ReportRun.objects.get(pk=run_id) if run_id else ReportRun.objects.create()
    as_of = as_of or timezone.localdate()
    stages = [
        (_("Trechter"), aggregation.cohorts_and_funnel),
        (_("Doorlooptijden"), aggregation.lead_times),
        (_("Wachtende kandidaten"), lambda: aggregation.ageing(as_of=as_of)),
        (_("Uitval"), aggregation.dropout),
        (_("Opleiding"), aggregation.training),
        (_("Behoud"), lambda: aggregation.retention(as_of=as_of)),
        (_("Doorstroom"), aggregation.doorstroom),
        (_("Prognose"), aggregation.forecast_parameters),
    ]
    _progress(run, status=RunStatus.RUNNING, stage=stages[0][0], done=0, total=len(stages) + 2, as_of=as_of)
    try:
        with sql.recompute_session(), aggregation.candidate_facts():
            results = []
            for done, (label, compute) in enumerate(stages):
                _progress(run, stage=label, done=done)
                results.append(_timed(label, compute))
            parameters = results[-1]
            _progress(run, stage=_("Realisatie en prognose"), done=len(stages))
            results.append(_timed("realisation", lambda: aggregation.realisation(as_of=as_of, parameters=parameters)))
        _progress(run, stage=_("Opslaan"), done=len(stages) + 1)
        _timed("write", lambda: _replace_snapshots(results))
    except Exception as error:
        logger.exception("Report recompute %s failed", run.pk)
        _progress(run, status=RunStatus.FAILED, error=str(error)[:500], finished_at=timezone.now())
        raise
    _progress(run, status=RunStatus.SUCCEEDED, stage="", done=run.stages_total, finished_at=timezone.now())
    return run


def _timed(label: str, compute):
    started = time.perf_counter()
    result = compute()
    logger.info("Report recompute: %s took %.1f s", label, time.perf_counter() - started)
    return result


def _replace_snapshots(results: list) -> None:
    (cohorts, funnel), *others = results
    batches = [cohorts, funnel, *others]
    models = [
        CohortSnapshot,
        FunnelSnapshot,
        LeadTimeSnapshot,
        AgeingSnapshot,
        DropoutSnapshot,
        TrainingSnapshot,
        RetentionSnapshot,
        DoorstroomSnapshot,
        ForecastParameter,
        RealisationSnapshot,
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two runs (the nightly one and a button press) must not interleave their deletes and inserts;
            # the second waits here until the first committed, then replaces its rows. SQLite writes serially.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_ID])
        for model, rows in zip(models, batches, strict=True):
            model.objects.all().delete()
            _insert(model, rows)


def _insert(model, rows: list) -> None:
    """Save unsaved snapshot rows. On PostgreSQL with COPY: building an INSERT per batch of objects cost
    Django more time than any report query but the lead times."""
    if not sql.is_postgres():
        model.objects.bulk_create(rows, batch_size=5000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])


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
