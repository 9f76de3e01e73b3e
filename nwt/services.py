"""The only writers of NWT data. Changes to the candidate's phase go through `intake.services`."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import selectors as intake_selectors
from intake import services as intake_services
from intake.choices import Destination, Phase, Status, Step, TransitionKind
from intake.models import Reason
from intake.pipeline import TransitionError
from intake.track_data import lock_track_data, save_track_data

from . import rules
from .choices import SCHOOL_BASED, Participation
from .models import NwtDeelname, School

# Who completes the NWT and is not appointed leaves the chain as withdrawn or rejected, with a reason.
NOT_APPOINTED_KINDS = (TransitionKind.TERUGTREKKING, TransitionKind.AFWIJZING)


def nwt_save(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    participation: Participation | str,
    school: School | None,
    unit: str = "",
) -> NwtDeelname:
    """Set a candidate's NWT data (creating it when the candidate has none, at version 0)."""
    if participation in SCHOOL_BASED and school is None:
        raise TransitionError(
            _("Een %(form)s volgt de deelnemer via een partnerschool: kies de school.")
            % {"form": Participation(participation).label.lower()},
            code="school_required",
            field="school",
        )
    with transaction.atomic():
        _candidate, deelname = lock_track_data(
            NwtDeelname, candidate_id=candidate_id, expected_version=expected_version, track_code=rules.TRACK_CODE
        )
        deelname.participation = participation
        deelname.school = school
        deelname.unit = unit.strip()
        save_track_data(deelname, actor=actor, fields=["participation", "school", "unit"])
    return deelname


def nwt_complete(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    completed_on: datetime.date,
    appointed: bool,
    unit: str = "",
    reason: Reason | None = None,
) -> NwtDeelname:
    """Record that a participant completed the NWT and its outcome, in one transaction: appointed as reservist
    (the candidate moves to aanstelling) or not (the candidate leaves with the reason given); the outcome is the
    candidate's doorstroom. `expected_version` is the candidate's."""
    with transaction.atomic():
        candidate, deelname = lock_track_data(
            NwtDeelname,
            candidate_id=candidate_id,
            expected_version=None,
            track_code=rules.TRACK_CODE,
            required=True,
        )
        if candidate.phase != Phase.OPLEIDING or candidate.status != Status.LOPEND:
            raise TransitionError(_("De NWT-opleiding van deze deelnemer loopt niet."), code="not_running")
        started_on = intake_selectors.track_progress(candidate, completed_on=None).started_on
        if completed_on > timezone.localdate() or (started_on and completed_on < started_on):
            raise TransitionError(
                _("De datum van afronding moet tussen de start (%(start)s) en vandaag liggen.")
                % {"start": started_on.strftime("%d-%m-%Y") if started_on else "-"},
                code="date_out_of_range",
                field="completed_on",
            )
        if appointed:
            intake_services.candidate_transition(
                candidate_id=candidate.pk,
                expected_version=expected_version,
                kind=TransitionKind.DOORZETTEN,
                actor=actor,
                occurred_at=completed_on,
                to_step=Step.AANSTELLING,
            )
        else:
            if reason is None or reason.kind not in NOT_APPOINTED_KINDS:
                raise TransitionError(
                    _("Kies waarom de deelnemer niet als reservist wordt aangesteld."),
                    code="reason_required",
                    field="reason",
                )
            intake_services.candidate_transition(
                candidate_id=candidate.pk,
                expected_version=expected_version,
                kind=reason.kind,
                actor=actor,
                occurred_at=completed_on,
                reason=reason,
            )
        intake_services.doorstroom_record(
            candidate_id=candidate.pk,
            expected_version=expected_version + 1,
            destination=Destination.RESERVIST if appointed else Destination.VERTROKKEN,
            decided_on=completed_on,
            track_ended_on=completed_on,
            actor=actor,
        )
        deelname.completed_on = completed_on
        deelname.unit = unit.strip() if appointed else ""
        save_track_data(deelname, actor=actor, fields=["completed_on", "unit"])
    return deelname
