"""An incremental recompute (PostgreSQL: only the candidates saved since the last run) must give exactly the
snapshots a full recompute gives, whatever happened in between. Outside a transaction (the nightly task, the
dashboard's button) the stages run on connections of their own at once, with the same snapshots."""

import datetime
import logging

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.utils import timezone

from intake import pipeline, privacy
from intake import services as intake_services
from intake.choices import Gender, Phase, Status, Step, TransitionKind, Verdict
from intake.models import Reason
from intake.tests.factories import ROUTE, branch
from reports import aggregation, services
from reports.choices import RunStatus
from reports.models import LeadTimeSnapshot, RecomputeState, ReportRun

from .history import applicant, day, leave, transition
from .test_anonymisation import snapshot_rows

pytestmark = pytest.mark.django_db

AS_OF = day("2026-06-01")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite always recomputes in full")


@pytest.fixture
def history():
    """A dozen candidates over two cohorts at every point of the chain, recomputed in full once."""
    candidates = []
    for index in range(12):
        candidate = applicant(
            "2025-01-06" if index < 6 else "2025-03-03",
            [10, 20, 20, 20, 20, 60, 90][: 1 + index % 7],
            gender=Gender.VROUW if index % 3 else Gender.MAN,
        )
        if index % 4 == 1:
            candidate = leave(candidate, TransitionKind.TERUGTREKKING, "trk-persoonlijk", "2025-11-03")
        candidates.append(candidate)
    services.report_recompute(as_of=AS_OF)
    # Everything saved from here on is what the incremental run must pick up (the run itself looks back a
    # minute further, for the clocks).
    RecomputeState.objects.update(changes_since=timezone.now())
    return candidates


def run_with_a_failing_stage(monkeypatch) -> None:
    """A run that fails in one of its stages, after a candidate registered since the last one."""
    applicant("2026-05-04", [7, 14])

    def broken(*args, **kwargs):
        raise RuntimeError("worker lost")

    with monkeypatch.context() as patch:
        patch.setattr(aggregation, "training", broken)
        with pytest.raises(RuntimeError):
            services.report_recompute(as_of=AS_OF)


def recompute_incrementally(caplog) -> None:
    with caplog.at_level(logging.INFO, logger=services.__name__):
        services.report_recompute(as_of=AS_OF)
    assert "changed candidates" in caplog.text, "the run was not incremental"


def test_after_transitions_registrations_and_edits_the_incremental_run_equals_a_full_one(
    postgres_only, history, caplog
):
    before = snapshot_rows()
    forward, withdrawn, *_ = (c for c in history if c.status == Status.LOPEND)
    # Transitions: forward, out and back in (the reopening cancels an exit already counted), in old cohorts.
    step, verdict = ROUTE[[s for s, _v in ROUTE].index(forward.step) + 1]
    transition(forward, TransitionKind.DOORZETTEN, day("2025-12-01"), to_step=step, verdict=verdict)
    leave(withdrawn, TransitionKind.TERUGTREKKING, "trk-andere-baan", "2026-01-15")
    reopened = next(c for c in history if c.status == Status.TERUGGETROKKEN)
    transition(reopened, TransitionKind.HEROPENING, day("2026-02-01"), note="Meldt zich opnieuw")
    # New registrations, one in a month that had no candidate yet.
    applicant("2026-05-04", [7, 14])
    applicant("2026-05-18")
    # An edit that moves a candidate to another group: the old group loses it, maybe its only member.
    moved = history[-1]
    intake_services.candidate_update(
        candidate_id=moved.pk,
        expected_version=moved.version,
        actor=None,
        gender=Gender.MAN if moved.gender == Gender.VROUW else Gender.VROUW,
        krijgsmachtdeel=branch("KM"),
    )
    # An erasure changes the candidate but none of the numbers.
    erased = next(c for c in history if c.status == Status.TERUGGETROKKEN and c.pk != reopened.pk)
    privacy.candidate_erase(candidate_id=erased.pk, actor=None)

    recompute_incrementally(caplog)
    incremental = snapshot_rows()
    services.report_recompute(as_of=AS_OF, full=True)

    assert incremental != before
    assert snapshot_rows() == incremental


def test_a_group_whose_last_candidate_left_it_disappears(postgres_only, history, caplog):
    alone = applicant("2024-07-01", [10])
    services.report_recompute(as_of=AS_OF, full=True)
    RecomputeState.objects.update(changes_since=timezone.now())
    july = {"period_type": "month", "period_start": day("2024-07-01"), "track": "", "gender": ""}
    assert LeadTimeSnapshot.objects.filter(**july, branch="KL").exists()

    intake_services.candidate_update(
        candidate_id=alone.pk, expected_version=alone.version, actor=None, krijgsmachtdeel=branch("KM")
    )
    recompute_incrementally(caplog)

    assert not LeadTimeSnapshot.objects.filter(**july, branch="KL").exists()
    assert LeadTimeSnapshot.objects.filter(**july, branch="KM").exists()
    incremental = snapshot_rows()
    services.report_recompute(as_of=AS_OF, full=True)
    assert snapshot_rows() == incremental


def test_a_later_peildatum_without_changes_equals_a_full_run_on_that_day(postgres_only, history, caplog):
    # A day passes without a saved candidate: the open candidates wait longer (past the 8-week term) and the
    # appointed have served more months, all from the kept counts.
    later = AS_OF + datetime.timedelta(days=200)
    with caplog.at_level(logging.INFO, logger=services.__name__):
        services.report_recompute(as_of=later)
    assert "changed candidates" in caplog.text, "the run was not incremental"
    incremental = snapshot_rows()
    services.report_recompute(as_of=later, full=True)
    assert snapshot_rows() == incremental


def test_step_verdict_and_outflow_changes_of_open_and_appointed_candidates_equal_a_full_run(
    postgres_only, history, caplog
):
    moving = next(c for c in history if c.status == Status.LOPEND and c.step == Step.ORIENTATIEGESPREK)
    examined = next(c for c in history if c.status == Status.LOPEND and c.step in pipeline.EXAMINATION_STEPS)
    appointed = next(c for c in history if c.phase == Phase.AANGESTELD)
    # Open candidates wait from another day in another step, or now for themselves (a temporary verdict).
    transition(moving, TransitionKind.DOORZETTEN, day("2026-05-20"), to_step=Step.PSYCHOLOGISCH_ONDERZOEK)
    transition(examined, TransitionKind.UITSLAG, day("2026-05-25"), verdict=Verdict.TIJDELIJK_ONGESCHIKT)
    # Leaves the service: retention counts the months served.
    leave(appointed, TransitionKind.UITSTROOM, "uts-eigen-verzoek", "2026-04-10")
    before = snapshot_rows()
    recompute_incrementally(caplog)
    incremental = snapshot_rows()
    services.report_recompute(as_of=AS_OF, full=True)
    assert incremental != before
    assert snapshot_rows() == incremental


def test_nothing_changed_gives_the_same_snapshots(postgres_only, history, caplog):
    before = snapshot_rows()
    recompute_incrementally(caplog)
    assert snapshot_rows() == before


def test_changed_reference_data_makes_the_next_run_a_full_one(postgres_only, history, caplog):
    Reason.objects.filter(code="trk-persoonlijk").update(label="Persoonlijke omstandigheden (gewijzigd)")
    Reason.objects.filter(code="trk-persoonlijk").update(code="trk-prive")
    with caplog.at_level(logging.INFO, logger=services.__name__):
        services.report_recompute(as_of=AS_OF)
    assert "changed candidates" not in caplog.text
    assert any(row[-2] == "trk-prive" for row in snapshot_rows()["DropoutSnapshot"])


def test_after_a_failed_incremental_run_the_snapshots_stay_and_the_next_run_is_a_full_one(
    postgres_only, history, caplog, monkeypatch
):
    before = snapshot_rows()
    run_with_a_failing_stage(monkeypatch)
    assert snapshot_rows() == before
    # The kept tables are half brought up to date: no longer to be trusted.
    assert not RecomputeState.objects.exists()

    services.report_recompute(as_of=AS_OF)
    after = snapshot_rows()
    recompute_incrementally(caplog)
    assert snapshot_rows() == after != before


@pytest.fixture
def new_connections():
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


# Committed for real, so that the stages' own connections see the candidates.
@pytest.mark.django_db(transaction=True)
def test_the_stages_on_connections_of_their_own_give_the_snapshots_of_one_connection(
    postgres_only, history, caplog, new_connections
):
    forward, withdrawn, *_ = (c for c in history if c.status == Status.LOPEND)
    step, verdict = ROUTE[[s for s, _v in ROUTE].index(forward.step) + 1]
    transition(forward, TransitionKind.DOORZETTEN, day("2025-12-01"), to_step=step, verdict=verdict)
    leave(withdrawn, TransitionKind.TERUGTREKKING, "trk-andere-baan", "2026-01-15")
    applicant("2026-05-04", [7, 14])

    recompute_incrementally(caplog)
    assert len(new_connections) >= services.CONNECTIONS > 1
    incremental = snapshot_rows()
    services.report_recompute(as_of=AS_OF, full=True)
    assert snapshot_rows() == incremental

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "CONNECTIONS", 1)
        services.report_recompute(as_of=AS_OF, full=True)
    assert snapshot_rows() == incremental


@pytest.mark.django_db(transaction=True)
def test_a_stage_failing_on_its_own_connection_fails_the_run_and_keeps_the_snapshots(
    postgres_only, history, monkeypatch
):
    before = snapshot_rows()
    run_with_a_failing_stage(monkeypatch)
    assert ReportRun.objects.latest("pk").status == RunStatus.FAILED
    assert snapshot_rows() == before
    assert not RecomputeState.objects.exists()
