"""Rules shared by the tracks that start in lichtingen (Dienjaar, NWT, Defensity College). Intake only defines
them; each track registers the ones it needs with `pipeline.add_check` when it starts."""

from typing import Any

from django.utils.translation import gettext as _

from .choices import Step, TransitionKind
from .pipeline import Proposal, State, TransitionError


def is_start(proposal: Proposal, new_state: State) -> bool:
    """A participant of these tracks starts when entering the initial training."""
    return proposal.kind == TransitionKind.DOORZETTEN and new_state.step == Step.INITIELE_OPLEIDING


def require_lichting_at_start(candidate: Any, proposal: Proposal, new_state: State) -> None:
    """The training starts with a lichting: the candidate must be placed in one, and cannot start before it does."""
    if not is_start(proposal, new_state):
        return
    if candidate.lichting_id is None:
        raise TransitionError(
            _("Plaats de kandidaat eerst in een lichting: in dit instroomspoor begint de opleiding met een lichting."),
            code="lichting_required",
        )
    lichting = candidate.lichting
    if proposal.occurred_at < lichting.start_date:
        raise TransitionError(
            _("Lichting %(name)s begint pas op %(date)s; de opleiding kan niet eerder beginnen.")
            % {"name": lichting.name, "date": lichting.start_date.strftime("%d-%m-%Y")},
            code="before_lichting_start",
            field="occurred_at",
        )
