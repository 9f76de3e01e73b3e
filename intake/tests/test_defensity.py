import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.choices import Destination, Status, Step
from intake.defensity import services
from intake.models import DefensityStudent, Doorstroom
from intake.pipeline import TransitionError

from .factories import CandidateFactory, logged_in, start_training, track, walk_to

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTED = TODAY - datetime.timedelta(days=800)


@pytest.fixture
def defensity_recruiter(recruiter):
    track("defensity").recruiters.add(recruiter)
    return recruiter


def working_student():
    candidate = CandidateFactory(instroomspoor=track("defensity"), applied_on=STARTED - datetime.timedelta(days=90))
    candidate = start_training(candidate, on=STARTED)
    candidate = walk_to(candidate, Step.AANSTELLING, on=STARTED + datetime.timedelta(days=60))
    services.defensity_save(
        candidate_id=candidate.pk,
        expected_version=0,
        actor=None,
        institution="TU Delft",
        study="Luchtvaart",
        level="wo",
    )
    return candidate


def page_url(candidate):
    return reverse("defensity:student", args=[candidate.pk])


def test_a_recruiter_records_the_study_of_a_werkstudent(client, defensity_recruiter):
    candidate = CandidateFactory(instroomspoor=track("defensity"))
    response = logged_in(client, defensity_recruiter).post(
        page_url(candidate),
        {"action": "gegevens", "version": 0, "institution": "Hogeschool Utrecht", "study": "HBO-ICT", "level": "hbo"},
        follow=True,
    )
    assert "De gegevens van de werkstudent zijn opgeslagen." in response.content.decode()
    assert DefensityStudent.objects.get(candidate=candidate).study == "HBO-ICT"


def test_mbo_is_not_a_defensity_level(client, defensity_recruiter):
    candidate = CandidateFactory(instroomspoor=track("defensity"))
    response = logged_in(client, defensity_recruiter).post(
        page_url(candidate),
        {"action": "gegevens", "version": 0, "institution": "ROC", "study": "Logistiek", "level": "mbo"},
    )
    assert "level" in response.context["forms"]["gegevens"].errors
    assert not DefensityStudent.objects.exists()


def test_ending_and_the_outcome_in_the_published_categories(client, defensity_recruiter):
    candidate = working_student()
    ended_on = TODAY - datetime.timedelta(days=3)
    client = logged_in(client, defensity_recruiter)
    client.post(page_url(candidate), {"action": "beeindigen", "version": 1, "completed_on": ended_on.isoformat()})
    candidate.refresh_from_db()
    response = client.post(
        page_url(candidate),
        {
            "action": "doorstroom",
            "version": candidate.version,
            "destination": Destination.BURGER_EN_RESERVIST,
            "decided_on": ended_on.isoformat(),
        },
        follow=True,
    )
    assert "Burger en reservist" in response.content.decode()
    assert DefensityStudent.objects.get(candidate=candidate).ended_on == ended_on
    doorstroom = Doorstroom.objects.get(candidate=candidate)
    assert (doorstroom.destination, doorstroom.decided_on) == (Destination.BURGER_EN_RESERVIST, ended_on)
    candidate.refresh_from_db()
    assert candidate.status == Status.IN_DIENST


def test_the_end_cannot_lie_before_the_start():
    candidate = working_student()
    with pytest.raises(TransitionError, match="niet zijn afgerond vóór de start"):
        services.defensity_end(
            candidate_id=candidate.pk, expected_version=1, actor=None, ended_on=STARTED - datetime.timedelta(days=1)
        )


def test_the_candidate_page_shows_the_werkstudent(client, recruiter, manager):
    candidate = working_student()
    html = logged_in(client, manager).get(reverse("intake:candidate_detail", args=[candidate.pk])).content.decode()
    assert "TU Delft" in html and "Loopt" in html and "Defensity College bekijken" in html
