"""The Dienjaar's own rules, registered with the intake chain when the app starts.

Eligibility (regulier: 18 to 27 years old at the start; specialistisch: 18 to 54 at the start with at least three
years of work experience in an area of expertise) is checked when the candidate applies, against the desired
start date, and again when the year starts, against the real start. The appointment type follows the start date.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.utils.translation import gettext as _

from intake import pipeline, track_rules
from intake.choices import TransitionKind
from intake.pipeline import Proposal, State, TransitionError

from .choices import AppointmentType, Variant
from .models import DienjaarDeelname

TRACK_CODE = "dienjaar"
AGE_LIMITS = {Variant.REGULIER: (18, 27), Variant.SPECIALISTISCH: (18, 54)}
MIN_WORK_EXPERIENCE_YEARS = 3
# Participants who start on or after this date are appointed as temporary beroepsmilitair, earlier ones as reservist.
BEROEPSMILITAIR_FROM = datetime.date(2026, 1, 1)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def appointment_type_for(start: datetime.date) -> AppointmentType:
    if start < BEROEPSMILITAIR_FROM:
        return AppointmentType.RESERVIST
    return AppointmentType.TIJDELIJK_BEROEPSMILITAIR


def check_eligibility(deelname: DienjaarDeelname, *, birth_date: datetime.date, start: datetime.date) -> None:
    """Raises TransitionError saying why someone with this data may not start the Dienjaar on `start`."""
    variant = Variant(deelname.variant)
    low, high = AGE_LIMITS[variant]
    age = age_on(birth_date, start)
    if not low <= age <= high:
        message = _(
            "Niet toelaatbaar tot het %(variant)s Dienjaar: bij de start op %(start)s is de kandidaat %(age)d jaar, "
            "en deze variant is voor wie dan %(low)d tot en met %(high)d jaar is."
        ) % {
            "variant": variant.label.lower(),
            "start": start.strftime("%d-%m-%Y"),
            "age": age,
            "low": low,
            "high": high,
        }
        if variant == Variant.REGULIER and high < age <= AGE_LIMITS[Variant.SPECIALISTISCH][1]:
            message += " " + _("Het specialistisch Dienjaar kan wel, met minstens %(years)d jaar werkervaring.") % {
                "years": MIN_WORK_EXPERIENCE_YEARS
            }
        raise TransitionError(message, code="not_eligible_age", field="birth_date")
    if variant != Variant.SPECIALISTISCH:
        return
    if deelname.work_experience_years < MIN_WORK_EXPERIENCE_YEARS:
        raise TransitionError(
            _(
                "Niet toelaatbaar tot het specialistisch Dienjaar: daarvoor is minstens %(needed)d jaar werkervaring "
                "nodig, de kandidaat heeft %(years)d jaar."
            )
            % {"needed": MIN_WORK_EXPERIENCE_YEARS, "years": deelname.work_experience_years},
            code="not_eligible_experience",
            field="work_experience_years",
        )
    if not deelname.expertise.strip():
        raise TransitionError(
            _("Vul het vakgebied in: het specialistisch Dienjaar bouwt voort op werkervaring in een vakgebied."),
            code="expertise_required",
            field="expertise",
        )


# The Dienjaar data of a candidate being registered right now. `candidate_register` takes only candidate
# fields, so `services.dienjaar_register` hands the data to the aanmelding check through this variable.
_registering: ContextVar[DienjaarDeelname | None] = ContextVar("dienjaar_registering", default=None)


@contextlib.contextmanager
def registering(deelname: DienjaarDeelname) -> Iterator[None]:
    token = _registering.set(deelname)
    try:
        yield
    finally:
        _registering.reset(token)


def check_on_application(candidate: Any, proposal: Proposal, new_state: State) -> None:
    if proposal.kind != TransitionKind.AANMELDING:
        return
    deelname = _registering.get()
    if deelname is None:
        # Registered without Dienjaar data (e.g. the general form): judged as the regular variant on the day of
        # application, the only start date known; the data can be completed on the Dienjaar page.
        check_eligibility(DienjaarDeelname(), birth_date=candidate.birth_date, start=proposal.occurred_at)
    else:
        check_eligibility(deelname, birth_date=candidate.birth_date, start=deelname.desired_start)


def check_on_start(candidate: Any, proposal: Proposal, new_state: State) -> None:
    if not track_rules.is_start(proposal, new_state):
        return
    deelname = DienjaarDeelname.objects.filter(candidate_id=candidate.pk).first() or DienjaarDeelname()
    check_eligibility(deelname, birth_date=candidate.birth_date, start=proposal.occurred_at)


def register() -> None:
    pipeline.add_check(TRACK_CODE, check_on_application)
    pipeline.add_check(TRACK_CODE, track_rules.require_lichting_at_start)
    pipeline.add_check(TRACK_CODE, check_on_start)
