"""The Dienjaar's admission rules at their boundaries, as a recruiter meets them: on registration against the
desired start, and again when the year starts."""

import datetime

import pytest

from dienjaar import rules
from dienjaar.choices import AppointmentType, Variant
from dienjaar.models import DienjaarDeelname
from intake import services as intake_services
from intake.choices import Step, TransitionKind, Verdict
from intake.models import Candidate
from intake.pipeline import TransitionError
from intake.tests.factories import CandidateFactory, place_in_new_lichting, track, walk_to

from .factories import DienjaarFactory

pytestmark = pytest.mark.django_db

APPLIED = datetime.date(2026, 3, 2)
START = datetime.date(2026, 9, 1)


def born_aged(age: int, *, on: datetime.date = START, days_short: int = 0) -> datetime.date:
    """A birth date that makes someone exactly `age` on `on`; with days_short=1 they are a day short of it."""
    return on.replace(year=on.year - age) + datetime.timedelta(days=days_short)


def register(**kwargs):
    return DienjaarFactory(applied_on=APPLIED, desired_start=START, **kwargs)


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [(born_aged(18), 18), (born_aged(28, days_short=1), 27)],
    ids=["18", "27"],
)
def test_regulier_admits_18_to_27_at_the_start(birth_date, age):
    deelname = register(birth_date=birth_date)
    assert rules.age_on(deelname.candidate.birth_date, START) == age
    assert deelname.variant == Variant.REGULIER


def test_regulier_refuses_a_17_year_old_and_says_why_and_writes_nothing():
    with pytest.raises(TransitionError) as refused:
        register(birth_date=born_aged(18, days_short=1))
    assert refused.value.message == (
        "Niet toelaatbaar tot het regulier Dienjaar: bij de start op 01-09-2026 is de kandidaat 17 jaar, "
        "en deze variant is voor wie dan 18 tot en met 27 jaar is."
    )
    assert refused.value.field == "birth_date"
    assert not Candidate.objects.exists() and not DienjaarDeelname.objects.exists()


def test_regulier_refuses_a_28_year_old_and_points_to_the_specialist_variant():
    with pytest.raises(TransitionError) as refused:
        register(birth_date=born_aged(28))
    assert "bij de start op 01-09-2026 is de kandidaat 28 jaar" in refused.value.message
    assert "Het specialistisch Dienjaar kan wel, met minstens 3 jaar werkervaring." in refused.value.message


def specialist(**kwargs):
    kwargs = {"work_experience_years": 3, "expertise": "Verpleegkunde", **kwargs}
    return register(variant=Variant.SPECIALISTISCH, **kwargs)


def test_specialistisch_admits_a_54_year_old_with_three_years_of_work_experience():
    deelname = specialist(birth_date=born_aged(55, days_short=1))
    assert rules.age_on(deelname.candidate.birth_date, START) == 54
    assert (deelname.variant, deelname.work_experience_years) == (Variant.SPECIALISTISCH, 3)


def test_specialistisch_refuses_a_55_year_old():
    with pytest.raises(TransitionError) as refused:
        specialist(birth_date=born_aged(55))
    assert refused.value.message == (
        "Niet toelaatbaar tot het specialistisch Dienjaar: bij de start op 01-09-2026 is de kandidaat 55 jaar, "
        "en deze variant is voor wie dan 18 tot en met 54 jaar is."
    )


def test_specialistisch_refuses_two_years_of_work_experience():
    with pytest.raises(TransitionError) as refused:
        specialist(birth_date=born_aged(35), work_experience_years=2)
    assert refused.value.message == (
        "Niet toelaatbaar tot het specialistisch Dienjaar: daarvoor is minstens 3 jaar werkervaring nodig, "
        "de kandidaat heeft 2 jaar."
    )
    assert refused.value.field == "work_experience_years"
    assert not Candidate.objects.exists()


def test_specialistisch_needs_the_area_of_expertise():
    with pytest.raises(TransitionError, match="Vul het vakgebied in") as refused:
        specialist(birth_date=born_aged(35), expertise="  ")
    assert refused.value.field == "expertise"


def test_registration_without_dienjaar_data_is_judged_as_regulier_on_the_day_of_application():
    with pytest.raises(TransitionError, match="regulier Dienjaar: bij de start op 02-03-2026 is de kandidaat 30 jaar"):
        CandidateFactory(instroomspoor=track("dienjaar"), applied_on=APPLIED, birth_date=born_aged(30, on=APPLIED))
    assert CandidateFactory(instroomspoor=track("dienjaar"), applied_on=APPLIED).pk


def test_the_start_of_the_year_checks_the_age_again_on_the_real_start_date():
    # 27 on the desired start, but the year only starts after the 28th birthday.
    birthday = datetime.date(1998, 10, 1)
    candidate = register(birth_date=birthday).candidate
    late_start = datetime.date(2026, 10, 1)
    walk_to(candidate, Step.VEILIGHEIDSONDERZOEK)
    candidate = place_in_new_lichting(candidate, starts_on=late_start)
    with pytest.raises(TransitionError) as refused:
        intake_services.candidate_transition(
            candidate_id=candidate.pk,
            expected_version=candidate.version,
            kind=TransitionKind.DOORZETTEN,
            actor=None,
            occurred_at=late_start,
            to_step=Step.INITIELE_OPLEIDING,
            verdict=Verdict.GESCHIKT,
        )
    assert "bij de start op 01-10-2026 is de kandidaat 28 jaar" in refused.value.message
    candidate.refresh_from_db()
    assert candidate.step == Step.VEILIGHEIDSONDERZOEK


def test_the_year_starts_with_a_lichting_and_not_before_it_begins():
    candidate = register().candidate
    walk_to(candidate, Step.VEILIGHEIDSONDERZOEK)
    with pytest.raises(TransitionError, match="Plaats de kandidaat eerst in een lichting"):
        walk_to(candidate, Step.INITIELE_OPLEIDING, on=START)
    place_in_new_lichting(candidate, starts_on=START, name="Dienjaar september 2026")
    with pytest.raises(TransitionError, match="Lichting Dienjaar september 2026 begint pas op 01-09-2026"):
        walk_to(candidate, Step.INITIELE_OPLEIDING, on=START - datetime.timedelta(days=1))
    assert walk_to(candidate, Step.INITIELE_OPLEIDING, on=START).step == Step.INITIELE_OPLEIDING


@pytest.mark.parametrize(
    ("start", "appointment"),
    [
        (datetime.date(2025, 12, 31), AppointmentType.RESERVIST),
        (datetime.date(2026, 1, 1), AppointmentType.TIJDELIJK_BEROEPSMILITAIR),
    ],
    ids=["31-12-2025", "01-01-2026"],
)
def test_the_appointment_type_follows_the_start_date(start, appointment):
    assert rules.appointment_type_for(start) == appointment
