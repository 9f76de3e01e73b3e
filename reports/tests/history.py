"""Builds small, hand-checkable event histories through the real services, with explicit past dates."""

import datetime

from intake import services
from intake.choices import TransitionKind
from intake.tests.factories import CandidateFactory, reason
from intake.tests.test_transitions import ROUTE  # the regular route and the verdict each step needs


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def transition(candidate, kind, on: datetime.date, **kwargs):
    candidate.refresh_from_db()
    services.candidate_transition(
        candidate_id=candidate.pk,
        expected_version=candidate.version,
        kind=kind,
        actor=None,
        occurred_at=on,
        **kwargs,
    )
    candidate.refresh_from_db()
    return candidate


def applicant(applied_on: str, gaps: list[int] = (), **fields):
    """A candidate who applied on `applied_on` and then moved one step along the route after each gap (days)."""
    candidate = CandidateFactory(applied_on=day(applied_on), **fields)
    on = candidate.applied_on
    for gap, (step, verdict) in zip(gaps, ROUTE, strict=False):
        on += datetime.timedelta(days=gap)
        transition(candidate, TransitionKind.DOORZETTEN, on, to_step=step, verdict=verdict)
    return candidate


def leave(candidate, kind: TransitionKind, reason_code: str, on: str):
    return transition(candidate, kind, day(on), reason=reason(reason_code))
