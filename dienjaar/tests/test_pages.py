import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dienjaar.models import DienjaarDeelname
from intake.choices import Destination, Status, Step, TransitionKind
from intake.models import Candidate, Doorstroom
from intake.tests.factories import CandidateFactory, branch, logged_in, reason, start_training, track, walk_to

from .factories import DienjaarFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page_url(candidate):
    return reverse("dienjaar:deelnemer", args=[candidate.pk])


def appointed_participant(*, started=TODAY - datetime.timedelta(days=300)):
    deelname = DienjaarFactory(applied_on=started - datetime.timedelta(days=120), desired_start=started)
    candidate = start_training(deelname.candidate, on=started)
    return walk_to(candidate, Step.AANSTELLING, on=started + datetime.timedelta(days=90))


def registration(**overrides):
    return {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "birth_date": "2006-04-02",
        "email": "sanne@example.nl",
        "phone": "0612345678",
        "postcode": "3511 AB",
        "gender": "vrouw",
        "krijgsmachtdeel": branch("KL").pk,
        "source": "website",
        "application_type": "open",
        "applied_on": TODAY.isoformat(),
        "variant": "regulier",
        "desired_start": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "work_experience_years": "0",
        "expertise": "",
        "action": "aanmelden",
        **overrides,
    }


def test_a_recruiter_registers_a_dienjaar_candidate_with_its_data(client, dienjaar_recruiter):
    response = logged_in(client, dienjaar_recruiter).post(reverse("dienjaar:register"), registration())
    deelname = DienjaarDeelname.objects.select_related("candidate").get()
    assert response.status_code == 302 and response.url == page_url(deelname.candidate)
    assert (deelname.candidate.last_name, deelname.variant) == ("de Vries", "regulier")
    assert deelname.candidate.events.get().actor == dienjaar_recruiter


def test_registering_someone_too_old_shows_why_on_the_form_and_saves_nothing(client, dienjaar_recruiter):
    response = logged_in(client, dienjaar_recruiter).post(
        reverse("dienjaar:register"), registration(birth_date="1990-01-01")
    )
    assert response.status_code == 200
    assert "Niet toelaatbaar tot het regulier Dienjaar" in response.context["form"].errors["birth_date"][0]
    assert "Het specialistisch Dienjaar kan wel" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_possible_duplicate_is_shown_before_registering(client, dienjaar_recruiter):
    existing = CandidateFactory(email="sanne@example.nl")
    client = logged_in(client, dienjaar_recruiter)
    response = client.post(reverse("dienjaar:register"), registration())
    assert "Bestaat deze kandidaat al?" in response.content.decode()
    assert not DienjaarDeelname.objects.exists()
    response = client.post(reverse("dienjaar:register"), registration(confirmed_duplicates=str(existing.pk)))
    assert response.status_code == 302 and DienjaarDeelname.objects.count() == 1


def test_only_dienjaar_recruiters_register(client, recruiter):
    assert logged_in(client, recruiter).get(reverse("dienjaar:register")).status_code == 403


@pytest.mark.parametrize(
    ("start", "shown"),
    [(datetime.date(2025, 12, 31), "Reservist"), (datetime.date(2026, 1, 1), "Tijdelijk beroepsmilitair")],
    ids=["31-12-2025", "01-01-2026"],
)
def test_the_page_shows_the_appointment_type_of_the_start_date(client, dienjaar_recruiter, start, shown):
    candidate = appointed_participant(started=start)
    response = logged_in(client, dienjaar_recruiter).get(page_url(candidate))
    assert response.context["participant"].appointment_type.label == shown
    assert f"Aangesteld als: <strong>{shown}</strong>" in response.content.decode()


def test_completing_the_year_and_leaving_defensie_ends_the_service(client, dienjaar_recruiter):
    candidate = appointed_participant()
    client = logged_in(client, dienjaar_recruiter)
    completed_on = TODAY - datetime.timedelta(days=10)
    response = client.post(
        page_url(candidate), {"action": "voltooien", "version": 1, "completed_on": completed_on.isoformat()}
    )
    assert response.status_code == 302
    assert DienjaarDeelname.objects.get(candidate=candidate).completed_on == completed_on

    candidate.refresh_from_db()
    response = client.post(
        page_url(candidate),
        {
            "action": "doorstroom",
            "version": candidate.version,
            "destination": Destination.VERTROKKEN,
            "decided_on": completed_on.isoformat(),
        },
        follow=True,
    )
    assert "De doorstroom is vastgelegd." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == Status.UITGESTROOMD
    last = candidate.events.order_by("-sequence").first()
    assert (last.kind, last.reason.code, last.occurred_at) == (
        TransitionKind.UITSTROOM,
        "uts-einde-contract",
        completed_on,
    )
    assert Doorstroom.objects.get(candidate=candidate).destination == Destination.VERTROKKEN


def test_doorstroom_before_the_year_was_completed_is_refused_with_the_reason(client, dienjaar_recruiter):
    candidate = appointed_participant()
    DienjaarDeelname.objects.filter(candidate=candidate).update(completed_on=TODAY - datetime.timedelta(days=5))
    response = logged_in(client, dienjaar_recruiter).post(
        page_url(candidate),
        {
            "action": "doorstroom",
            "version": candidate.version,
            "destination": Destination.BEROEPSMILITAIR,
            "decided_on": (TODAY - datetime.timedelta(days=6)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["forms"]["doorstroom"].errors["decided_on"] == [
        "De doorstroom kan niet vóór de afronding van het traject (%s) liggen."
        % (TODAY - datetime.timedelta(days=5)).strftime("%d-%m-%Y")
    ]
    assert not Doorstroom.objects.exists()


def test_stopping_during_the_training_is_a_drop_out_with_its_reason(client, dienjaar_recruiter):
    started = TODAY - datetime.timedelta(days=20)
    candidate = start_training(DienjaarFactory(applied_on=started - datetime.timedelta(days=60)).candidate, on=started)
    response = logged_in(client, dienjaar_recruiter).post(
        page_url(candidate),
        {
            "action": "stoppen",
            "version": candidate.version,
            "stopped_on": TODAY.isoformat(),
            "reason": reason("uit-blessure").pk,
        },
        follow=True,
    )
    assert "Voortijdig gestopt" in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.status, candidate.events.order_by("-sequence").first().reason.code) == (
        Status.UITGEVALLEN,
        "uit-blessure",
    )


def test_changing_the_data_is_checked_against_the_start_and_explained(client, dienjaar_recruiter):
    deelname = DienjaarFactory(
        birth_date=datetime.date(1990, 1, 1), variant="specialistisch", work_experience_years=5, expertise="ICT"
    )
    response = logged_in(client, dienjaar_recruiter).post(
        page_url(deelname.candidate),
        {
            "action": "gegevens",
            "version": deelname.version,
            "variant": "specialistisch",
            "desired_start": deelname.desired_start.isoformat(),
            "work_experience_years": 2,
            "expertise": "ICT",
        },
    )
    assert "minstens 3 jaar werkervaring nodig, de kandidaat heeft 2 jaar" in response.content.decode()
    deelname.refresh_from_db()
    assert deelname.work_experience_years == 5


def test_a_stale_edit_is_refused_and_the_current_data_shown(client, dienjaar_recruiter):
    deelname = DienjaarFactory()
    data = {
        "action": "gegevens",
        "version": deelname.version,
        "variant": "regulier",
        "desired_start": deelname.desired_start.isoformat(),
        "work_experience_years": 1,
        "expertise": "",
    }
    client = logged_in(client, dienjaar_recruiter)
    client.post(page_url(deelname.candidate), data)
    response = client.post(page_url(deelname.candidate), {**data, "work_experience_years": 4}, follow=True)
    assert "intussen door iemand anders gewijzigd" in response.content.decode()
    deelname.refresh_from_db()
    assert (deelname.work_experience_years, deelname.version) == (1, 2)


def test_a_manager_reads_the_page_but_cannot_change_it(client, manager):
    deelname = DienjaarFactory()
    client = logged_in(client, manager)
    response = client.get(page_url(deelname.candidate))
    assert response.status_code == 200 and response.context["forms"] == {}
    assert client.post(page_url(deelname.candidate), {"action": "gegevens"}).status_code == 403


def test_a_recruiter_of_another_track_does_not_find_the_participant(client, other_track_recruiter):
    deelname = DienjaarFactory()
    assert logged_in(client, other_track_recruiter).get(page_url(deelname.candidate)).status_code == 404


def test_the_candidate_page_shows_the_dienjaar_and_links_to_its_page(client, dienjaar_recruiter):
    candidate = appointed_participant(started=datetime.date(2026, 1, 1))
    response = logged_in(client, dienjaar_recruiter).get(reverse("intake:candidate_detail", args=[candidate.pk]))
    html = response.content.decode()
    assert "Tijdelijk beroepsmilitair" in html
    assert f'href="{page_url(candidate)}"' in html and "Dienjaar bijwerken" in html


def test_completing_the_year_without_dienjaar_data_asks_for_it_first(client, dienjaar_recruiter):
    started = TODAY - datetime.timedelta(days=300)
    candidate = CandidateFactory(instroomspoor=track("dienjaar"), applied_on=started - datetime.timedelta(days=90))
    candidate = walk_to(
        start_training(candidate, on=started), Step.AANSTELLING, on=started + datetime.timedelta(days=90)
    )
    response = logged_in(client, dienjaar_recruiter).post(
        page_url(candidate), {"action": "voltooien", "version": 0, "completed_on": TODAY.isoformat()}
    )
    assert response.context["forms"]["voltooien"].non_field_errors() == ["Vul eerst de gegevens van dit traject in."]
    assert not DienjaarDeelname.objects.exists()


@pytest.mark.parametrize("action", ["gegevens", "voltooien", "stoppen", "doorstroom", "onbekend", ""])
@pytest.mark.parametrize(
    "data",
    [{}, {"version": "x", "completed_on": "gisteren", "reason": "999999", "destination": "nergens", "variant": "?"}],
    ids=["empty", "garbage"],
)
def test_bad_input_on_any_form_is_answered_without_a_server_error(client, dienjaar_recruiter, action, data):
    candidate = appointed_participant()
    version = candidate.version
    response = logged_in(client, dienjaar_recruiter).post(page_url(candidate), {"action": action, **data})
    assert response.status_code in (200, 302)
    candidate.refresh_from_db()
    assert candidate.version == version
