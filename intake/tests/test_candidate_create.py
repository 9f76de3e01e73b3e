"""Registering a candidate in the browser, with a warning when the person may already be registered."""

import datetime

import pytest

from intake.choices import Phase, Source, Step
from intake.models import Candidate, Lichting

from .factories import CandidateFactory, branch, track

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, recruiter):
    client.force_login(recruiter)
    return client


def new_candidate(**changes):
    data = {
        "instroomspoor": track("beroeps").pk,
        "first_name": "Sanne",
        "last_name": "de Vries",
        "birth_date": "2005-03-14",
        "email": "Sanne.deVries@example.nl",
        "phone": "0612345678",
        "postcode": "3511ab",
        "gender": "vrouw",
        "krijgsmachtdeel": branch("KM").pk,
        "application_type": "mzf",
        "function_title": "",
        "source": Source.CAMPAGNE,
        "recruiter": "",
        "lichting": "",
        "applied_on": datetime.date.today().isoformat(),
    }
    return {**data, **changes}


def test_new_candidate_starts_in_werving_and_opens_its_page(logged_in, recruiter):
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(recruiter=recruiter.pk))
    candidate = Candidate.objects.get()
    assert response["Location"] == f"/kandidaten/{candidate.pk}/"
    assert (candidate.phase, candidate.step, candidate.recruiter) == (Phase.WERVING, Step.AANMELDING, recruiter)
    assert (candidate.email, candidate.postcode) == ("sanne.devries@example.nl", "3511 AB")
    assert candidate.events.get().actor == recruiter


def test_invalid_input_gets_dutch_messages_at_the_fields(logged_in):
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(email="geen-adres", birth_date="2099-01-01"))
    page = response.content.decode()
    assert "Voer een geldig e-mailadres in." in page and "De geboortedatum ligt in de toekomst." in page
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "same", [{"email": "SANNE.DEVRIES@example.nl"}, {"email": "ander@example.nl", "birth_date": "2005-03-14"}]
)
def test_possible_duplicate_is_shown_with_a_link_before_anything_is_created(logged_in, same):
    existing = CandidateFactory(
        first_name="Sanne",
        last_name="de Vries",
        birth_date=datetime.date(2005, 3, 14),
        email="sanne.devries@example.nl",
    )
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(**same))
    page = response.content.decode()
    assert "Bestaat deze kandidaat al?" in page
    assert f'href="/kandidaten/{existing.pk}/"' in page
    assert Candidate.objects.count() == 1


def test_creating_next_to_a_confirmed_duplicate(logged_in):
    existing = CandidateFactory(email="sanne.devries@example.nl")
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(confirmed_duplicates=str(existing.pk)))
    assert response.status_code == 302 and Candidate.objects.count() == 2


def test_duplicate_in_a_track_the_recruiter_cannot_see_is_named_but_not_linked(logged_in):
    hidden = CandidateFactory(email="sanne.devries@example.nl", instroomspoor=track("nwt"))
    page = logged_in.post("/kandidaten/nieuw/", new_candidate()).content.decode()
    assert hidden.number in page and f'href="/kandidaten/{hidden.pk}/"' not in page


def test_recruiter_registers_only_in_their_own_tracks(logged_in):
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(instroomspoor=track("nwt").pk))
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Candidate.objects.exists()


def test_lichting_must_belong_to_the_candidates_track(logged_in):
    other = Lichting.objects.create(
        instroomspoor=track("nwt"),
        name="NWT 2026-1",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 6, 1),
        capacity=40,
    )
    response = logged_in.post("/kandidaten/nieuw/", new_candidate(lichting=other.pk))
    assert "Deze lichting hoort niet bij het instroomspoor" in response.content.decode()
