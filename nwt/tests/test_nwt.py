import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.choices import Destination, Phase, Status, Step, TransitionKind
from intake.models import Doorstroom
from intake.pipeline import TransitionError
from intake.tests.factories import (
    CandidateFactory,
    logged_in,
    place_in_new_lichting,
    reason,
    start_training,
    track,
    walk_to,
)
from nwt import services
from nwt.choices import Participation
from nwt.models import NwtDeelname

from .factories import NwtDeelnameFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTED = TODAY - datetime.timedelta(days=100)


def nwt_candidate(**kwargs):
    return CandidateFactory(instroomspoor=track("nwt"), applied_on=STARTED - datetime.timedelta(days=60), **kwargs)


def in_training(school=None):
    candidate = start_training(nwt_candidate(), on=STARTED)
    NwtDeelnameFactory(candidate=candidate, **({"school": school} if school else {}))
    return candidate


def complete(candidate, *, completed_on=TODAY, **outcome):
    return services.nwt_complete(
        candidate_id=candidate.pk, expected_version=candidate.version, actor=None, completed_on=completed_on, **outcome
    )


def page_url(candidate):
    return reverse("nwt:deelnemer", args=[candidate.pk])


def test_a_minor_or_keuzedeel_needs_a_partner_school(client, other_track_recruiter):
    candidate = nwt_candidate()
    response = logged_in(client, other_track_recruiter).post(
        page_url(candidate), {"action": "gegevens", "version": 0, "participation": Participation.KEUZEDEEL}
    )
    assert response.context["forms"]["gegevens"].errors["school"] == [
        "Een keuzedeel volgt de deelnemer via een partnerschool: kies de school."
    ]
    assert not NwtDeelname.objects.exists()


def test_a_recruiter_records_school_and_form_of_participation(client, other_track_recruiter):
    candidate = nwt_candidate()
    school = SchoolFactory(name="ROC Midden Nederland")
    response = logged_in(client, other_track_recruiter).post(
        page_url(candidate),
        {"action": "gegevens", "version": 0, "participation": Participation.KEUZEDEEL, "school": school.pk},
        follow=True,
    )
    assert "De NWT-gegevens zijn opgeslagen." in response.content.decode()
    deelname = NwtDeelname.objects.get(candidate=candidate)
    assert (deelname.school, deelname.participation, deelname.version) == (school, Participation.KEUZEDEEL, 1)


def test_flexible_participation_needs_no_school():
    deelname = services.nwt_save(
        candidate_id=nwt_candidate().pk,
        expected_version=0,
        actor=None,
        participation=Participation.FLEXIBEL,
        school=None,
    )
    assert deelname.school is None


def test_the_nwt_training_starts_in_a_lichting():
    candidate = walk_to(nwt_candidate(), Step.VEILIGHEIDSONDERZOEK)
    with pytest.raises(TransitionError, match="Plaats de kandidaat eerst in een lichting"):
        walk_to(candidate, Step.INITIELE_OPLEIDING, on=STARTED)
    place_in_new_lichting(candidate, starts_on=STARTED)
    assert walk_to(candidate, Step.INITIELE_OPLEIDING, on=STARTED).phase == Phase.OPLEIDING


def test_completing_with_appointment_appoints_the_reservist_with_unit(client, other_track_recruiter):
    candidate = in_training()
    response = logged_in(client, other_track_recruiter).post(
        page_url(candidate),
        {
            "action": "afronden",
            "version": candidate.version,
            "completed_on": TODAY.isoformat(),
            "appointed": "ja",
            "unit": "45 Painfbat",
        },
        follow=True,
    )
    assert "Aangesteld als reservist" in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.step, candidate.status) == (Step.AANSTELLING, Status.IN_DIENST)
    assert Doorstroom.objects.get(candidate=candidate).destination == Destination.RESERVIST
    deelname = NwtDeelname.objects.get(candidate=candidate)
    assert (deelname.completed_on, deelname.unit) == (TODAY, "45 Painfbat")


def test_completing_without_appointment_closes_the_candidate_with_its_reason():
    candidate = in_training()
    complete(candidate, appointed=False, reason=reason("trk-andere-baan"))
    candidate.refresh_from_db()
    last = candidate.events.order_by("-sequence").first()
    assert (candidate.status, last.kind, last.reason.code) == (
        Status.TERUGGETROKKEN,
        TransitionKind.TERUGTREKKING,
        "trk-andere-baan",
    )
    assert Doorstroom.objects.get(candidate=candidate).destination == Destination.VERTROKKEN


def test_not_appointed_without_a_reason_is_refused_and_writes_nothing():
    candidate = in_training()
    with pytest.raises(TransitionError, match="Kies waarom de deelnemer niet als reservist wordt aangesteld"):
        complete(candidate, appointed=False)
    candidate.refresh_from_db()
    assert candidate.status == Status.LOPEND and not Doorstroom.objects.exists()
    assert NwtDeelname.objects.get(candidate=candidate).completed_on is None


def test_completion_before_the_start_is_refused():
    candidate = in_training()
    with pytest.raises(TransitionError, match="tussen de start"):
        complete(candidate, completed_on=STARTED - datetime.timedelta(days=1), appointed=True)


@pytest.mark.parametrize("schools", [1, 3])
def test_the_school_overview_counts_candidates_started_completed_and_appointed(
    client, manager, django_assert_num_queries, schools
):
    first = SchoolFactory(name="Hogeschool Arnhem")
    for n in range(1, schools):
        SchoolFactory(name=f"School {n}")
    NwtDeelnameFactory(candidate=nwt_candidate(), school=first)
    in_training(school=first)
    appointed = in_training(school=first)
    complete(appointed, appointed=True)
    client = logged_in(client, manager)
    # session, user, the user's permissions (own and of groups, one query), the tracks the user sees, the schools
    # with their counts
    with django_assert_num_queries(5):
        response = client.get(reverse("nwt:schools"))
    row = next(s for s in response.context["schools"] if s.name == "Hogeschool Arnhem")
    assert (row.candidates, row.started, row.completed, row.appointed) == (3, 2, 1, 1)
    assert len(response.context["schools"]) == schools


def test_the_school_overview_can_be_limited_to_a_lichting_year(client, manager):
    school = SchoolFactory()
    in_training(school=school)
    other_year = STARTED.year - 1
    response = logged_in(client, manager).get(reverse("nwt:schools") + f"?jaar={other_year}")
    assert response.context["schools"].get(pk=school.pk).candidates == 0
    response = client.get(reverse("nwt:schools") + f"?jaar={STARTED.year}")
    assert response.context["schools"].get(pk=school.pk).started == 1


def test_the_school_overview_is_not_for_recruiters_of_other_tracks(client, dienjaar_recruiter):
    assert logged_in(client, dienjaar_recruiter).get(reverse("nwt:schools")).status_code == 403


@pytest.mark.parametrize("action", ["gegevens", "afronden"])
def test_bad_input_is_answered_on_the_form(client, other_track_recruiter, action):
    candidate = in_training()
    garbage = {"action": action, "version": "x", "school": "999999", "participation": "?", "appointed": "misschien"}
    response = logged_in(client, other_track_recruiter).post(page_url(candidate), garbage)
    assert response.status_code == 200 and response.context["forms"][action].errors


def test_the_candidate_page_shows_the_nwt_school(client, other_track_recruiter):
    candidate = in_training(school=SchoolFactory(name="Hogeschool Utrecht"))
    html = logged_in(client, other_track_recruiter).get(reverse("intake:candidate_detail", args=[candidate.pk]))
    assert "Hogeschool Utrecht" in html.content.decode() and "NWT bijwerken" in html.content.decode()
