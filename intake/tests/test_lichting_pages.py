import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import LichtingPlacement

from .factories import CandidateFactory, LichtingFactory, logged_in, track

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def dienjaar_candidate():
    return CandidateFactory(instroomspoor=track("dienjaar"))


def place(candidate, lichting):
    services.candidate_place_in_lichting(
        candidate_id=candidate.pk, expected_version=candidate.version, lichting_id=lichting.pk, actor=None
    )


@pytest.mark.parametrize("lichtingen", [1, 6])
def test_the_overview_shows_places_filled_per_lichting_in_a_fixed_number_of_queries(
    client, dienjaar_recruiter, django_assert_num_queries, lichtingen
):
    for n in range(lichtingen):
        lichting = LichtingFactory(name=f"Dienjaar {n}", capacity=2)
        for _ in range(2 if n == 0 else 1):
            place(dienjaar_candidate(), lichting)
    client = logged_in(client, dienjaar_recruiter)
    # session, user, the user's own and group permissions (one query), the user's tracks, the start years, the
    # lichtingen with their fill
    with django_assert_num_queries(6):
        response = client.get(reverse("lichtingen:overview") + "?spoor=dienjaar")
    html = response.content.decode()
    assert "2 / 2" in html and '<span class="fill-badge">vol</span>' in html
    assert html.count("lichtingen/") >= lichtingen


def test_a_recruiter_sees_only_the_lichtingen_of_their_tracks(client, other_track_recruiter):
    LichtingFactory(name="Dienjaar geheim")
    LichtingFactory(name="NWT voorjaar", instroomspoor=track("nwt"))
    response = logged_in(client, other_track_recruiter).get(reverse("lichtingen:overview") + "?spoor=dienjaar")
    html = response.content.decode()
    assert "NWT voorjaar" in html and "Dienjaar geheim" not in html


@pytest.mark.parametrize("members", [1, 5])
def test_the_lichting_page_lists_who_is_in_it_in_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries, members
):
    lichting = LichtingFactory(capacity=10)
    candidates = [dienjaar_candidate() for _ in range(members)]
    for candidate in candidates:
        place(candidate, lichting)
    client = logged_in(client, manager)
    # session, user, the user's own and group permissions (one query), the tracks, the lichting with its fill,
    # the members with their start, the overbookings
    with django_assert_num_queries(7):
        response = client.get(reverse("lichtingen:detail", args=[lichting.pk]))
    html = response.content.decode()
    assert all(c.number in html for c in candidates)
    assert f"{members} / 10" in html


def test_another_tracks_lichting_is_not_found(client, other_track_recruiter):
    lichting = LichtingFactory()
    assert (
        logged_in(client, other_track_recruiter).get(reverse("lichtingen:detail", args=[lichting.pk])).status_code
        == 404
    )


def placement_url(candidate, next_url=""):
    return reverse("lichtingen:place", args=[candidate.pk]) + (f"?next={next_url}" if next_url else "")


def test_a_recruiter_places_a_candidate_and_returns_to_where_they_came_from(client, dienjaar_recruiter):
    lichting = LichtingFactory(name="Dienjaar september")
    candidate = dienjaar_candidate()
    back = f"/dienjaar/deelnemers/{candidate.pk}/"
    response = logged_in(client, dienjaar_recruiter).post(
        placement_url(candidate), {"lichting": lichting.pk, "version": candidate.version, "next": back}
    )
    assert response.status_code == 302 and response.url == back
    candidate.refresh_from_db()
    assert candidate.lichting == lichting


def test_a_full_lichting_is_refused_on_the_form_and_recruiters_get_no_override_field(client, dienjaar_recruiter):
    lichting = LichtingFactory(name="Dienjaar maart", capacity=1)
    place(dienjaar_candidate(), lichting)
    candidate = dienjaar_candidate()
    client = logged_in(client, dienjaar_recruiter)
    assert "override_reason" not in client.get(placement_url(candidate)).context["form"].fields
    response = client.post(placement_url(candidate), {"lichting": lichting.pk, "version": candidate.version})
    assert response.context["form"].errors["lichting"] == [
        "Lichting Dienjaar maart is vol: 1 van 1 plaatsen zijn bezet. "
        "Alleen een manager kan boven de capaciteit plaatsen."
    ]
    candidate.refresh_from_db()
    assert candidate.lichting is None


def test_a_manager_overrides_a_full_lichting_with_a_reason(client, manager):
    lichting = LichtingFactory(capacity=1)
    place(dienjaar_candidate(), lichting)
    candidate = dienjaar_candidate()
    client = logged_in(client, manager)
    response = client.post(placement_url(candidate), {"lichting": lichting.pk, "version": candidate.version})
    assert "Geef een reden" in response.context["form"].errors["override_reason"][0]
    client.post(
        placement_url(candidate),
        {"lichting": lichting.pk, "version": candidate.version, "override_reason": "Extra plek op verzoek KL"},
    )
    assert LichtingPlacement.objects.get(candidate=candidate).override_reason == "Extra plek op verzoek KL"
    detail = client.get(reverse("lichtingen:detail", args=[lichting.pk])).content.decode()
    assert "Extra plek op verzoek KL" in detail and "2 / 1" in detail


def test_an_outside_next_url_is_ignored(client, dienjaar_recruiter):
    lichting = LichtingFactory()
    candidate = dienjaar_candidate()
    response = logged_in(client, dienjaar_recruiter).post(
        placement_url(candidate),
        {"lichting": lichting.pk, "version": candidate.version, "next": "https://elders.example/"},
    )
    assert response.url == reverse("lichtingen:overview") + "?spoor=dienjaar"


def test_placement_is_not_for_tracks_without_lichtingen_nor_for_other_tracks(client, recruiter, other_track_recruiter):
    regular = CandidateFactory()
    assert logged_in(client, recruiter).get(placement_url(regular)).status_code == 404
    assert logged_in(client, other_track_recruiter).get(placement_url(dienjaar_candidate())).status_code == 404


def test_lichtingen_that_ended_are_not_offered(client, dienjaar_recruiter):
    LichtingFactory(
        name="Voorbij", start_date=TODAY - datetime.timedelta(days=400), end_date=TODAY - datetime.timedelta(days=1)
    )
    LichtingFactory(name="Komend")
    form = logged_in(client, dienjaar_recruiter).get(placement_url(dienjaar_candidate())).context["form"]
    assert [lichting.name for lichting in form.fields["lichting"].queryset] == ["Komend"]


@pytest.mark.parametrize(
    "data",
    [{}, {"version": "x", "lichting": "999999", "override_reason": "x" * 600}, {"version": "1", "lichting": "abc"}],
    ids=["empty", "unknown-lichting", "not-a-number"],
)
def test_bad_placement_input_is_answered_on_the_form(client, manager, data):
    candidate = dienjaar_candidate()
    response = logged_in(client, manager).post(placement_url(candidate), data)
    assert response.status_code == 200 and response.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.lichting is None
