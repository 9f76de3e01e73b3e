"""Bulk actions from the list: each candidate through the services, with a summary of what happened."""

import datetime

import pytest

from intake.choices import Status, Step, TransitionKind
from intake.forms import BulkActionForm
from intake.models import Candidate

from .factories import CandidateFactory, UserFactory, reason, track
from .test_transitions import advance_to, move

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


@pytest.fixture
def logged_in(client, recruiter):
    client.force_login(recruiter)
    return client


def bulk(client, candidates, action, **fields):
    data = {
        "bulk-action": action,
        "bulk-selected": [f"{c.pk}:{c.version}" for c in candidates],
        "bulk-occurred_at": TODAY,
        "next": "/kandidaten/?phase=werving",
        **{f"bulk-{name}": value for name, value in fields.items()},
    }
    response = client.post("/kandidaten/bulk/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/kandidaten/?phase=werving"
    return [str(m) for m in response.context["messages"]]


def test_moving_on_in_bulk_moves_who_can_and_says_why_the_others_cannot(logged_in):
    ready = CandidateFactory()
    choosing = move(CandidateFactory(), TransitionKind.DOORZETTEN)  # orientatiegesprek: psychological test or SPO
    examined = advance_to(CandidateFactory(), Step.SPORTTEST)
    messages = bulk(logged_in, [ready, choosing, examined], TransitionKind.DOORZETTEN)
    assert messages[0].startswith("Doorzetten naar volgende stap: 1 kandidaat bijgewerkt")
    assert any("meerdere vervolgstappen" in m for m in messages)
    assert any("alleen met de uitslag 'geschikt'" in m for m in messages)
    assert Candidate.objects.get(pk=ready.pk).step == Step.ORIENTATIEGESPREK
    assert Candidate.objects.get(pk=examined.pk).step == Step.SPORTTEST


def test_moving_on_in_bulk_may_record_the_geschikt_verdict_and_ignores_the_other_actions_fields(logged_in):
    examined = advance_to(CandidateFactory(), Step.SPORTTEST)
    bulk(logged_in, [examined], TransitionKind.DOORZETTEN, record_geschikt="on", reason=reason("afw-sporttest").pk)
    examined.refresh_from_db()
    assert examined.step == Step.MEDISCHE_KEURING
    event = examined.events.order_by("-sequence").first()
    assert (event.verdict, event.reason) == ("geschikt", None)


def test_rejecting_in_bulk_with_one_reason_refuses_candidates_in_another_phase(logged_in):
    werving = CandidateFactory()
    selectie = advance_to(CandidateFactory(), Step.SPORTTEST)
    messages = bulk(logged_in, [werving, selectie], TransitionKind.AFWIJZING, reason=reason("afw-niet-aan-eisen").pk)
    assert Candidate.objects.get(pk=werving.pk).status == Status.AFGEWEZEN
    assert Candidate.objects.get(pk=selectie.pk).status == Status.LOPEND
    assert any("Deze reden past niet bij afwijzen in de fase selectie" in m for m in messages)


def test_rejecting_in_bulk_needs_a_reason(logged_in):
    candidate = CandidateFactory()
    messages = bulk(logged_in, [candidate], TransitionKind.AFWIJZING)
    assert messages == ["Kies een reden uit de lijst."]
    assert Candidate.objects.get(pk=candidate.pk).status == Status.LOPEND


def test_bulk_refuses_a_candidate_changed_since_the_list_was_loaded(logged_in):
    candidate = CandidateFactory()
    stale = Candidate.objects.get(pk=candidate.pk)
    move(candidate, TransitionKind.DOORZETTEN)
    messages = bulk(logged_in, [stale], TransitionKind.TERUGTREKKING, reason=reason("trk-persoonlijk").pk)
    assert any("intussen door iemand anders gewijzigd" in m for m in messages)
    assert Candidate.objects.get(pk=candidate.pk).status == Status.LOPEND


def test_assigning_a_recruiter_in_bulk_only_within_their_tracks(logged_in, other_track_recruiter):
    colleague = UserFactory(username="collega")
    colleague.groups.add(*other_track_recruiter.groups.all())
    track("beroeps").recruiters.add(colleague)
    ours = CandidateFactory()
    bulk(logged_in, [ours], BulkActionForm.ASSIGN, recruiter=colleague.pk)
    assert Candidate.objects.get(pk=ours.pk).recruiter == colleague
    ours.refresh_from_db()
    messages = bulk(logged_in, [ours], BulkActionForm.ASSIGN, recruiter=other_track_recruiter.pk)
    assert any("werkt niet voor het instroomspoor" in m for m in messages)
    assert Candidate.objects.get(pk=ours.pk).recruiter == colleague


def test_bulk_without_a_selection_says_so(logged_in):
    assert bulk(logged_in, [], TransitionKind.DOORZETTEN) == ["Selecteer eerst één of meer kandidaten."]
