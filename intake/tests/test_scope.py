import pytest

from intake.models import Regio
from intake.selectors import candidates_visible_to

from .factories import CandidateFactory, track

pytestmark = pytest.mark.django_db


def test_recruiter_sees_only_candidates_of_their_tracks(recruiter, other_track_recruiter, manager):
    regular = CandidateFactory(instroomspoor=track("beroeps"))
    nwt = CandidateFactory(instroomspoor=track("nwt"))
    assert list(candidates_visible_to(recruiter)) == [regular]
    assert list(candidates_visible_to(other_track_recruiter)) == [nwt]
    assert set(candidates_visible_to(manager)) == {regular, nwt}


def test_recruiter_with_regions_sees_only_candidates_with_a_postcode_in_them(recruiter):
    utrecht = CandidateFactory(postcode="3511 AB")
    CandidateFactory(postcode="9711 CD")
    edge = CandidateFactory(postcode="3999 ZZ")
    CandidateFactory(postcode="4000 AA")
    Regio.objects.create(name="Midden", postcode_from=3000, postcode_to=3999).recruiters.add(recruiter)
    assert set(candidates_visible_to(recruiter)) == {utrecht, edge}


def test_anonymous_users_see_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    CandidateFactory()
    assert not candidates_visible_to(AnonymousUser()).exists()
