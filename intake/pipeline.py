"""The intake chain as a pure transition table.

Nothing here touches the database: given a candidate's state and a proposed transition it answers with the new
state or raises TransitionError. `intake.services` is the one caller that applies the answer. Track apps add
their rules (allowed skips, eligibility checks) through `allow_skip` and `add_check` when they start.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from .choices import TERMINAL_STATUSES, Phase, Status, Step, TransitionKind, Verdict

STEP_PHASE: dict[Step, Phase] = {
    Step.AANMELDING: Phase.WERVING,
    Step.ORIENTATIEGESPREK: Phase.WERVING,
    Step.PSYCHOLOGISCH_ONDERZOEK: Phase.SELECTIE,
    Step.SPO: Phase.SELECTIE,
    Step.SPORTTEST: Phase.SELECTIE,
    Step.MEDISCHE_KEURING: Phase.KEURING,
    Step.VEILIGHEIDSONDERZOEK: Phase.KEURING,
    Step.INITIELE_OPLEIDING: Phase.OPLEIDING,
    Step.AANSTELLING: Phase.AANGESTELD,
}

# The regular order of the chain. Selectie starts with either the regular psychological examination or the
# shorter SPO; every other step has one successor.
NEXT_STEPS: dict[Step, tuple[Step, ...]] = {
    Step.AANMELDING: (Step.ORIENTATIEGESPREK,),
    Step.ORIENTATIEGESPREK: (Step.PSYCHOLOGISCH_ONDERZOEK, Step.SPO),
    Step.PSYCHOLOGISCH_ONDERZOEK: (Step.SPORTTEST,),
    Step.SPO: (Step.SPORTTEST,),
    Step.SPORTTEST: (Step.MEDISCHE_KEURING,),
    Step.MEDISCHE_KEURING: (Step.VEILIGHEIDSONDERZOEK,),
    Step.VEILIGHEIDSONDERZOEK: (Step.INITIELE_OPLEIDING,),
    Step.INITIELE_OPLEIDING: (Step.AANSTELLING,),
    Step.AANSTELLING: (),
}

# Steps that end in a verdict; leaving one towards the next step needs the verdict "geschikt".
EXAMINATION_STEPS = frozenset(
    {
        Step.PSYCHOLOGISCH_ONDERZOEK,
        Step.SPO,
        Step.SPORTTEST,
        Step.MEDISCHE_KEURING,
        Step.VEILIGHEIDSONDERZOEK,
    }
)

EXIT_STATUS: dict[TransitionKind, Status] = {
    TransitionKind.AFWIJZING: Status.AFGEWEZEN,
    TransitionKind.TERUGTREKKING: Status.TERUGGETROKKEN,
    TransitionKind.UITVAL: Status.UITGEVALLEN,
    TransitionKind.UITSTROOM: Status.UITGESTROOMD,
}


class TransitionError(Exception):
    """A transition that the chain does not allow. `field` names the input that was wrong, if one was."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class StaleVersionError(TransitionError):
    """The candidate changed since the caller read it; carries the version that is current now."""

    def __init__(self, current_version: int):
        super().__init__(
            _("Deze kandidaat is intussen door iemand anders gewijzigd. Bekijk de actuele stand en probeer opnieuw."),
            code="stale_version",
            field="version",
        )
        self.current_version = current_version


@dataclass(frozen=True)
class State:
    phase: Phase
    step: Step
    status: Status

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class ReasonLike(Protocol):
    kind: str
    phase: str
    is_active: bool


@dataclass(frozen=True)
class Proposal:
    """What a caller asks for. `reason` is a catalogue entry (a `Reason` row) or None."""

    kind: TransitionKind
    occurred_at: datetime.date
    to_step: Step | None = None
    verdict: str = ""
    reason: ReasonLike | None = None
    note: str = ""


TrackCheck = Callable[[Any, Proposal, State], None]


@dataclass
class TrackRules:
    skips: dict[Step, tuple[Step, ...]] = field(default_factory=dict)
    checks: list[TrackCheck] = field(default_factory=list)


_track_rules: dict[str, TrackRules] = defaultdict(TrackRules)


def allow_skip(track_code: str, from_step: Step, to_step: Step) -> None:
    """Let candidates of one track jump from `from_step` straight to `to_step`."""
    rules = _track_rules[track_code]
    current = rules.skips.get(from_step, ())
    if to_step not in current:
        rules.skips[from_step] = (*current, to_step)


def add_check(track_code: str, check: TrackCheck) -> None:
    """Register a check run on every transition of the track's candidates; it raises TransitionError to refuse."""
    if check not in _track_rules[track_code].checks:
        _track_rules[track_code].checks.append(check)


def next_steps(step: Step, track_code: str = "") -> tuple[Step, ...]:
    return NEXT_STEPS[step] + _track_rules[track_code].skips.get(step, ()) if track_code else NEXT_STEPS[step]


def run_track_checks(track_code: str, candidate: Any, proposal: Proposal, new_state: State) -> None:
    for check in _track_rules[track_code].checks:
        check(candidate, proposal, new_state)


def initial_state() -> State:
    return State(Phase.WERVING, Step.AANMELDING, Status.LOPEND)


def check_date(
    occurred_at: datetime.date, *, previous: datetime.date | None, today: datetime.date, field: str = "occurred_at"
) -> None:
    """`field` names the input the date came from (a registration's is `applied_on`)."""
    if occurred_at > today:
        raise TransitionError(_("De ingangsdatum mag niet in de toekomst liggen."), code="date_in_future", field=field)
    if previous is not None and occurred_at < previous:
        raise TransitionError(
            _("De ingangsdatum mag niet vóór de vorige statuswijziging (%(date)s) liggen.")
            % {"date": previous.strftime("%d-%m-%Y")},
            code="date_before_previous",
            field=field,
        )


def available_kinds(state: State, track_code: str = "") -> list[TransitionKind]:
    """The transitions a user may be offered from `state` (each may still need a verdict or reason)."""
    if state.is_terminal:
        return [TransitionKind.HEROPENING]
    if state.status == Status.IN_DIENST:
        return [TransitionKind.UITSTROOM]
    kinds = []
    if next_steps(state.step, track_code):
        kinds.append(TransitionKind.DOORZETTEN)
    if state.step in EXAMINATION_STEPS:
        kinds.append(TransitionKind.UITSLAG)
    kinds += [TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING]
    if state.phase == Phase.OPLEIDING:
        kinds.append(TransitionKind.UITVAL)
    return kinds


def resolve(state: State | None, proposal: Proposal, track_code: str = "") -> State:
    """Return the state after `proposal`, or raise TransitionError saying why it is not allowed."""
    kind = proposal.kind
    if state is None:
        if kind != TransitionKind.AANMELDING:
            raise TransitionError(_("Een kandidaat begint altijd met een aanmelding."), code="not_registered")
        return initial_state()
    if kind == TransitionKind.AANMELDING:
        raise TransitionError(_("Deze kandidaat is al aangemeld."), code="already_registered")
    if kind not in available_kinds(state, track_code):
        raise TransitionError(_not_available_message(state, kind), code="not_allowed", field="kind")

    _check_verdict(state, proposal)
    if kind in EXIT_STATUS or kind == TransitionKind.HEROPENING:
        _check_reason(state, proposal)

    if kind == TransitionKind.DOORZETTEN:
        step = _target_step(state, proposal, track_code)
        return State(STEP_PHASE[step], step, Status.IN_DIENST if step == Step.AANSTELLING else Status.LOPEND)
    if kind == TransitionKind.UITSLAG:
        return state
    if kind == TransitionKind.HEROPENING:
        return State(state.phase, state.step, Status.IN_DIENST if state.phase == Phase.AANGESTELD else Status.LOPEND)
    return State(state.phase, state.step, EXIT_STATUS[kind])


def project(events: Iterable[Any]) -> State | None:
    """The state a candidate is in after its events, in order: the projection the candidate row must equal."""
    state = None
    for event in events:
        state = State(Phase(event.to_phase), Step(event.to_step), Status(event.to_status))
    return state


def _target_step(state: State, proposal: Proposal, track_code: str) -> Step:
    allowed = next_steps(state.step, track_code)
    if proposal.to_step is None:
        if len(allowed) == 1:
            return allowed[0]
        raise TransitionError(_("Kies de volgende stap."), code="step_required", field="to_step")
    if proposal.to_step not in allowed:
        raise TransitionError(
            _("Van %(from)s kan een kandidaat niet naar %(to)s: stappen overslaan mag niet in dit instroomspoor.")
            % {"from": Step(state.step).label, "to": Step(proposal.to_step).label},
            code="skip_not_allowed",
            field="to_step",
        )
    return proposal.to_step


def _check_verdict(state: State, proposal: Proposal) -> None:
    verdict = proposal.verdict
    if verdict and verdict not in Verdict.values:
        raise TransitionError(_("Onbekende uitslag."), code="invalid_verdict", field="verdict")
    if verdict and proposal.note.strip():
        raise TransitionError(
            _("Bij een uitslag van een onderzoek of keuring wordt geen toelichting vastgelegd, alleen het oordeel."),
            code="note_with_verdict",
            field="note",
        )
    on_examination = state.step in EXAMINATION_STEPS
    if verdict and not on_examination:
        raise TransitionError(
            _("Een uitslag hoort alleen bij een onderzoek of keuring."),
            code="verdict_not_expected",
            field="verdict",
        )
    if proposal.kind == TransitionKind.UITSLAG and verdict not in (
        Verdict.GESCHIKT,
        Verdict.TIJDELIJK_ONGESCHIKT,
    ):
        raise TransitionError(
            _("Leg als uitslag 'geschikt' of 'tijdelijk ongeschikt' vast; wijs bij 'ongeschikt' de kandidaat af."),
            code="verdict_required",
            field="verdict",
        )
    if proposal.kind == TransitionKind.DOORZETTEN and on_examination and verdict != Verdict.GESCHIKT:
        raise TransitionError(
            _("Doorzetten na %(step)s kan alleen met de uitslag 'geschikt'.") % {"step": Step(state.step).label},
            code="verdict_required",
            field="verdict",
        )


def _check_reason(state: State, proposal: Proposal) -> None:
    if proposal.kind == TransitionKind.HEROPENING:
        if not proposal.note.strip():
            raise TransitionError(
                _("Heropenen kan alleen met een toelichting waarom."), code="note_required", field="note"
            )
        return
    reason = proposal.reason
    if reason is None:
        raise TransitionError(_("Kies een reden uit de lijst."), code="reason_required", field="reason")
    if reason.kind != proposal.kind or (reason.phase and reason.phase != state.phase) or not reason.is_active:
        raise TransitionError(
            _("Deze reden past niet bij %(kind)s in de fase %(phase)s.")
            % {
                "kind": TransitionKind(proposal.kind).label.lower(),
                "phase": Phase(state.phase).label.lower(),
            },
            code="reason_mismatch",
            field="reason",
        )


def _not_available_message(state: State, kind: TransitionKind) -> str:
    if state.is_terminal:
        return _("Deze kandidaat is %(status)s; alleen heropenen is nog mogelijk.") % {
            "status": Status(state.status).label.lower()
        }
    if state.status == Status.IN_DIENST:
        return _("Deze kandidaat is aangesteld en in dienst; alleen uitstroom is nog mogelijk.")
    if kind == TransitionKind.UITVAL:
        return _("Uitval kan alleen tijdens de opleiding.")
    if kind == TransitionKind.UITSTROOM:
        return _("Uitstroom kan alleen na aanstelling.")
    if kind == TransitionKind.UITSLAG:
        return _("Een uitslag hoort alleen bij een onderzoek of keuring.")
    if kind == TransitionKind.HEROPENING:
        return _("Alleen een afgesloten kandidaat kan worden heropend.")
    return _("Deze overgang is niet mogelijk vanuit %(step)s.") % {"step": Step(state.step).label}
