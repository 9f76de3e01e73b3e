"""The only writers of Defensity College data. Changes to the candidate's phase go through `intake.services`."""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from intake.models import DefensityStudent
from intake.track_data import check_completion, lock_track_data, record_doorstroom, save_track_data

from .rules import TRACK_CODE

STUDENT_FIELDS = ["institution", "level", "study"]


def _locked(candidate_id: int, expected_version: int, *, required: bool = False):
    return lock_track_data(
        DefensityStudent,
        candidate_id=candidate_id,
        expected_version=expected_version,
        track_code=TRACK_CODE,
        required=required,
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
        candidate, student = _locked(candidate_id, expected_version, required=True)
        check_completion(candidate, ended_on)
        student.ended_on = ended_on
        save_track_data(student, actor=actor, fields=["ended_on"])
    return student


# Where the student went after Defensity College.
defensity_record_outcome = functools.partial(record_doorstroom, DefensityStudent, ended_field="ended_on")
