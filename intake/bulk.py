"""Bulk actions on a selection of candidates from the list.

Each candidate goes through the ordinary services on its own, in its own transaction: one refusal (a stale
version, a transition the chain does not allow) leaves that candidate untouched and does not stop the others.
The caller gets one outcome per selected candidate to tell the user what happened and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import services
from .choices import TransitionKind, Verdict
from .models import Candidate, Reason
from .pipeline import EXAMINATION_STEPS, TransitionError
from .selectors import candidates_changeable_by

# The transitions offered in bulk: moving on, and the two ways out that carry one reason for everybody.
BULK_KINDS = (TransitionKind.DOORZETTEN, TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING)


@dataclass(frozen=True)
class Outcome:
    """What happened to one selected candidate: `error` is empty when the action succeeded."""

    candidate_id: int
    label: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


Selection = Sequence[tuple[int, int]]  # (candidate id, the version the user saw)


def candidates_bulk_transition(
    *,
    actor: AbstractBaseUser,
    selection: Selection,
    kind: TransitionKind,
    occurred_at: datetime.date,
    reason: Reason | None = None,
    record_geschikt: bool = False,
) -> list[Outcome]:
    """Apply one transition to every selected candidate. With `record_geschikt`, a candidate leaving an
    examination step gets the verdict 'geschikt' recorded with the move (the chain requires it there)."""
    if kind not in BULK_KINDS:
        raise ValueError(f"{kind} is not a bulk transition")

    def apply(candidate: Candidate, version: int) -> None:
        on_examination = candidate.step in EXAMINATION_STEPS
        try:
            services.candidate_transition(
                candidate_id=candidate.pk,
                expected_version=version,
                kind=kind,
                actor=actor,
                occurred_at=occurred_at,
                reason=reason,
                verdict=Verdict.GESCHIKT if record_geschikt and on_examination else "",
            )
        except TransitionError as error:
            if error.code == "step_required":
                raise TransitionError(
                    _("Er zijn meerdere vervolgstappen mogelijk; zet deze kandidaat door op de kandidaatpagina."),
                    code=error.code,
                ) from None
            raise

    return _each(actor=actor, selection=selection, apply=apply)


def candidates_bulk_assign_recruiter(
    *, actor: AbstractBaseUser, selection: Selection, recruiter: AbstractBaseUser
) -> list[Outcome]:
    """Make `recruiter` the recruiter of every selected candidate of a track they work for."""
    recruiter_tracks = set(recruiter.instroomsporen.values_list("pk", flat=True))

    def apply(candidate: Candidate, version: int) -> None:
        if candidate.instroomspoor_id not in recruiter_tracks:
            raise TransitionError(
                _("%(name)s werkt niet voor het instroomspoor %(track)s.")
                % {"name": recruiter.get_full_name() or recruiter.get_username(), "track": candidate.instroomspoor},
                code="recruiter_not_in_track",
            )
        if candidate.recruiter_id == recruiter.pk and candidate.version == version:
            return
        services.candidate_update(candidate_id=candidate.pk, expected_version=version, actor=actor, recruiter=recruiter)

    return _each(actor=actor, selection=selection, apply=apply)


def _each(*, actor: AbstractBaseUser, selection: Selection, apply: Callable[[Candidate, int], None]) -> list[Outcome]:
    candidates = candidates_changeable_by(actor).select_related("instroomspoor").in_bulk([pk for pk, _ in selection])
    outcomes = []
    for pk, version in selection:
        candidate = candidates.get(pk)
        if candidate is None:
            outcomes.append(
                Outcome(pk, Candidate(pk=pk).number, _("Niet gevonden, of u mag deze kandidaat niet wijzigen."))
            )
            continue
        label = f"{candidate.number} {candidate.full_name}"
        try:
            apply(candidate, version)
        except TransitionError as error:
            outcomes.append(Outcome(pk, label, error.message))
        except ValidationError as error:
            outcomes.append(Outcome(pk, label, " ".join(error.messages)))
        else:
            outcomes.append(Outcome(pk, label))
    return outcomes
