"""For the services of the track apps that keep data next to a candidate (Dienjaar, NWT, Defensity College)."""

import datetime
from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .audit import audit_record
from .choices import Status
from .models import AuditAction, Candidate, Doorstroom
from .pipeline import StaleVersionError, TransitionError
from .selectors import track_progress

TrackData = TypeVar("TrackData", bound=models.Model)


def lock_track_data(
    model: type[TrackData],
    *,
    candidate_id: int,
    expected_version: int | None,
    track_code: str,
    required: bool = False,
) -> tuple[Candidate, TrackData]:
    """Locks the candidate and its row of `model` (a one-to-one `candidate` with a `version`) and checks that the
    caller saw the current version; version 0 stands for a candidate without such a row yet, which is returned
    unsaved, and None skips the check for a change that the candidate's own version guards. Call inside a
    transaction. Locking the candidate too serialises the change with its transitions, whose track checks read
    this data. With `required`, a candidate without a row is refused: the step needs the track's data."""
    # Only the candidate's row, not the track's row the join reads (see services._locked_candidate).
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("instroomspoor").get(pk=candidate_id)
    if candidate.instroomspoor.code != track_code:
        raise TransitionError(
            _("Deze kandidaat zit in het instroomspoor %(track)s; deze gegevens horen bij een ander spoor.")
            % {"track": candidate.instroomspoor},
            code="other_track",
        )
    row = model.objects.select_for_update().filter(candidate=candidate).first() or model(candidate=candidate, version=0)
    if expected_version is not None and row.version != expected_version:
        raise StaleVersionError(row.version)
    if required and row.pk is None:
        raise TransitionError(_("Vul eerst de gegevens van dit traject in."), code="no_track_data")
    return candidate, row


def save_track_data(row: models.Model, *, actor, fields: list[str]) -> None:
    """Saves a row locked by `lock_track_data` with its next version, and audits which fields changed."""
    action = AuditAction.CHANGE if row.pk else AuditAction.CREATE
    row.version += 1
    row.save()
    audit_record(actor=actor, action=action, obj=row, detail={"candidate": row.candidate_id, "fields": sorted(fields)})


def check_completion(candidate: Candidate, completed_on: datetime.date) -> None:
    """Before a track with a fixed length is recorded as completed: it started, the participant is appointed and
    in service (who stopped earlier has the uitval or uitstroom with its reason instead), the date lies between
    the start and today, and no doorstroom fixes the completion yet."""
    started_on = track_progress(candidate, completed_on=None).started_on
    if started_on is None:
        raise TransitionError(_("Het traject van deze deelnemer is nog niet begonnen."), code="not_started")
    if Doorstroom.objects.filter(candidate=candidate).exists():
        raise TransitionError(
            _("De doorstroom na het traject is al vastgelegd; de afronding ligt daarmee vast."),
            code="doorstroom_recorded",
        )
    if candidate.status != Status.IN_DIENST:
        raise TransitionError(
            _(
                "Alleen een deelnemer die is aangesteld en in dienst is, kan het traject afronden; "
                "deze kandidaat is %(status)s."
            )
            % {"status": Status(candidate.status).label.lower()},
            code="not_in_service",
        )
    if completed_on > timezone.localdate():
        raise TransitionError(
            _("De datum mag niet in de toekomst liggen."), code="date_in_future", field="completed_on"
        )
    if completed_on < started_on:
        raise TransitionError(
            _("Het traject kan niet zijn afgerond vóór de start op %(date)s.")
            % {"date": started_on.strftime("%d-%m-%Y")},
            code="date_before_start",
            field="completed_on",
        )


def record_doorstroom(
    model: type[models.Model],
    *,
    ended_field: str,
    candidate_id: int,
    expected_version: int,
    actor,
    destination: str,
    decided_on: datetime.date,
):
    """Where a participant went after a track whose end is `ended_field` of its `model` row; see
    `services.doorstroom_record`. `expected_version` is the candidate's."""
    ended_on = model.objects.filter(candidate_id=candidate_id).values_list(ended_field, flat=True).first()
    return services.doorstroom_record(
        candidate_id=candidate_id,
        expected_version=expected_version,
        destination=destination,
        decided_on=decided_on,
        track_ended_on=ended_on,
        actor=actor,
    )
