"""Plain functions that aggregate the status event log in SQL and return snapshot rows (unsaved model
instances). They only read; `reports.services.report_recompute` writes what they return.

Definitions used throughout:
- a candidate *reached* a phase if any of its events entered it (phases only move forward);
- *appointable*: passed selectie and keuring, i.e. a 'geschikt' verdict on the security screening (the last
  keuring step) or any later phase;
- *appointed on*: the date of the transition to aanstelling; an *exit* (rejection, withdrawal, drop-out) counts
  unless the next event reopened the candidate;
- lead times count days between the effective dates of the transitions.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, models

from intake.choices import Phase, Status, Step, TransitionKind, Verdict
from intake.models import Candidate, Doorstroom, Instroomspoor, Krijgsmachtdeel, Reason, StatusEvent

from . import sql
from .choices import RETENTION_MONTHS, TERM_DAYS, Granularity, StageType, WaitingOn
from .models import (
    AgeingSnapshot,
    CohortSnapshot,
    DoorstroomSnapshot,
    DropoutSnapshot,
    ForecastParameter,
    FunnelSnapshot,
    LeadTimeSnapshot,
    RealisationSnapshot,
    RetentionSnapshot,
    TrainingSnapshot,
)
from .sql import Rollup

PHASES = list(Phase)

EVENTS = StatusEvent._meta.db_table
# One row per candidate with its track, branch and gender; filled once per recompute (see `candidate_facts`).
FACTS = "report_candidate_facts"
# The ids of the candidates changed since the last run, during an incremental recompute (see `candidate_facts_refresh`):
# a table, not a temporary one, for the connections that compute the stages.
CHANGED = "report_changed_candidates"
# The changed candidates' facts as they were before a refresh, for the kept counts' difference: a table, not a
# temporary one, for the connections of the stages that bring the counts up to date (`Counted.refresh`).
FACTS_BEFORE = "report_facts_before"
# A few thousand changed candidates among millions of kept rows: as an array the planner looks each one up in the
# candidate index; as `IN (SELECT …)` it estimated a hash join over a scan of the whole table (1.2 s for a DELETE
# that removes nothing).
IS_CHANGED = f"= ANY(ARRAY(SELECT id FROM {CHANGED}))"
PHASE_ORDER = "CASE {col} " + " ".join(f"WHEN '{p.value}' THEN {i}" for i, p in enumerate(PHASES, 1)) + " END"
EXITS = f"('{TransitionKind.AFWIJZING}', '{TransitionKind.TERUGTREKKING}', '{TransitionKind.UITVAL}')"
STEP_CHANGES = f"('{TransitionKind.AANMELDING}', '{TransitionKind.DOORZETTEN}')"


@dataclass(frozen=True)
class Scope:
    """Which candidates a report aggregates: all of them, or (an incremental recompute) only those changed since
    the last run, whose rows then replace theirs in the groups kept from that run (`Rollup.refresh`)."""

    changed_only: bool = False

    @property
    def events(self) -> str:
        if not self.changed_only:
            return EVENTS
        return f"(SELECT * FROM {EVENTS} WHERE candidate_id {IS_CHANGED})"

    @property
    def candidates(self) -> str:
        """A SELECT of the candidates' facts."""
        if not self.changed_only:
            return f"SELECT * FROM {FACTS}"
        return f"SELECT * FROM {FACTS} WHERE id {IS_CHANGED}"

    @property
    def summary(self) -> str:
        """The candidates that have events, with what their events say about them, as `c`."""
        return f"({self.candidates} {'AND' if self.changed_only else 'WHERE'} max_phase IS NOT NULL) c"


FULL = Scope()
CHANGED_ONLY = Scope(changed_only=True)


@dataclass
class Refreshed:
    """What an incremental recompute changed in one snapshot: the rows with these `keys` (values of `fields`)
    are replaced by `rows`; a key without a row is a group that no longer has any candidate."""

    rows: list
    fields: Sequence[str]
    keys: list[tuple]


def _summary_source(events: str) -> str:
    """One row per candidate with what its events say about it."""
    return (
        "SELECT e.candidate_id, "
        f"MAX({PHASE_ORDER.format(col='e.to_phase')}) AS max_phase, "
        f"MAX(CASE WHEN e.to_phase IN ('{Phase.OPLEIDING}', '{Phase.AANGESTELD}') OR (e.verdict = '{Verdict.GESCHIKT}' "
        f"AND e.from_step = '{Step.VEILIGHEIDSONDERZOEK}') THEN 1 ELSE 0 END) AS appointable, "
        f"MIN(CASE WHEN e.kind = '{TransitionKind.DOORZETTEN}' AND e.to_step = '{Step.AANSTELLING}' "
        "THEN e.occurred_at END) AS appointed_on, "
        f"MIN(CASE WHEN e.kind = '{TransitionKind.DOORZETTEN}' AND e.to_step = '{Step.INITIELE_OPLEIDING}' "
        "THEN e.occurred_at END) AS training_on, "
        f"MAX(CASE WHEN e.kind = '{TransitionKind.UITSTROOM}' THEN e.occurred_at END) AS outflow_on "
        f"FROM {events} e GROUP BY e.candidate_id"
    )


def _facts_source(scope: Scope) -> str:
    return (
        "SELECT c.id, t.code AS track, t.personnel_category AS category, b.code AS branch, c.gender, c.applied_on, "
        "c.phase, c.step, c.status, c.step_since, "
        "s.max_phase, s.appointable, s.appointed_on, s.training_on, s.outflow_on, "
        # The ageing report needs the verdict of an open candidate's last event: one index lookup each.
        f"CASE WHEN c.status = '{Status.LOPEND}' THEN (SELECT le.verdict FROM {EVENTS} le "
        "WHERE le.candidate_id = c.id ORDER BY le.sequence DESC LIMIT 1) END AS last_verdict "
        f"FROM {Candidate._meta.db_table} c "
        f"JOIN {Instroomspoor._meta.db_table} t ON t.id = c.instroomspoor_id "
        f"JOIN {Krijgsmachtdeel._meta.db_table} b ON b.id = c.krijgsmachtdeel_id "
        f"LEFT JOIN ({_summary_source(scope.events)}) s ON s.candidate_id = c.id"
        + (f" WHERE c.id {IS_CHANGED}" if scope.changed_only else "")
    )


DIMS = ("track", "branch", "gender")


@dataclass(frozen=True)
class Counted:
    """How many candidates share each combination of some of their facts, none of which depends on the peildatum:
    what a report that does (ageing, retention, realisation) reads instead of every candidate's facts. On
    PostgreSQL it is kept in a table, brought up to date from the changed candidates' facts by each incremental
    run, so that a run reads a few thousand counted rows instead of a million facts; on SQLite it is the facts
    themselves, one row per candidate."""

    name: str
    # Column name -> SQL expression over a row of the facts.
    columns: dict[str, str]
    condition: str
    # Columns that may be null: matched with IS NOT DISTINCT FROM (the others with `=`, which a hash join uses).
    nullable: tuple[str, ...] = ()

    @property
    def rows(self) -> str:
        """A SELECT of the columns and `candidates`, how many candidates each row stands for."""
        if sql.is_postgres():
            return f"SELECT * FROM {self.name}"
        return f"SELECT {self._columns}, 1 AS candidates FROM {FACTS} c WHERE {self.condition}"

    def count(self, facts: str, sign: int = 1) -> str:
        """The counted rows of `facts` (a table or subquery of facts rows), each count times `sign`."""
        return (
            # An integer: the reports sum it as a 64-bit integer, where a bigint's sum is numeric.
            f"SELECT {self._columns}, CAST({sign} * COUNT(*) AS integer) AS candidates FROM {facts} c "
            f"WHERE {self.condition} "
            f"GROUP BY {', '.join(str(i) for i in range(1, len(self.columns) + 1))}"
        )

    def refresh(self) -> None:
        """Incremental recompute, after `candidate_facts_refresh`: applies to the kept counts the difference
        between the changed candidates' facts before and after. Done by the stage that reads the counts, on its
        connection, instead of before every stage starts."""
        names = ", ".join(self.columns)
        delta = (
            f"SELECT {names}, SUM(candidates) AS candidates FROM ({self.count(FACTS_BEFORE, -1)} UNION ALL "
            f"{self.count(f'({CHANGED_ONLY.candidates})')}) d GROUP BY {names} HAVING SUM(candidates) <> 0"
        )
        match = " AND ".join(
            f"k.{c} IS NOT DISTINCT FROM d.{c}" if c in self.nullable else f"k.{c} = d.{c}" for c in self.columns
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"MERGE INTO {self.name} k USING ({delta}) d ON {match} "
                "WHEN MATCHED AND k.candidates + d.candidates = 0 THEN DELETE "
                "WHEN MATCHED THEN UPDATE SET candidates = k.candidates + d.candidates "
                f"WHEN NOT MATCHED THEN INSERT ({names}, candidates) VALUES "
                f"({', '.join(f'd.{c}' for c in [*self.columns, 'candidates'])})"
            )

    @property
    def _columns(self) -> str:
        return ", ".join(f"{expr} AS {name}" for name, expr in self.columns.items())


# Open candidates by the day they entered their step: their days waiting are the peildatum minus that day.
OPEN_CANDIDATES = Counted(
    name="report_open_candidates",
    columns={
        "category": "c.category",
        "track": "c.track",
        "branch": "c.branch",
        "gender": "c.gender",
        "step": "c.step",
        "waiting_on": f"CASE WHEN c.last_verdict = '{Verdict.TIJDELIJK_ONGESCHIKT}' THEN '{WaitingOn.KANDIDAAT}' "
        f"WHEN c.step = '{Step.VEILIGHEIDSONDERZOEK}' THEN '{WaitingOn.EXTERN}' ELSE '{WaitingOn.ORGANISATIE}' END",
        "step_since": "c.step_since",
        # The ageing report counts only candidates with events (as every report of the chain does).
        "with_events": "c.max_phase IS NOT NULL",
    },
    condition=f"c.status = '{Status.LOPEND}'",
)
# Appointed candidates by appointment day, and for those who left the service after how many whole months: how
# long ago they were appointed is the peildatum minus that day.
APPOINTED_CANDIDATES = Counted(
    name="report_appointed_candidates",
    columns={
        "category": "c.category",
        "track": "c.track",
        "branch": "c.branch",
        "gender": "c.gender",
        "appointed_on": "c.appointed_on",
        "left_service": f"c.status = '{Status.UITGESTROOMD}'",
        "months_served": f"CASE WHEN c.status = '{Status.UITGESTROOMD}' "
        f"THEN {sql.months_between('c.appointed_on', 'c.outflow_on')} END",
    },
    condition="c.appointed_on IS NOT NULL",
    nullable=("months_served",),
)
COUNTED = (OPEN_CANDIDATES, APPOINTED_CANDIDATES)


@contextlib.contextmanager
def candidate_facts():
    """Fills the per-candidate facts table that every report reads. Every report needs what a candidate's
    events add up to; computing that once instead of per report saves an aggregation of the whole event log per
    report. On PostgreSQL the table is kept, for the next incremental recompute to bring up to date
    (`candidate_facts_refresh`); on SQLite it is temporary."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FACTS}")
        if sql.is_postgres():
            cursor.execute(f"CREATE TABLE {FACTS} AS {_facts_source(FULL)}")
            cursor.execute(f"ALTER TABLE {FACTS} ADD PRIMARY KEY (id)")
            cursor.execute(f"ANALYZE {FACTS}")
            for counted in COUNTED:
                cursor.execute(f"DROP TABLE IF EXISTS {counted.name}")
                cursor.execute(f"CREATE TABLE {counted.name} AS {counted.count(FACTS)}")
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {FACTS} AS {_facts_source(FULL)}")
    try:
        yield
    finally:
        if not sql.is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {FACTS}")


def candidate_facts_refresh(*, changed_since: datetime.datetime) -> int:
    """PostgreSQL, incremental recompute: note which candidates changed since `changed_since` (every change of a
    candidate or its phase saves the candidate, which sets `updated_at`) and bring their facts up to date, keeping
    their facts from before for the kept counts (`Counted.refresh`). Returns how many changed."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CHANGED}")
        cursor.execute(
            f"CREATE UNLOGGED TABLE {CHANGED} AS SELECT id FROM {Candidate._meta.db_table} WHERE updated_at >= %s",
            [changed_since],
        )
        cursor.execute(f"ALTER TABLE {CHANGED} ADD PRIMARY KEY (id)")
        cursor.execute(f"ANALYZE {CHANGED}")
        cursor.execute(f"DROP TABLE IF EXISTS {FACTS_BEFORE}")
        cursor.execute(f"CREATE UNLOGGED TABLE {FACTS_BEFORE} AS SELECT * FROM {FACTS} WHERE id {IS_CHANGED}")
        cursor.execute(f"DELETE FROM {FACTS} WHERE id {IS_CHANGED}")
        cursor.execute(f"INSERT INTO {FACTS} {_facts_source(CHANGED_ONLY)}")
        return cursor.rowcount


def _refreshed(rollup: Rollup, build) -> Refreshed:
    """The snapshot rows of the groups in which the changed candidates' rows changed."""
    keys = rollup.refresh(f"SELECT id FROM {CHANGED}")
    return Refreshed([build(row) for row in rollup.changed_rows()], rollup.group_columns, keys)


def _snapshot(model: type[models.Model], **values) -> models.Model:
    """An unsaved row of a snapshot `model` from the values of all its fields but the id, passed positionally:
    Django's keyword arguments cost twice as much (7 µs a row), and a run builds tens of thousands of rows."""
    return model(None, *(values[name] for name in _snapshot_fields(model)))


@functools.cache
def _snapshot_fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def _dims(row: dict, *names: str) -> dict:
    return {name: row[name] for name in ("period_type", "period_start", *DIMS, *names) if name in row}


def cohorts_and_funnel(
    scope: Scope = FULL,
) -> tuple[list[CohortSnapshot] | Refreshed, list[FunnelSnapshot] | Refreshed]:
    """The funnel by application cohort, and the period view of how many entered each phase in a period."""
    measures = {
        "applied": "COUNT(*)",
        "in_process": f"COUNT(*) FILTER (WHERE status = '{Status.LOPEND}')",
        "appointable": "COUNT(*) FILTER (WHERE appointable = 1)",
    }
    for order, phase in enumerate(PHASES, 1):
        measures[f"reached_{phase}"] = f"COUNT(*) FILTER (WHERE max_phase >= {order})"
        measures[f"open_{phase}"] = f"COUNT(*) FILTER (WHERE status = '{Status.LOPEND}' AND phase = '{phase}')"
    cohort = Rollup(
        source="SELECT c.id AS candidate_id, c.track, c.branch, c.gender, c.applied_on AS d, c.max_phase, "
        f"c.appointable, c.status, c.phase FROM {scope.summary}",
        measures=measures,
        name="cohorts",
    )
    entered = Rollup(
        source="SELECT c.id AS candidate_id, c.track, c.branch, c.gender, e.to_phase AS phase, MIN(e.occurred_at) AS d "
        f"FROM {scope.events} e JOIN ({scope.candidates}) c ON c.id = e.candidate_id "
        "GROUP BY c.id, c.track, c.branch, c.gender, e.to_phase",
        keys=("phase",),
        measures={"entered": "COUNT(*)"},
        name="entered",
    )
    if not scope.changed_only:
        return _cohorts_and_funnel(cohort.rows(), entered.rows())
    # A funnel row combines one phase of a cohort group (reached, in process) with an entered group (its phase):
    # when either changed, both are read for it. A cohort group changes a phase's row when that phase's figures
    # changed, or every phase's row when it gained or lost candidates (it may be new, or gone).
    cohort_keys = cohort.refresh(f"SELECT id FROM {CHANGED}")
    funnel_keys = {
        (*(row[name] for name in cohort.group_columns), phase)
        for row in cohort.delta()
        for phase in PHASES
        if row["applied"] or row[f"reached_{phase}"] or row[f"open_{phase}"]
    } | set(entered.refresh(f"SELECT id FROM {CHANGED}"))
    changed_cohorts = set(cohort_keys)
    cohorts, funnel = _cohorts_and_funnel(
        cohort.rows_for(list({key[:-1] for key in funnel_keys})),
        entered.rows_for(list(funnel_keys)),
        only_cohorts=changed_cohorts,
        only_funnel=funnel_keys,
    )
    return (
        Refreshed(cohorts, cohort.group_columns, cohort_keys),
        Refreshed(funnel, entered.group_columns, list(funnel_keys)),
    )


def _cohorts_and_funnel(
    cohort_rows: list[dict],
    entered_rows: list[dict],
    only_cohorts: set | None = None,
    only_funnel: set | None = None,
) -> tuple[list, list]:
    """The cohort and funnel snapshot rows; with `only_…`, just those with these keys (an incremental run reads
    more cohort groups than changed, for the funnel rows of their phases)."""
    cohorts = []
    funnel: dict[tuple, FunnelSnapshot] = {}
    for row in cohort_rows:
        key = tuple(row[name] for name in ("period_type", "period_start", *DIMS))
        if only_cohorts is None or key in only_cohorts:
            cohorts.append(
                _snapshot(
                    CohortSnapshot,
                    **_dims(row),
                    applied=row["applied"],
                    in_process=row["in_process"],
                    appointable=row["appointable"],
                    appointed=row[f"reached_{Phase.AANGESTELD}"],
                )
            )
        for phase in PHASES:
            if only_funnel is None or (*key, phase) in only_funnel:
                funnel[(*key, phase)] = _snapshot(
                    FunnelSnapshot,
                    **_dims(row),
                    phase=phase,
                    reached=row[f"reached_{phase}"],
                    in_process=row[f"open_{phase}"],
                    entered=0,
                )
    for row in entered_rows:
        key = tuple(row[name] for name in ("period_type", "period_start", *DIMS, "phase"))
        if key in funnel:
            funnel[key].entered = row["entered"]
        else:
            funnel[key] = _snapshot(
                FunnelSnapshot, **_dims(row, "phase"), reached=0, in_process=0, entered=row["entered"]
            )
    return cohorts, list(funnel.values())


def lead_times(scope: Scope = FULL) -> list[LeadTimeSnapshot] | Refreshed:
    """Median, p80 and p90 days per step, per phase and from application to appointment, by application cohort."""
    steps = (
        "SELECT e.candidate_id, e.to_step AS stage, e.occurred_at AS entered_on, "
        "LEAD(e.occurred_at) OVER (PARTITION BY e.candidate_id ORDER BY e.sequence) AS left_on "
        f"FROM {scope.events} e WHERE e.kind IN {STEP_CHANGES}"
    )
    phase_entries = (
        "SELECT e.candidate_id, e.to_phase AS stage, MIN(e.occurred_at) AS entered_on, "
        f"MIN({PHASE_ORDER.format(col='e.to_phase')}) AS phase_order "
        f"FROM {scope.events} e WHERE e.kind IN {STEP_CHANGES} GROUP BY e.candidate_id, e.to_phase"
    )
    phases = (
        "SELECT candidate_id, stage, entered_on, LEAD(entered_on) OVER "
        f"(PARTITION BY candidate_id ORDER BY entered_on, phase_order) AS left_on FROM ({phase_entries}) pe"
    )
    stays = " UNION ALL ".join(
        "SELECT c.id AS candidate_id, c.track, c.branch, c.gender, c.applied_on AS d, "
        f"'{stage_type}' AS stage_type, x.stage, {sql.days_between('x.entered_on', 'x.left_on')} AS days "
        f"FROM ({query}) x JOIN ({scope.candidates}) c ON c.id = x.candidate_id WHERE x.left_on IS NOT NULL"
        for stage_type, query in ((StageType.STEP, steps), (StageType.PHASE, phases))
    )
    total = (
        "SELECT c.id AS candidate_id, c.track, c.branch, c.gender, c.applied_on AS d, "
        f"'{StageType.TOTAL}' AS stage_type, '{StageType.TOTAL}' AS stage, "
        f"{sql.days_between('c.applied_on', 'c.appointed_on')} AS days "
        f"FROM {scope.summary} WHERE c.appointed_on IS NOT NULL"
    )
    rollup = Rollup(
        source=f"{stays} UNION ALL {total}",
        keys=("stage_type", "stage"),
        measures={"completed": "COUNT(*)"},
        percentiles=True,
        name="lead_times",
    )

    def build(row):
        return _snapshot(
            LeadTimeSnapshot, **_dims(row, "stage_type", "stage"), completed=row["completed"], **_days(row)
        )

    return _refreshed(rollup, build) if scope.changed_only else [build(row) for row in rollup.rows()]


def _days(row: dict) -> dict:
    return {"median_days": round(row["p50"], 1), "p80_days": round(row["p80"], 1), "p90_days": round(row["p90"], 1)}


def ageing(scope: Scope = FULL, *, as_of: datetime.date) -> list[AgeingSnapshot]:
    """Open candidates on `as_of`: days in their current step, per step and who they are waiting for."""
    if scope.changed_only:
        OPEN_CANDIDATES.refresh()
    source = (
        "SELECT c.track, c.branch, c.gender, c.step, c.waiting_on, c.candidates, "
        f"{sql.days_between('c.step_since', sql.date_param())} AS days "
        f"FROM ({OPEN_CANDIDATES.rows}) c WHERE c.with_events"
    )
    rows = Rollup(
        source=source,
        keys=("step", "waiting_on"),
        periods=(),
        measures={"open": "COUNT(*)", "over_term": f"COUNT(*) FILTER (WHERE days > {TERM_DAYS})"},
        percentiles=True,
        params=[as_of.isoformat()],
        weight="candidates",
    ).rows()
    return [
        _snapshot(
            AgeingSnapshot,
            **{d: row[d] for d in DIMS},
            step=row["step"],
            waiting_on=row["waiting_on"],
            open=row["open"],
            over_term=row["over_term"],
            median_days=round(row["p50"], 1),
            p90_days=round(row["p90"], 1),
        )
        for row in rows
    ]


def dropout(scope: Scope = FULL) -> list[DropoutSnapshot] | Refreshed:
    """Exits by the period they happened in, per phase, way out and reason; a reopened exit does not count."""
    events = (
        "SELECT e.candidate_id, e.kind, e.to_phase, e.reason_id, e.occurred_at, "
        "LEAD(e.kind) OVER (PARTITION BY e.candidate_id ORDER BY e.sequence) AS next_kind "
        f"FROM {scope.events} e"
    )
    source = (
        "SELECT c.id AS candidate_id, c.track, c.branch, c.gender, x.occurred_at AS d, x.to_phase AS phase, x.kind, "
        "COALESCE(r.code, '') AS reason "
        f"FROM ({events}) x JOIN ({scope.candidates}) c ON c.id = x.candidate_id "
        f"LEFT JOIN {Reason._meta.db_table} r ON r.id = x.reason_id "
        f"WHERE x.kind IN {EXITS} AND (x.next_kind IS NULL OR x.next_kind != '{TransitionKind.HEROPENING}')"
    )
    rollup = Rollup(source=source, keys=("phase", "kind", "reason"), measures={"count": "COUNT(*)"}, name="dropout")

    def build(row):
        return _snapshot(DropoutSnapshot, **_dims(row, "phase", "kind", "reason"), count=row["count"])

    return _refreshed(rollup, build) if scope.changed_only else [build(row) for row in rollup.rows()]


def training(scope: Scope = FULL) -> list[TrainingSnapshot] | Refreshed:
    """Initial training by the period it started: how many started, dropped out (uitval) and were appointed."""
    rollup = Rollup(
        source="SELECT c.id AS candidate_id, c.track, c.branch, c.gender, c.training_on AS d, c.status, c.appointed_on "
        f"FROM {scope.summary} WHERE c.training_on IS NOT NULL",
        measures={
            "started": "COUNT(*)",
            "dropped_out": f"COUNT(*) FILTER (WHERE status = '{Status.UITGEVALLEN}')",
            "appointed": "COUNT(*) FILTER (WHERE appointed_on IS NOT NULL)",
        },
        name="training",
    )

    def build(row):
        return _snapshot(
            TrainingSnapshot,
            **_dims(row),
            started=row["started"],
            dropped_out=row["dropped_out"],
            appointed=row["appointed"],
        )

    return _refreshed(rollup, build) if scope.changed_only else [build(row) for row in rollup.rows()]


def retention(scope: Scope = FULL, *, as_of: datetime.date) -> list[RetentionSnapshot]:
    """Appointment cohorts: of those appointed long enough ago, the share still in service after N months."""
    if scope.changed_only:
        APPOINTED_CANDIDATES.refresh()
    measures = {"appointed": "COUNT(*)"}
    for months in RETENTION_MONTHS:
        measurable = f"months_appointed >= {months}"
        stayed = f"(NOT left_service OR months_served >= {months})"
        measures[f"measurable_{months}"] = f"COUNT(*) FILTER (WHERE {measurable})"
        measures[f"retained_{months}"] = f"COUNT(*) FILTER (WHERE {measurable} AND {stayed})"
    # The two month counts once per candidate, not once per retention term.
    rows = Rollup(
        source="SELECT track, branch, gender, d, left_service, months_served, candidates, "
        f"{sql.months_between('d', 'as_of')} AS months_appointed "
        "FROM (SELECT c.track, c.branch, c.gender, c.appointed_on AS d, c.left_service, c.months_served, "
        f"c.candidates, {sql.date_param()} AS as_of FROM ({APPOINTED_CANDIDATES.rows}) c) a",
        measures=measures,
        params=[as_of.isoformat()],
        weight="candidates",
    ).rows()
    return [_snapshot(RetentionSnapshot, **_dims(row), **{k: row[k] for k in measures}) for row in rows]


def doorstroom() -> list[DoorstroomSnapshot]:
    """Where participants went after their track, by the period it was decided."""
    if sql.is_postgres():
        # A few thousand outcomes: each one's candidate by a lookup of the facts' primary key, where a join was
        # planned as a hash join over a scan of all the facts (0.3 s).
        facts = sql.one_lookup(f"SELECT track, branch, gender FROM {FACTS} c", "c.id = o.candidate_id")
        candidates = f"CROSS JOIN LATERAL {facts}"
    else:
        candidates = f"JOIN {FACTS} r ON r.id = o.candidate_id"
    rows = Rollup(
        source=f"SELECT r.track, r.branch, r.gender, o.decided_on AS d, o.destination "
        f"FROM {Doorstroom._meta.db_table} o {candidates}",
        keys=("destination",),
        measures={"count": "COUNT(*)"},
    ).rows()
    return [_snapshot(DoorstroomSnapshot, **_dims(row, "destination"), count=row["count"]) for row in rows]


def forecast_parameters(scope: Scope = FULL) -> list[ForecastParameter]:
    """Per track and step, from the candidates who entered the step and whose outcome is known: how many were
    appointed, and the median days from entering the step to the appointment."""
    entries = (
        "SELECT e.candidate_id, e.to_step AS step, MIN(e.occurred_at) AS entered_on "
        f"FROM {scope.events} e WHERE e.kind IN {STEP_CHANGES} GROUP BY e.candidate_id, e.to_step"
    )
    exited = ", ".join(f"'{s}'" for s in (Status.AFGEWEZEN, Status.TERUGGETROKKEN, Status.UITGEVALLEN))
    rollup = Rollup(
        source="SELECT c.id AS candidate_id, c.track, x.step, c.status, c.appointed_on, "
        f"{sql.days_between('x.entered_on', 'c.appointed_on')} AS days "
        f"FROM {scope.summary} JOIN ({entries}) x ON x.candidate_id = c.id "
        f"WHERE x.step != '{Step.AANSTELLING}' AND (c.appointed_on IS NOT NULL OR c.status IN ({exited}))",
        dims=(),
        keys=("track", "step"),
        periods=(),
        measures={"closed": "COUNT(*)", "appointed": "COUNT(*) FILTER (WHERE appointed_on IS NOT NULL)"},
        percentiles=True,
        name="forecast",
    )
    if scope.changed_only:
        # A few dozen groups: all are read again, for the forecast of the realisation.
        rollup.refresh(f"SELECT id FROM {CHANGED}")
        rows = rollup.rows_for(None)
    else:
        rows = rollup.rows()
    return [
        _snapshot(
            ForecastParameter,
            track=row["track"],
            step=row["step"],
            closed=row["closed"],
            appointed=row["appointed"],
            median_days=None if row["p50"] is None else round(row["p50"], 1),
        )
        for row in rows
    ]


def realisation(*, as_of: datetime.date, parameters: list[ForecastParameter]) -> list[RealisationSnapshot]:
    """Appointments per year, and for the year of `as_of` the forecast: each open candidate counts for its
    step's historical conversion if the step's median lead time to appointment ends within the year."""
    year_end = datetime.date(as_of.year, 12, 31)
    float_param = "CAST(%s AS double precision)" if sql.is_postgres() else "CAST(%s AS REAL)"
    assumptions = (
        " UNION ALL ".join(
            f"SELECT %s AS track, %s AS step, {float_param} AS conversion, {float_param} AS median_days"
            for _ in parameters
        )
        or f"SELECT '' AS track, '' AS step, {float_param} AS conversion, {float_param} AS median_days"
    )
    params = [v for p in parameters for v in (p.track, p.step, p.conversion, p.median_days)] or [0, 0]
    expected_end = sql.add_days("c.step_since", "fp.median_days")
    source = (
        "SELECT c.category, c.track, c.branch, c.appointed_on AS d, 1 AS realised, 0 AS open, 0.0 AS expected, "
        f"c.candidates FROM ({APPOINTED_CANDIDATES.rows}) c "
        "UNION ALL "
        f"SELECT c.category, c.track, c.branch, {sql.date_param()} AS d, 0 AS realised, 1 AS open, "
        f"CASE WHEN fp.median_days IS NOT NULL AND {expected_end} <= {sql.date_param()} "
        "THEN fp.conversion ELSE 0.0 END AS expected, c.candidates "
        f"FROM ({OPEN_CANDIDATES.rows}) c LEFT JOIN ({assumptions}) fp ON fp.track = c.track AND fp.step = c.step"
    )
    rows = Rollup(
        source=source,
        dims=("category", "track", "branch"),
        periods=(Granularity.YEAR,),
        measures={"realised": "SUM(realised)", "open": "SUM(open)", "expected": "SUM(expected)"},
        params=[as_of.isoformat(), year_end.isoformat(), *params],
        weight="candidates",
    ).rows()
    snapshots = []
    for row in rows:
        current = row["period_start"].year == as_of.year
        snapshots.append(
            _snapshot(
                RealisationSnapshot,
                year=row["period_start"].year,
                category=row["category"],
                track=row["track"],
                branch=row["branch"],
                realised=row["realised"],
                open=row["open"] if current else None,
                expected=round(row["expected"], 1) if current else None,
            )
        )
    return snapshots
