"""For the services of the track apps that keep data next to a candidate (Dienjaar, NWT, Defensity College)."""

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import AuditAction, Candidate
from .pipeline import StaleVersionError, TransitionError

TrackData = TypeVar("TrackData", bound=models.Model)


def lock_track_data(
    model: type[TrackData], *, candidate_id: int, expected_version: int | None, track_code: str
) -> tuple[Candidate, TrackData]:
    """Locks the candidate and its row of `model` (a one-to-one `candidate` with a `version`) and checks that the
    caller saw the current version; version 0 stands for a candidate without such a row yet, which is returned
    unsaved, and None skips the check for a change that the candidate's own version guards. Call inside a
    transaction. Locking the candidate too serialises the change with its transitions, whose track checks read
    this data."""
    candidate = Candidate.objects.select_for_update().select_related("instroomspoor").get(pk=candidate_id)
    if candidate.instroomspoor.code != track_code:
        raise TransitionError(
            _("Deze kandidaat zit in het instroomspoor %(track)s; deze gegevens horen bij een ander spoor.")
            % {"track": candidate.instroomspoor},
            code="other_track",
        )
    row = model.objects.select_for_update().filter(candidate=candidate).first() or model(candidate=candidate, version=0)
    if expected_version is not None and row.version != expected_version:
        raise StaleVersionError(row.version)
    return candidate, row


def save_track_data(row: models.Model, *, actor, fields: list[str]) -> None:
    """Saves a row locked by `lock_track_data` with its next version, and audits which fields changed."""
    action = AuditAction.CHANGE if row.pk else AuditAction.CREATE
    row.version += 1
    row.save()
    audit_record(actor=actor, action=action, obj=row, detail={"candidate": row.candidate_id, "fields": sorted(fields)})
