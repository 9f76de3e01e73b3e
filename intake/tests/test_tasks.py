import pytest

from conftest import wait_until
from intake.choices import Phase, Status
from intake.models import PhaseTally

from .factories import CandidateFactory, track


@pytest.mark.worker
def test_registration_recounts_the_phase_tally_in_the_real_worker(transactional_db, celery_worker):
    CandidateFactory()
    CandidateFactory()

    tally = wait_until(
        lambda: PhaseTally.objects.filter(
            instroomspoor=track("beroeps"), phase=Phase.WERVING, status=Status.LOPEND, count=2
        ).first()
    )
    assert tally.computed_at is not None
