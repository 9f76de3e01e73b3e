"""For the services of the track apps that keep data next to a candidate (Dienjaar, NWT, Defensity College)."""

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from .models import Candidate
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
