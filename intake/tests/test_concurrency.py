import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from intake import services
from intake.choices import TransitionKind
from intake.models import StatusEvent
from intake.pipeline import StaleVersionError

from .factories import CandidateFactory, reason


def race(candidate, attempts):
    """Runs each attempt in its own thread and database connection, released at the same moment."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(index, kwargs):
        try:
            barrier.wait()
            outcomes[index] = services.candidate_transition(
                candidate_id=candidate.pk,
                expected_version=candidate.version,
                actor=None,
                occurred_at=timezone.localdate(),
                **kwargs,
            )
        except Exception as error:  # the outcome, whatever it is, is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, kwargs)) for i, kwargs in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("rounds", range(3))
def test_two_recruiters_moving_one_candidate_at_once_exactly_one_wins(transactional_db, rounds):
    candidate = CandidateFactory()
    outcomes = race(
        candidate,
        [
            {"kind": TransitionKind.DOORZETTEN},
            {"kind": TransitionKind.TERUGTREKKING, "reason": reason("trk-andere-baan")},
        ],
    )

    winners = [o for o in outcomes if isinstance(o, StatusEvent)]
    losers = [o for o in outcomes if isinstance(o, StaleVersionError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].current_version == 2
    candidate.refresh_from_db()
    events = list(candidate.events.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2]
    assert (events[-1].to_step, events[-1].to_status) == (candidate.step, candidate.status)
    assert candidate.version == 2


def test_a_transition_does_not_wait_for_one_of_another_candidate_in_the_same_track(transactional_db):
    first = CandidateFactory()
    second = CandidateFactory(instroomspoor=first.instroomspoor)
    locked, release = threading.Event(), threading.Event()

    def hold_first():
        try:
            with transaction.atomic():
                services.candidate_transition(
                    candidate_id=first.pk,
                    expected_version=first.version,
                    kind=TransitionKind.DOORZETTEN,
                    actor=None,
                    occurred_at=timezone.localdate(),
                )
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            # Locking the track's row as well would make this wait for the open transaction above.
            cursor.execute("SET lock_timeout = '2s'")
        event = services.candidate_transition(
            candidate_id=second.pk,
            expected_version=second.version,
            kind=TransitionKind.DOORZETTEN,
            actor=None,
            occurred_at=timezone.localdate(),
        )
    finally:
        release.set()
        holder.join(timeout=30)
    assert event.sequence == 2
