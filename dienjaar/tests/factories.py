import datetime

import factory

from dienjaar import services
from dienjaar.choices import Variant
from intake import services as intake_services
from intake.choices import Step
from intake.models import Candidate
from intake.tests.factories import CandidateFactory, LichtingFactory, track, walk_to


class DienjaarFactory(CandidateFactory):
    """Registers a Dienjaar candidate with its Dienjaar data through `dienjaar_register`; returns the data."""

    variant = Variant.REGULIER
    desired_start = factory.LazyAttribute(lambda o: o.applied_on + datetime.timedelta(days=60))
    work_experience_years = 0
    expertise = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.pop("instroomspoor")
        return services.dienjaar_register(**kwargs)


def place_in_new_lichting(candidate: Candidate, *, starts_on: datetime.date, **lichting_fields) -> Candidate:
    candidate.refresh_from_db()
    lichting = LichtingFactory(instroomspoor=track("dienjaar"), start_date=starts_on, **lichting_fields)
    return intake_services.candidate_place_in_lichting(
        candidate_id=candidate.pk, expected_version=candidate.version, lichting_id=lichting.pk, actor=None
    )


def start_year(candidate: Candidate, *, on: datetime.date) -> Candidate:
    """Places the candidate in a lichting starting `on` and moves it into the initial training that day."""
    walk_to(candidate, Step.VEILIGHEIDSONDERZOEK)
    place_in_new_lichting(candidate, starts_on=on)
    return walk_to(candidate, Step.INITIELE_OPLEIDING, on=on)
