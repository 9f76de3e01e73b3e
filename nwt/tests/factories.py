import datetime

import factory

from intake.choices import EducationLevel
from nwt.choices import Participation
from nwt.models import NwtDeelname, School


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Hogeschool {n}")
    level = EducationLevel.HBO
    city = "Utrecht"
    partner_since = datetime.date(2025, 2, 1)


class NwtDeelnameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NwtDeelname

    school = factory.SubFactory(SchoolFactory)
    participation = Participation.MINOR
