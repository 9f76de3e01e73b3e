import threading

import pytest
from django.db import connection

from intake import services
from intake.choices import TransitionKind
from intake.models import Candidate, LichtingPlacement
from intake.pipeline import StaleVersionError, TransitionError

from .factories import CandidateFactory, LichtingFactory, reason, track

pytestmark = pytest.mark.django_db


def dienjaar_candidate(**kwargs):
    return CandidateFactory(instroomspoor=track("dienjaar"), **kwargs)


def place(candidate, lichting, *, actor=None, override_reason=""):
    candidate.refresh_from_db()
    return services.candidate_place_in_lichting(
        candidate_id=candidate.pk,
        expected_version=candidate.version,
        lichting_id=lichting.pk if lichting else None,
        actor=actor,
        override_reason=override_reason,
    )


def fill(lichting, count):
    for _ in range(count):
        place(dienjaar_candidate(), lichting)


def test_the_last_free_place_can_be_taken_and_the_placement_is_recorded(recruiter):
    lichting = LichtingFactory(capacity=3)
    fill(lichting, 2)
    candidate = place(dienjaar_candidate(), lichting, actor=recruiter)
    assert candidate.lichting == lichting
    assert candidate.version == 2
    placement = candidate.lichting_placements.get()
    assert (placement.lichting, placement.actor, placement.override_reason) == (lichting, recruiter, "")


def test_a_full_lichting_refuses_a_recruiter_and_says_only_a_manager_can_overbook(recruiter):
    lichting = LichtingFactory(name="Dienjaar september", capacity=3)
    fill(lichting, 3)
    candidate = dienjaar_candidate()
    with pytest.raises(TransitionError) as refused:
        place(candidate, lichting, actor=recruiter, override_reason="Ik wil het toch")
    assert refused.value.code == "lichting_full"
    assert refused.value.message == (
        "Lichting Dienjaar september is vol: 3 van 3 plaatsen zijn bezet. "
        "Alleen een manager kan boven de capaciteit plaatsen."
    )
    candidate.refresh_from_db()
    assert (candidate.lichting, candidate.version) == (None, 1)
    assert not candidate.lichting_placements.exists()


def test_a_manager_overbooks_a_full_lichting_only_with_a_reason_that_is_recorded(manager):
    lichting = LichtingFactory(name="Dienjaar maart", capacity=1)
    fill(lichting, 1)
    candidate = dienjaar_candidate()
    with pytest.raises(TransitionError) as refused:
        place(candidate, lichting, actor=manager)
    assert refused.value.field == "override_reason"
    assert "Geef een reden om toch boven de capaciteit te plaatsen" in refused.value.message

    place(candidate, lichting, actor=manager, override_reason="Extra instructeur beschikbaar")
    placement = LichtingPlacement.objects.get(candidate=candidate)
    assert (placement.actor, placement.override_reason, placement.is_override) == (
        manager,
        "Extra instructeur beschikbaar",
        True,
    )
    assert Candidate.objects.filter(lichting=lichting).count() == 2


def test_a_withdrawn_candidate_frees_the_place():
    lichting = LichtingFactory(capacity=1)
    leaver = dienjaar_candidate()
    place(leaver, lichting)
    leaver.refresh_from_db()
    services.candidate_transition(
        candidate_id=leaver.pk,
        expected_version=leaver.version,
        kind=TransitionKind.TERUGTREKKING,
        actor=None,
        occurred_at=leaver.applied_on,
        reason=reason("trk-andere-baan"),
    )
    assert place(dienjaar_candidate(), lichting).lichting == lichting


def test_a_lichting_of_another_track_is_refused():
    nwt_lichting = LichtingFactory(instroomspoor=track("nwt"))
    with pytest.raises(TransitionError, match="Kies een lichting van het instroomspoor Dienjaar Defensie"):
        place(dienjaar_candidate(), nwt_lichting)


def test_a_closed_candidate_cannot_be_placed():
    candidate = dienjaar_candidate()
    services.candidate_transition(
        candidate_id=candidate.pk,
        expected_version=1,
        kind=TransitionKind.AFWIJZING,
        actor=None,
        occurred_at=candidate.applied_on,
        reason=reason("afw-niet-aan-eisen"),
    )
    with pytest.raises(TransitionError, match="is afgewezen en kan niet meer in een lichting"):
        place(candidate, LichtingFactory())


def test_taking_a_candidate_out_frees_the_place_and_is_recorded():
    lichting = LichtingFactory(capacity=1)
    candidate = dienjaar_candidate()
    place(candidate, lichting)
    place(candidate, None)
    assert list(candidate.lichting_placements.values_list("lichting", flat=True)) == [None, lichting.pk]
    assert place(dienjaar_candidate(), lichting).lichting == lichting


def test_a_stale_version_is_refused():
    candidate = dienjaar_candidate()
    place(candidate, LichtingFactory())
    with pytest.raises(StaleVersionError):
        services.candidate_place_in_lichting(
            candidate_id=candidate.pk, expected_version=1, lichting_id=LichtingFactory().pk, actor=None
        )


def test_an_edit_or_registration_that_sets_the_lichting_is_checked_and_recorded_too(manager):
    lichting = LichtingFactory(name="Dienjaar juni", capacity=1)
    first = CandidateFactory(instroomspoor=track("dienjaar"), lichting=lichting)
    assert first.lichting_placements.get().lichting == lichting
    second = dienjaar_candidate()
    with pytest.raises(TransitionError) as refused:
        services.candidate_update(candidate_id=second.pk, expected_version=1, actor=manager, lichting=lichting)
    assert refused.value.message == (
        "Lichting Dienjaar juni is vol: 1 van 1 plaatsen zijn bezet. Boven de capaciteit plaatst alleen een "
        "manager, met een reden, op de pagina In lichting plaatsen."
    )
    with pytest.raises(TransitionError, match="is vol"):
        CandidateFactory(instroomspoor=track("dienjaar"), lichting=lichting)
    assert Candidate.objects.filter(lichting=lichting).count() == 1


def test_two_recruiters_racing_for_the_last_place_get_one_placement(transactional_db):
    # Each thread has its own database connection, so the placements really run concurrently.
    lichting = LichtingFactory(capacity=1)
    racers = [dienjaar_candidate(), dienjaar_candidate()]
    barrier = threading.Barrier(len(racers))
    outcomes = []

    def race(candidate):
        try:
            barrier.wait()
            place(candidate, lichting)
            outcomes.append("placed")
        except TransitionError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(c,)) for c in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lichting_full", "placed"]
    assert Candidate.objects.filter(lichting=lichting).count() == 1
