"""Defensity College's rules, registered with the intake chain when intake starts: the training starts in a
lichting."""

from intake import pipeline, track_rules

TRACK_CODE = "defensity"


def register() -> None:
    pipeline.add_check(TRACK_CODE, track_rules.require_lichting_at_start)
