import contextlib
import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import pipeline, services
from intake.choices import Phase, Status, Step, TransitionKind, Verdict
from intake.models import Candidate, StatusEvent
from intake.pipeline import StaleVersionError, TransitionError

from .factories import ROUTE, CandidateFactory, reason

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def move(candidate, kind, *, days_ago=0, **kwargs):
    """Applies one transition with the candidate's current version and returns the refreshed candidate."""
    candidate.refresh_from_db()
    services.candidate_transition(
        candidate_id=candidate.pk,
        expected_version=candidate.version,
        kind=kind,
        actor=None,
        occurred_at=TODAY - datetime.timedelta(days=days_ago),
        **kwargs,
    )
    candidate.refresh_from_db()
    return candidate


def advance_to(candidate, step):
    """Walks the regular route until the candidate stands in `step`."""
    for target, verdict in ROUTE:
        if candidate.step == step:
            break
        candidate = move(candidate, TransitionKind.DOORZETTEN, to_step=target, verdict=verdict, days_ago=30)
    assert candidate.step == step
    return candidate


def phase_entered_on(history) -> datetime.date:
    """The date of the last event of `history` that moved the candidate into another phase (or registered it)."""
    return [event.occurred_at for event in history if event.from_phase != event.to_phase][-1]


def assert_projection_holds(candidate):
    candidate.refresh_from_db()
    history = list(candidate.events.order_by("sequence"))
    state = pipeline.project(history)
    assert (state.phase, state.step, state.status) == (candidate.phase, candidate.step, candidate.status)
    assert candidate.phase_since == phase_entered_on(history)


def test_registration_starts_in_werving_with_one_event():
    candidate = CandidateFactory()
    assert (candidate.phase, candidate.step, candidate.status) == (Phase.WERVING, Step.AANMELDING, Status.LOPEND)
    event = candidate.events.get()
    assert event.kind == TransitionKind.AANMELDING and event.occurred_at == candidate.applied_on


def test_full_route_to_aanstelling_writes_one_event_per_transition():
    candidate = CandidateFactory()
    for count, (target, verdict) in enumerate(ROUTE, start=2):
        previous_step = candidate.step
        candidate = move(candidate, TransitionKind.DOORZETTEN, to_step=target, verdict=verdict, days_ago=10)
        assert candidate.step == target
        assert candidate.events.count() == count
        last = candidate.events.order_by("-sequence").first()
        assert (last.from_step, last.to_step, last.verdict) == (previous_step, target, verdict)
    assert (candidate.phase, candidate.status) == (Phase.AANGESTELD, Status.IN_DIENST)
    assert candidate.version == len(ROUTE) + 1
    assert_projection_holds(candidate)


def test_phase_since_moves_with_the_phase_not_with_the_step():
    candidate = CandidateFactory()
    assert candidate.phase_since == candidate.applied_on
    candidate = move(candidate, TransitionKind.DOORZETTEN, to_step=Step.ORIENTATIEGESPREK, days_ago=20)
    assert candidate.phase_since == candidate.applied_on  # still werving
    candidate = move(candidate, TransitionKind.DOORZETTEN, to_step=Step.PSYCHOLOGISCH_ONDERZOEK, days_ago=10)
    assert (candidate.phase, candidate.phase_since) == (Phase.SELECTIE, TODAY - datetime.timedelta(days=10))
    candidate = move(candidate, TransitionKind.TERUGTREKKING, reason=reason("trk-persoonlijk"), days_ago=5)
    assert candidate.phase_since == TODAY - datetime.timedelta(days=10)
    assert_projection_holds(candidate)


def test_spo_is_an_alternative_first_selectie_step():
    candidate = advance_to(CandidateFactory(), Step.ORIENTATIEGESPREK)
    candidate = move(candidate, TransitionKind.DOORZETTEN, to_step=Step.SPO)
    candidate = move(candidate, TransitionKind.DOORZETTEN, verdict=Verdict.GESCHIKT)
    assert candidate.step == Step.SPORTTEST


@pytest.mark.parametrize(
    ("step", "kind", "reason_code", "status"),
    [
        (Step.AANMELDING, TransitionKind.AFWIJZING, "afw-niet-aan-eisen", Status.AFGEWEZEN),
        (Step.SPORTTEST, TransitionKind.AFWIJZING, "afw-sporttest", Status.AFGEWEZEN),
        (Step.MEDISCHE_KEURING, TransitionKind.AFWIJZING, "afw-medisch", Status.AFGEWEZEN),
        (Step.ORIENTATIEGESPREK, TransitionKind.TERUGTREKKING, "trk-andere-baan", Status.TERUGGETROKKEN),
        (Step.VEILIGHEIDSONDERZOEK, TransitionKind.TERUGTREKKING, "trk-doorlooptijd", Status.TERUGGETROKKEN),
        (Step.INITIELE_OPLEIDING, TransitionKind.UITVAL, "uit-blessure", Status.UITGEVALLEN),
        (Step.AANSTELLING, TransitionKind.UITSTROOM, "uts-eigen-verzoek", Status.UITGESTROOMD),
    ],
)
def test_ways_out_keep_the_phase_and_record_the_reason(step, kind, reason_code, status):
    candidate = advance_to(CandidateFactory(), step)
    events_before = candidate.events.count()
    candidate = move(candidate, kind, reason=reason(reason_code))
    assert (candidate.step, candidate.status) == (step, status)
    assert candidate.events.count() == events_before + 1
    assert candidate.events.order_by("-sequence").first().reason.code == reason_code
    assert_projection_holds(candidate)


def test_rejection_at_an_examination_may_carry_the_verdict():
    candidate = advance_to(CandidateFactory(), Step.MEDISCHE_KEURING)
    candidate = move(candidate, TransitionKind.AFWIJZING, reason=reason("afw-medisch"), verdict=Verdict.ONGESCHIKT)
    assert candidate.events.order_by("-sequence").first().verdict == Verdict.ONGESCHIKT


def test_temporary_unfit_verdict_is_recorded_without_moving():
    candidate = advance_to(CandidateFactory(), Step.MEDISCHE_KEURING)
    candidate = move(candidate, TransitionKind.UITSLAG, verdict=Verdict.TIJDELIJK_ONGESCHIKT)
    assert (candidate.step, candidate.status) == (Step.MEDISCHE_KEURING, Status.LOPEND)
    assert candidate.events.order_by("-sequence").first().verdict == Verdict.TIJDELIJK_ONGESCHIKT


def test_reopen_returns_a_closed_candidate_to_its_step_with_an_audited_note():
    candidate = advance_to(CandidateFactory(), Step.SPORTTEST)
    candidate = move(candidate, TransitionKind.TERUGTREKKING, reason=reason("trk-persoonlijk"))
    candidate = move(candidate, TransitionKind.HEROPENING, note="Kandidaat meldt zich opnieuw")
    assert (candidate.step, candidate.status) == (Step.SPORTTEST, Status.LOPEND)
    assert candidate.events.order_by("-sequence").first().note == "Kandidaat meldt zich opnieuw"


def test_reopen_after_outflow_returns_to_in_dienst():
    candidate = advance_to(CandidateFactory(), Step.AANSTELLING)
    candidate = move(candidate, TransitionKind.UITSTROOM, reason=reason("uts-einde-contract"))
    candidate = move(candidate, TransitionKind.HEROPENING, note="Herintreding")
    assert candidate.status == Status.IN_DIENST


FORBIDDEN = [
    # (start step, kwargs for the transition, error code, words of the message)
    (
        Step.AANMELDING,
        {"kind": TransitionKind.DOORZETTEN, "to_step": Step.PSYCHOLOGISCH_ONDERZOEK},
        "skip_not_allowed",
        "overslaan",
    ),
    (Step.ORIENTATIEGESPREK, {"kind": TransitionKind.DOORZETTEN}, "step_required", "Kies de volgende stap"),
    (Step.SPORTTEST, {"kind": TransitionKind.DOORZETTEN}, "verdict_required", "geschikt"),
    (
        Step.SPORTTEST,
        {"kind": TransitionKind.DOORZETTEN, "verdict": Verdict.ONGESCHIKT},
        "verdict_required",
        "geschikt",
    ),
    (
        Step.ORIENTATIEGESPREK,
        {"kind": TransitionKind.DOORZETTEN, "to_step": Step.SPO, "verdict": Verdict.GESCHIKT},
        "verdict_not_expected",
        "onderzoek of keuring",
    ),
    (
        Step.MEDISCHE_KEURING,
        {"kind": TransitionKind.UITSLAG, "verdict": Verdict.GESCHIKT, "note": "knieklachten"},
        "note_with_verdict",
        "geen toelichting",
    ),
    (Step.MEDISCHE_KEURING, {"kind": TransitionKind.UITSLAG}, "verdict_required", "uitslag"),
    (Step.SPORTTEST, {"kind": TransitionKind.AFWIJZING}, "reason_required", "reden"),
    (Step.SPORTTEST, {"kind": TransitionKind.AFWIJZING, "reason": "afw-medisch"}, "reason_mismatch", "reden"),
    (Step.SPORTTEST, {"kind": TransitionKind.AFWIJZING, "reason": "trk-andere-baan"}, "reason_mismatch", "reden"),
    (Step.SPORTTEST, {"kind": TransitionKind.UITVAL, "reason": "uit-blessure"}, "not_allowed", "opleiding"),
    (Step.SPORTTEST, {"kind": TransitionKind.UITSTROOM, "reason": "uts-eigen-verzoek"}, "not_allowed", "aanstelling"),
    (Step.SPORTTEST, {"kind": TransitionKind.HEROPENING, "note": "x"}, "not_allowed", "afgesloten"),
    (Step.AANSTELLING, {"kind": TransitionKind.TERUGTREKKING, "reason": "trk-andere-baan"}, "not_allowed", "uitstroom"),
    (Step.ORIENTATIEGESPREK, {"kind": TransitionKind.AANMELDING}, "already_registered", "al aangemeld"),
    (Step.ORIENTATIEGESPREK, {"kind": "bestaat-niet"}, "invalid_kind", "Onbekende"),
    (
        Step.ORIENTATIEGESPREK,
        {"kind": TransitionKind.DOORZETTEN, "to_step": Step.SPO, "days_ago": -1},
        "date_in_future",
        "toekomst",
    ),
    (
        Step.ORIENTATIEGESPREK,
        {"kind": TransitionKind.DOORZETTEN, "to_step": Step.SPO, "days_ago": 31},
        "date_before_previous",
        "vóór de vorige",
    ),
]


@pytest.mark.parametrize(("step", "attempt", "code", "words"), FORBIDDEN)
def test_forbidden_transition_is_refused_with_its_message_and_writes_nothing(step, attempt, code, words):
    candidate = advance_to(CandidateFactory(), step)
    attempt = dict(attempt)
    if "reason" in attempt:
        attempt["reason"] = reason(attempt["reason"])
    days_ago = attempt.pop("days_ago", 0)
    snapshot = Candidate.objects.filter(pk=candidate.pk).values().get()
    events_before = StatusEvent.objects.count()

    with pytest.raises(TransitionError) as refused:
        services.candidate_transition(
            candidate_id=candidate.pk,
            expected_version=candidate.version,
            actor=None,
            occurred_at=TODAY - datetime.timedelta(days=days_ago),
            **attempt,
        )
    assert refused.value.code == code
    assert words in refused.value.message
    assert StatusEvent.objects.count() == events_before
    assert Candidate.objects.filter(pk=candidate.pk).values().get() == snapshot


@pytest.mark.parametrize("terminal", [TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING])
def test_terminal_state_only_allows_reopen(terminal):
    candidate = advance_to(CandidateFactory(), Step.SPORTTEST)
    code = "afw-sporttest" if terminal == TransitionKind.AFWIJZING else "trk-persoonlijk"
    candidate = move(candidate, terminal, reason=reason(code))
    for kind, extra in [
        (TransitionKind.DOORZETTEN, {"verdict": Verdict.GESCHIKT}),
        (TransitionKind.TERUGTREKKING, {"reason": reason("trk-andere-baan")}),
    ]:
        with pytest.raises(TransitionError, match="alleen heropenen"):
            move(candidate, kind, **extra)
    with pytest.raises(TransitionError, match="toelichting"):
        move(candidate, TransitionKind.HEROPENING)
    assert candidate.events.count() == 5


def test_stale_version_is_a_conflict_carrying_the_current_version():
    candidate = CandidateFactory()
    move(candidate, TransitionKind.DOORZETTEN)
    with pytest.raises(StaleVersionError) as conflict:
        services.candidate_transition(
            candidate_id=candidate.pk,
            expected_version=1,
            kind=TransitionKind.TERUGTREKKING,
            actor=None,
            occurred_at=TODAY,
            reason=reason("trk-andere-baan"),
        )
    assert conflict.value.current_version == 2
    assert "intussen door iemand anders gewijzigd" in conflict.value.message
    assert candidate.events.count() == 2


def test_registration_in_the_future_is_refused():
    with pytest.raises(TransitionError, match="toekomst"):
        CandidateFactory(applied_on=TODAY + datetime.timedelta(days=1))
    assert not Candidate.objects.exists()


def test_update_changes_details_and_bumps_the_version_but_never_the_phase():
    candidate = CandidateFactory()
    updated = services.candidate_update(candidate_id=candidate.pk, expected_version=1, actor=None, phone="0687654321")
    assert (updated.phone, updated.version) == ("0687654321", 2)
    with pytest.raises(TransitionError):
        services.candidate_update(candidate_id=candidate.pk, expected_version=2, actor=None, phase=Phase.KEURING)
    with pytest.raises(StaleVersionError):
        services.candidate_update(candidate_id=candidate.pk, expected_version=1, actor=None, phone="0611111111")


def test_events_are_append_only():
    event = CandidateFactory().events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        StatusEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        event.delete()


ATTEMPTS = st.lists(
    st.tuples(
        st.sampled_from(list(TransitionKind)),
        st.sampled_from([None, *Step]),
        st.sampled_from(["", *Verdict]),
        st.sampled_from(
            [None, "afw-sporttest", "afw-niet-aan-eisen", "trk-persoonlijk", "uit-motivatie", "uts-leeftijd"]
        ),
        st.sampled_from(["", "toelichting"]),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=ATTEMPTS)
def test_candidate_always_equals_the_projection_of_its_events(attempts):
    candidate = CandidateFactory()
    for kind, to_step, verdict, reason_code, note in attempts:
        with contextlib.suppress(TransitionError):
            move(
                candidate,
                kind,
                to_step=to_step,
                verdict=verdict,
                note=note,
                reason=reason(reason_code) if reason_code else None,
            )
        assert_projection_holds(candidate)
        assert candidate.version == candidate.events.count()
