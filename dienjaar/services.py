"""The only writers of Dienjaar data. Changes to the candidate's phase go through `intake.services`."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from intake import selectors as intake_selectors
from intake import services as intake_services
from intake.choices import Phase, Status, TransitionKind
from intake.models import Candidate, Instroomspoor, Reason, StatusEvent
from intake.pipeline import TransitionError
from intake.track_data import check_completion, lock_track_data, record_doorstroom, save_track_data

from . import rules
from .choices import Variant
from .models import DienjaarDeelname

DEELNAME_FIELDS = ["desired_start", "expertise", "variant", "work_experience_years"]


def _check_desired_start(desired_start: datetime.date, applied_on: datetime.date) -> None:
    if desired_start < applied_on:
        raise TransitionError(
            _("De gewenste startdatum kan niet vóór de aanmelding liggen."),
            code="start_before_application",
            field="desired_start",
        )


def dienjaar_register(
    *,
    actor: AbstractBaseUser | None,
    applied_on: datetime.date,
    variant: Variant | str,
    desired_start: datetime.date,
    work_experience_years: int = 0,
    expertise: str = "",
    **candidate_fields: Any,
) -> DienjaarDeelname:
    """Register a Dienjaar candidate together with its Dienjaar data, in one transaction: the aanmelding check
    judges eligibility on exactly this data."""
    _check_desired_start(desired_start, applied_on)
    deelname = DienjaarDeelname(
        variant=variant,
        desired_start=desired_start,
        work_experience_years=work_experience_years,
        expertise=expertise.strip(),
    )
    with transaction.atomic(), rules.registering(deelname):
        candidate = intake_services.candidate_register(
            actor=actor,
            instroomspoor=Instroomspoor.objects.get(code=rules.TRACK_CODE),
            applied_on=applied_on,
            **candidate_fields,
        )
        deelname.candidate = candidate
        deelname.version = 0
        save_track_data(deelname, actor=actor, fields=DEELNAME_FIELDS)
    return deelname


def _locked(candidate_id: int, expected_version: int, *, required: bool = False) -> tuple[Candidate, DienjaarDeelname]:
    return lock_track_data(
        DienjaarDeelname,
        candidate_id=candidate_id,
        expected_version=expected_version,
        track_code=rules.TRACK_CODE,
        required=required,
    )


def dienjaar_update(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    variant: Variant | str,
    desired_start: datetime.date,
    work_experience_years: int,
    expertise: str,
) -> DienjaarDeelname:
    """Change a candidate's Dienjaar data, or add it for a candidate registered without it. The data must still
    make the candidate eligible: at the start of the year once it started, else at the desired start."""
    with transaction.atomic():
        candidate, deelname = _locked(candidate_id, expected_version)
        _check_desired_start(desired_start, candidate.applied_on)
        deelname.variant = variant
        deelname.desired_start = desired_start
        deelname.work_experience_years = work_experience_years
        deelname.expertise = expertise.strip()
        started_on = intake_selectors.track_progress(candidate, completed_on=None).started_on
        rules.check_eligibility(deelname, birth_date=candidate.birth_date, start=started_on or desired_start)
        save_track_data(deelname, actor=actor, fields=DEELNAME_FIELDS)
    return deelname


def dienjaar_complete_year(
    *, candidate_id: int, expected_version: int, actor: AbstractBaseUser | None, completed_on: datetime.date
) -> DienjaarDeelname:
    """Record that a participant completed the year. Only someone appointed (in service) completes it; who
    stopped earlier has the uitval or uitstroom with its reason instead."""
    with transaction.atomic():
        candidate, deelname = _locked(candidate_id, expected_version, required=True)
        check_completion(candidate, completed_on)
        deelname.completed_on = completed_on
        save_track_data(deelname, actor=actor, fields=["completed_on"])
    return deelname


def dienjaar_stop_early(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    stopped_on: datetime.date,
    reason: Reason,
) -> StatusEvent:
    """The participant stops before completing the year: a drop-out during the training (uitval) or, once
    appointed, leaving the service (uitstroom), with its reason. `expected_version` is the candidate's."""
    candidate = Candidate.objects.select_related("dienjaar").get(pk=candidate_id)
    if getattr(candidate, "dienjaar", None) and candidate.dienjaar.completed_on:
        raise TransitionError(_("Deze deelnemer heeft het Dienjaar al voltooid."), code="completed")
    if candidate.status == Status.IN_DIENST:
        kind = TransitionKind.UITSTROOM
    elif candidate.status == Status.LOPEND and candidate.phase == Phase.OPLEIDING:
        kind = TransitionKind.UITVAL
    else:
        raise TransitionError(_("Het Dienjaar van deze deelnemer loopt niet."), code="not_running")
    return intake_services.candidate_transition(
        candidate_id=candidate_id,
        expected_version=expected_version,
        kind=kind,
        actor=actor,
        occurred_at=stopped_on,
        reason=reason,
    )


# Where the participant went after completing the year.
dienjaar_record_doorstroom = functools.partial(record_doorstroom, DienjaarDeelname, ended_field="completed_on")
