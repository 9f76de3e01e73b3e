"""The candidate filterset (shared by the list, the board and the API) offers the tracks' own data."""

import datetime

import pytest
from django.utils import timezone

from dienjaar.choices import Variant
from dienjaar.tests.factories import DienjaarFactory
from intake.choices import Destination, Step
from intake.defensity import services as defensity_services
from intake.filtersets import CandidateFilterSet
from intake.models import Candidate
from intake.services import doorstroom_record
from nwt.choices import Participation
from nwt.tests.factories import NwtDeelnameFactory, SchoolFactory

from .factories import CandidateFactory, start_training, track, walk_to

pytestmark = pytest.mark.django_db


def filtered(**params):
    return set(CandidateFilterSet(params, queryset=Candidate.objects.all()).qs)


def test_filter_on_the_dienjaar_variant():
    regulier = DienjaarFactory().candidate
    specialist = DienjaarFactory(
        variant=Variant.SPECIALISTISCH, birth_date=datetime.date(1985, 1, 1), work_experience_years=8, expertise="ICT"
    ).candidate
    assert filtered(dienjaar_variant="specialistisch") == {specialist}
    assert filtered(dienjaar_variant="regulier") == {regulier}
    assert not CandidateFilterSet({"dienjaar_variant": "anders"}, queryset=Candidate.objects.all()).is_valid()


def test_filter_on_the_nwt_school_and_form_of_participation():
    school = SchoolFactory(name="Saxion")
    at_school = NwtDeelnameFactory(candidate=CandidateFactory(instroomspoor=track("nwt")), school=school).candidate
    flexible = NwtDeelnameFactory(
        candidate=CandidateFactory(instroomspoor=track("nwt")), school=None, participation=Participation.FLEXIBEL
    ).candidate
    assert filtered(nwt_school=school.pk) == {at_school}
    assert filtered(nwt_deelnamevorm="flexibel") == {flexible}


def test_filter_on_active_werkstudents_and_on_doorstroom():
    today = timezone.localdate()
    candidates = []
    for _ in range(2):
        candidate = CandidateFactory(instroomspoor=track("defensity"), applied_on=today - datetime.timedelta(days=400))
        candidate = start_training(candidate, on=today - datetime.timedelta(days=300))
        candidate = walk_to(candidate, Step.AANSTELLING, on=today - datetime.timedelta(days=200))
        defensity_services.defensity_save(
            candidate_id=candidate.pk, expected_version=0, actor=None, institution="UvA", study="Rechten", level="wo"
        )
        candidates.append(candidate)
    active, ended = candidates
    defensity_services.defensity_end(candidate_id=ended.pk, expected_version=1, actor=None, ended_on=today)
    ended.refresh_from_db()
    doorstroom_record(
        candidate_id=ended.pk,
        expected_version=ended.version,
        destination=Destination.RESERVIST,
        decided_on=today,
        track_ended_on=today,
        actor=None,
    )
    CandidateFactory()  # no werkstudent data: neither active nor ended
    not_started = CandidateFactory(instroomspoor=track("defensity"))
    defensity_services.defensity_save(
        candidate_id=not_started.pk, expected_version=0, actor=None, institution="HvA", study="ICT", level="hbo"
    )
    assert filtered(defensity_actief="true") == {active}
    assert filtered(defensity_actief="false") == {ended}
    assert filtered(doorstroom="reservist") == {ended}
