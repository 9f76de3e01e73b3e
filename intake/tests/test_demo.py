import datetime
from itertools import groupby

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from intake import demo, pipeline
from intake.choices import Gender, Status
from intake.models import Candidate, StatusEvent

from .test_transitions import phase_entered_on

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 1)


def seeded_rows(seed):
    """Seeds inside a transaction that is rolled back, and returns every candidate and event row it wrote."""
    with transaction.atomic():
        call_command("seed_demo", candidates=400, seed=seed, today=TODAY, stdout=None)
        # Users and lichtingen get new ids from the database sequences each run, so compare them by name.
        rows = (
            list(
                Candidate.objects.order_by("id").values_list(
                    "first_name",
                    "last_name",
                    "birth_date",
                    "email",
                    "phone",
                    "postcode",
                    "gender",
                    "instroomspoor__code",
                    "krijgsmachtdeel__code",
                    "application_type",
                    "source",
                    "recruiter__username",
                    "lichting__start_date",
                    "applied_on",
                    "phase",
                    "step",
                    "status",
                    "step_since",
                    "version",
                )
            ),
            list(
                StatusEvent.objects.order_by("candidate_id", "sequence").values_list(
                    "sequence",
                    "kind",
                    "to_phase",
                    "to_step",
                    "to_status",
                    "verdict",
                    "reason__code",
                    "actor__username",
                    "occurred_at",
                    "recorded_at",
                )
            ),
        )
        transaction.set_rollback(True)
    return rows


def test_seed_demo_is_deterministic_for_a_seed():
    first = seeded_rows(7)
    assert first == seeded_rows(7)
    assert first != seeded_rows(8)


def test_a_seed_of_several_batches_writes_what_one_batch_does(monkeypatch):
    # From the second batch on, a second process simulates the next batch while the one before is written.
    in_one_batch = seeded_rows(7)
    monkeypatch.setattr(demo, "_CHUNK", 150)
    assert seeded_rows(7) == in_one_batch


def test_a_failing_simulation_in_the_second_process_fails_the_seed_and_writes_nothing(monkeypatch):
    simulate = demo._simulate

    def failing(ctx, candidate_id):
        if candidate_id % 400 == 399:
            raise ValueError("simulated failure")
        return simulate(ctx, candidate_id)

    monkeypatch.setattr(demo, "_CHUNK", 150)
    monkeypatch.setattr(demo, "_simulate", failing)
    with pytest.raises(RuntimeError, match="ValueError: simulated failure"):
        call_command("seed_demo", candidates=400, seed=7, today=TODAY, stdout=None)
    assert not Candidate.objects.exists()


def test_seeded_history_is_consistent_with_the_transition_rules():
    call_command("seed_demo", candidates=600, seed=3, today=TODAY)
    candidates = {c.pk: c for c in Candidate.objects.all()}
    events = StatusEvent.objects.order_by("candidate_id", "sequence")
    for candidate_id, history in groupby(events, key=lambda e: e.candidate_id):
        history = list(history)
        candidate = candidates[candidate_id]
        state = pipeline.project(history)
        assert (state.phase, state.step, state.status) == (candidate.phase, candidate.step, candidate.status)
        assert candidate.phase_since == phase_entered_on(history)
        dates = [e.occurred_at for e in history]
        assert dates == sorted(dates) and dates[-1] <= TODAY
        # Replaying every event through the transition table accepts each one.
        replayed = None
        for event in history:
            proposal = pipeline.Proposal(
                kind=event.kind,
                occurred_at=event.occurred_at,
                to_step=event.to_step,
                verdict=event.verdict,
                reason=event.reason,
            )
            replayed = pipeline.resolve(replayed, proposal, candidate.instroomspoor.code)
        assert replayed == state


def test_seeded_history_resembles_the_published_figures():
    call_command("seed_demo", candidates=3000, seed=11, today=TODAY)
    total = Candidate.objects.count()
    women = Candidate.objects.filter(gender=Gender.VROUW)
    assert 0.15 < women.count() / total < 0.25
    before = (
        women.filter(applied_on__lt="2025-07-01").count()
        / Candidate.objects.filter(applied_on__lt="2025-07-01").count()
    )
    after = (
        women.filter(applied_on__gte="2025-07-01").count()
        / Candidate.objects.filter(applied_on__gte="2025-07-01").count()
    )
    assert after > before  # the mid-2025 campaign aimed at women
    by_track = {
        code: Candidate.objects.filter(instroomspoor__code=code).count()
        for code in ("beroeps", "reservist", "dienjaar", "nwt", "defensity")
    }
    assert by_track["beroeps"] > by_track["reservist"] > by_track["dienjaar"] > by_track["defensity"]
    assert not Candidate.objects.filter(instroomspoor__code="nwt", applied_on__lt="2025-01-01").exists()
    appointed = Candidate.objects.filter(status__in=[Status.IN_DIENST, Status.UITGESTROOMD]).count()
    assert 0.12 < appointed / total < 0.30
    assert StatusEvent.objects.count() >= 5 * total


def schema_of(tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
            "UNION ALL SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[])",
            [tables, tables],
        )
        return sorted(cursor.fetchall())


def test_a_large_seed_rebuilds_every_index_and_foreign_key_it_set_aside(monkeypatch):
    tables = [Candidate._meta.db_table, StatusEvent._meta.db_table]
    before = schema_of(tables)
    monkeypatch.setattr(demo, "BULK_LOAD_FROM", 100)
    with_bulk_load = seeded_rows(7)
    assert schema_of(tables) == before
    monkeypatch.setattr(demo, "BULK_LOAD_FROM", 10_000)
    assert seeded_rows(7) == with_bulk_load
