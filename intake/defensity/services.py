"""The only writers of Defensity College data. Changes to the candidate's phase go through `intake.services`."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from intake import services as intake_services
from intake.choices import Destination
from intake.models import DefensityStudent, Doorstroom
from intake.track_data import check_completion, lock_track_data, save_track_data

from .rules import TRACK_CODE

STUDENT_FIELDS = ["institution", "level", "study"]


def _locked(candidate_id: int, expected_version: int):
    return lock_track_data(
        DefensityStudent, candidate_id=candidate_id, expected_version=expected_version, track_code=TRACK_CODE
    )


def defensity_save(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    institution: str,
    study: str,
    level: str,
) -> DefensityStudent:
    """Set a werkstudent's institution, study and level (creating the data at version 0)."""
    with transaction.atomic():
        _candidate, student = _locked(candidate_id, expected_version)
        student.institution, student.study, student.level = institution.strip(), study.strip(), level
        student.full_clean(exclude=["candidate"])
        save_track_data(student, actor=actor, fields=STUDENT_FIELDS)
    return student


def defensity_end(
    *, candidate_id: int, expected_version: int, actor: AbstractBaseUser | None, ended_on: datetime.date
) -> DefensityStudent:
    """Record the last working day as a werkstudent (graduation, or the end of the contract)."""
    with transaction.atomic():
        candidate, student = _locked(candidate_id, expected_version)
        check_completion(candidate, ended_on)
        student.ended_on = ended_on
        save_track_data(student, actor=actor, fields=["ended_on"])
    return student


def defensity_record_outcome(
    *,
    candidate_id: int,
    expected_version: int,
    actor: AbstractBaseUser | None,
    destination: Destination | str,
    decided_on: datetime.date,
) -> Doorstroom:
    """Where the student went after Defensity College; `expected_version` is the candidate's."""
    ended_on = DefensityStudent.objects.filter(candidate_id=candidate_id).values_list("ended_on", flat=True).first()
    return intake_services.doorstroom_record(
        candidate_id=candidate_id,
        expected_version=expected_version,
        destination=destination,
        decided_on=decided_on,
        track_ended_on=ended_on,
        actor=actor,
    )
