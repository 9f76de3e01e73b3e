"""The NWT's rules, registered with the intake chain when the app starts: its training starts in a lichting."""

from intake import pipeline, track_rules

TRACK_CODE = "nwt"


def register() -> None:
    pipeline.add_check(TRACK_CODE, track_rules.require_lichting_at_start)
