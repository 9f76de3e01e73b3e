import datetime

import factory

from dienjaar import services
from dienjaar.choices import Variant
from intake.tests.factories import CandidateFactory


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
