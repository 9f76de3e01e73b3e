"""What the demo extensions of the fixed-length tracks (Dienjaar, NWT, Defensity College) share: the history the
base simulation (`intake.demo`) wrote for a track's candidates, read in bulk, and where participants went once
their track ended. Extensions only add track data; they never change the candidates or their events."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .choices import Destination, Step, TransitionKind
from .models import Candidate, Doorstroom, StatusEvent

BATCH = 5000


@dataclass(frozen=True)
class History:
    """One candidate of a track as the base simulation left it."""

    candidate_id: int
    birth_date: datetime.date
    applied_on: datetime.date
    lichting_start: datetime.date | None
    started_on: datetime.date | None  # entered the initial training
    appointed_on: datetime.date | None
    left_on: datetime.date | None  # uitstroom after appointment
    left_reason: str


def histories(track_code: str, *, without: str) -> Iterator[History]:
    """The track's candidates in id order (the order the seeded generator must see them in) that have no
    `without` row yet (the reverse name of the extension's model), so a second seed run adds only what is new."""
    candidates = Candidate.objects.filter(instroomspoor__code=track_code, **{f"{without}__isnull": True})
    events = defaultdict(dict)
    rows = StatusEvent.objects.filter(
        candidate__in=candidates, kind__in=[TransitionKind.DOORZETTEN, TransitionKind.UITSTROOM]
    )
    for candidate_id, kind, to_step, occurred_at, reason in rows.values_list(
        "candidate_id", "kind", "to_step", "occurred_at", "reason__code"
    ):
        if kind == TransitionKind.UITSTROOM:
            events[candidate_id]["left"] = (occurred_at, reason)
        elif to_step in (Step.INITIELE_OPLEIDING, Step.AANSTELLING):
            events[candidate_id][to_step] = occurred_at
    for pk, birth_date, applied_on, lichting_start in candidates.order_by("pk").values_list(
        "pk", "birth_date", "applied_on", "lichting__start_date"
    ):
        seen = events.get(pk, {})
        left_on, left_reason = seen.get("left", (None, ""))
        yield History(
            candidate_id=pk,
            birth_date=birth_date,
            applied_on=applied_on,
            lichting_start=lichting_start,
            started_on=seen.get(Step.INITIELE_OPLEIDING),
            appointed_on=seen.get(Step.AANSTELLING),
            left_on=left_on,
            left_reason=left_reason or "",
        )


def track_end(
    history: History, *, months: int, stays: dict[Destination, float], rng: random.Random, today: datetime.date
) -> tuple[datetime.date, Destination] | None:
    """When an appointed participant's fixed-length track ended and where they went, or None (not appointed, not
    ended yet, or left early). The base simulation ends the track `months` times 30 days after the appointment and
    writes the uitstroom of those who leave then; the others stay, drawn from `stays`."""
    if history.appointed_on is None:
        return None
    end = history.appointed_on + datetime.timedelta(days=months * 30)
    if history.left_on is not None and history.left_on <= end:
        if history.left_reason == "uts-einde-contract":
            return history.left_on, Destination.VERTROKKEN
        return None
    if end > today:
        return None
    return end, rng.choices(list(stays), weights=list(stays.values()))[0]


def bulk_save(model, rows: list) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH)


def doorstroom(candidate_id: int, destination: Destination, decided_on: datetime.date) -> Doorstroom:
    return Doorstroom(candidate_id=candidate_id, destination=destination, decided_on=decided_on)
