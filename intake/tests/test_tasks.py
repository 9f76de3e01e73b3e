import pytest
from celery import current_app
from django.core.cache import cache

from conftest import wait_until
from intake import selectors
from intake.choices import Phase, Status
from intake.models import Candidate, PhaseTally, PhaseTallyChange

from .factories import CandidateFactory, track


@pytest.mark.worker
def test_registrations_are_folded_into_the_phase_tally_by_the_real_worker(transactional_db, celery_worker, manager):
    CandidateFactory()
    CandidateFactory()

    # The first registration's fold runs in the worker; the second may come after it and wait for the next one.
    tally = wait_until(
        lambda: (
            PhaseTally.objects.filter(instroomspoor=track("beroeps"), phase=Phase.WERVING, status=Status.LOPEND)
            .exclude(count=0)
            .first()
        )
    )
    assert tally.computed_at is not None
    counts = dict(selectors.phase_counts(manager, Candidate.objects.all(), {"instroomspoor": track("beroeps")}))
    assert counts[Phase.WERVING] == 2


def test_changes_to_a_track_within_seconds_send_one_fold(db, monkeypatch, django_capture_on_commit_callbacks, manager):
    # The fold runs at once, in this process, instead of after its delay in the worker.
    monkeypatch.setitem(current_app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        CandidateFactory()
    assert not PhaseTallyChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        CandidateFactory()
        CandidateFactory(instroomspoor=track("nwt"))
    # Beroeps's fold was sent less than the window ago: this row waits for the next one (the counts, tally plus
    # journal, include it meanwhile). NWT's is sent now.
    assert list(PhaseTallyChange.objects.values_list("instroomspoor__code", "delta")) == [("beroeps", 1)]
    assert PhaseTally.objects.get(instroomspoor=track("nwt")).count == 1
    counts = dict(selectors.phase_counts(manager, Candidate.objects.all(), {"instroomspoor": track("beroeps")}))
    assert counts[Phase.WERVING] == 2

    cache.delete_pattern("*")  # the delay has passed (only this test's keys: they carry its own prefix)
    with django_capture_on_commit_callbacks(execute=True):
        CandidateFactory()
    assert not PhaseTallyChange.objects.exists()
    assert PhaseTally.objects.get(instroomspoor=track("beroeps")).count == 3
