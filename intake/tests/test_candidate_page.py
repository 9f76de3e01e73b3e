"""The candidate page: its data, timeline and notes, the transition forms, and conflicts with other users."""

import datetime

import pytest

from intake import services
from intake.choices import Phase, Status, Step, TransitionKind, Verdict
from intake.models import Candidate

from .factories import CandidateFactory, UserFactory, reason, track
from .test_transitions import advance_to, move

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def logged_in(client, recruiter):
    client.force_login(recruiter)
    return client


def post_transition(client, candidate, kind, *, version=None, next_url=None, follow=True, headers=None, **fields):
    """Submits the transition form of `kind` as the page would; `headers` make it an htmx request."""
    data = {
        "kind": kind,
        f"{kind}-version": candidate.version if version is None else version,
        f"{kind}-occurred_at": TODAY.isoformat(),
        **{f"{kind}-{name}": value for name, value in fields.items()},
    }
    if next_url:
        data["next"] = next_url
    return client.post(f"/kandidaten/{candidate.pk}/overgang/", data, follow=follow, headers=headers)


def test_page_shows_data_timeline_notes_and_only_the_allowed_transitions(logged_in, recruiter):
    candidate = advance_to(CandidateFactory(first_name="Sanne", recruiter=recruiter), Step.SPORTTEST)
    services.candidate_note_add(candidate_id=candidate.pk, author=recruiter, text="Belt maandag terug.")
    response = logged_in.get(f"/kandidaten/{candidate.pk}/")
    page = response.content.decode()
    assert "Sanne" in page and candidate.email in page and "Belt maandag terug." in page
    kinds = [form.kind for form in response.context["transition_forms"]]
    assert kinds == [
        TransitionKind.DOORZETTEN,
        TransitionKind.UITSLAG,
        TransitionKind.AFWIJZING,
        TransitionKind.TERUGTREKKING,
    ]
    assert len(response.context["timeline"]) == 4


def test_reasons_offered_are_the_active_ones_valid_in_the_current_phase(logged_in):
    candidate = advance_to(CandidateFactory(), Step.MEDISCHE_KEURING)
    forms = {form.kind: form for form in logged_in.get(f"/kandidaten/{candidate.pk}/").context["transition_forms"]}
    rejection = [label for value, label in forms[TransitionKind.AFWIJZING].fields["reason"].choices if value]
    assert rejection == ["Geen verklaring van geen bezwaar (veiligheidsonderzoek)", "Medische keuring: ongeschikt"]
    withdrawal = {label for value, label in forms[TransitionKind.TERUGTREKKING].fields["reason"].choices if value}
    assert "Procedure duurde te lang" in withdrawal and "Startdatum opleiding te ver weg" not in withdrawal


def test_moving_on_from_an_examination_records_the_verdict(logged_in, recruiter):
    candidate = advance_to(CandidateFactory(), Step.SPORTTEST)
    response = post_transition(logged_in, candidate, TransitionKind.DOORZETTEN, verdict=Verdict.GESCHIKT)
    assert "doorzetten naar volgende stap vastgelegd. Nu: Keuring, medische keuring" in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.phase, candidate.step) == (Phase.KEURING, Step.MEDISCHE_KEURING)
    event = candidate.events.order_by("-sequence").first()
    assert (event.verdict, event.actor) == (Verdict.GESCHIKT, recruiter)


def test_rejection_without_a_reason_is_refused_at_the_field(logged_in):
    candidate = CandidateFactory()
    response = post_transition(logged_in, candidate, TransitionKind.AFWIJZING)
    page = response.content.decode()
    assert "Dit veld is vereist." in page and "De overgang is niet vastgelegd" in page
    assert Candidate.objects.get(pk=candidate.pk).status == Status.LOPEND


def test_rejection_with_a_reason_appears_in_the_timeline(logged_in):
    candidate = CandidateFactory()
    response = post_transition(
        logged_in, candidate, TransitionKind.AFWIJZING, reason=reason("afw-geen-passende-functie").pk, note="Te vroeg"
    )
    assert Candidate.objects.get(pk=candidate.pk).status == Status.AFGEWEZEN
    timeline = response.content.decode().split('class="timeline"')[1]
    assert "Geen passende functie beschikbaar" in timeline and "Te vroeg" in timeline


def test_a_refusal_of_the_chain_is_shown_at_its_field(logged_in):
    candidate = CandidateFactory()
    before = candidate.applied_on - datetime.timedelta(days=3)
    response = post_transition(logged_in, candidate, TransitionKind.DOORZETTEN, occurred_at=before.isoformat())
    assert "De ingangsdatum mag niet vóór de vorige statuswijziging" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).version == 1


def test_stale_transition_shows_the_current_state_and_writes_nothing(logged_in):
    candidate = CandidateFactory()
    seen_version = candidate.version
    move(candidate, TransitionKind.DOORZETTEN)  # a colleague moves the candidate meanwhile
    response = post_transition(
        logged_in, candidate, TransitionKind.AFWIJZING, version=seen_version, reason=reason("afw-niet-aan-eisen").pk
    )
    page = response.content.decode()
    assert "intussen door iemand anders gewijzigd" in page and "Intussen gewijzigd" in page
    assert "Laatste wijziging: Doorzetten naar volgende stap, door het systeem" in page
    assert "Oriëntatiegesprek" in page
    candidate.refresh_from_db()
    assert (candidate.status, candidate.events.count()) == (Status.LOPEND, 2)
    # The user's choice is kept, with the current version, for a deliberate second try.
    kept = next(f for f in response.context["transition_forms"] if f.kind == TransitionKind.AFWIJZING)
    assert kept.is_bound and kept["version"].value() == str(candidate.version)


def test_htmx_transition_answers_with_the_candidate_fragment_and_its_messages(logged_in):
    candidate = CandidateFactory()
    response = post_transition(
        logged_in, candidate, TransitionKind.DOORZETTEN, headers={"HX-Request": "true", "HX-Target": "kandidaat"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'hx-swap-oob="true"' in page and "vastgelegd" in page


def test_transition_from_the_board_panel_sends_the_browser_back_to_the_board(logged_in):
    candidate = CandidateFactory()
    response = post_transition(
        logged_in,
        candidate,
        TransitionKind.DOORZETTEN,
        next_url="/kandidaten/bord/?phase=werving",
        headers={"HX-Request": "true", "HX-Target": "board-panel"},
    )
    assert response["HX-Redirect"] == "/kandidaten/bord/?phase=werving"


def test_next_pointing_elsewhere_is_ignored(logged_in):
    candidate = CandidateFactory()
    response = post_transition(
        logged_in, candidate, TransitionKind.DOORZETTEN, next_url="https://evil.example/", follow=False
    )
    assert response["Location"] == f"/kandidaten/{candidate.pk}/"


def test_note_is_added_with_its_author(logged_in, recruiter):
    candidate = CandidateFactory()
    response = logged_in.post(f"/kandidaten/{candidate.pk}/notities/", {"text": "Intake gepland"}, follow=True)
    assert "Notitie toegevoegd." in response.content.decode()
    note = candidate.notes.get()
    assert (note.text, note.author) == ("Intake gepland", recruiter)


def test_empty_note_is_refused(logged_in):
    candidate = CandidateFactory()
    response = logged_in.post(f"/kandidaten/{candidate.pk}/notities/", {"text": "  "})
    assert "Dit veld is vereist." in response.content.decode() and not candidate.notes.exists()


def edit_data(candidate, **changes):
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "birth_date": candidate.birth_date.isoformat(),
        "email": candidate.email,
        "phone": candidate.phone,
        "postcode": candidate.postcode,
        "gender": candidate.gender,
        "krijgsmachtdeel": candidate.krijgsmachtdeel_id,
        "application_type": candidate.application_type,
        "function_title": candidate.function_title,
        "source": candidate.source,
        "recruiter": candidate.recruiter_id or "",
        "lichting": "",
        "version": candidate.version,
    }
    return {**data, **changes}


def test_edit_saves_changes_through_the_service(logged_in):
    candidate = CandidateFactory()
    response = logged_in.post(f"/kandidaten/{candidate.pk}/wijzigen/", edit_data(candidate, postcode="1234ab"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.postcode, candidate.version) == ("1234 AB", 2)


def test_edit_conflict_shows_what_changed_and_keeps_the_users_input(logged_in):
    candidate = CandidateFactory(phone="0611111111")
    form = edit_data(candidate, phone="0622222222")
    services.candidate_update(candidate_id=candidate.pk, expected_version=1, actor=None, phone="0633333333")
    response = logged_in.post(f"/kandidaten/{candidate.pk}/wijzigen/", form)
    page = response.content.decode()
    assert "Intussen gewijzigd" in page and "0633333333" in page and 'value="0622222222"' in page
    assert Candidate.objects.get(pk=candidate.pk).phone == "0633333333"
    # Saving again, now knowingly, overwrites.
    response = logged_in.post(f"/kandidaten/{candidate.pk}/wijzigen/", {**form, "version": 2})
    assert Candidate.objects.get(pk=candidate.pk).phone == "0622222222"


def test_candidate_page_stays_within_ten_queries(logged_in, recruiter, django_assert_max_num_queries):
    candidate = advance_to(CandidateFactory(recruiter=recruiter), Step.MEDISCHE_KEURING)
    services.candidate_note_add(candidate_id=candidate.pk, author=recruiter, text="Notitie")
    # session, user, the candidate with track, branch, recruiter, lichting and the date it entered its phase,
    # permissions of the user and of its groups (one query), the user's regions, the audit row for this view, the
    # reasons for the transition forms, the timeline with actors and reasons, the notes with authors
    with django_assert_max_num_queries(10):
        logged_in.get(f"/kandidaten/{candidate.pk}/")


def test_edit_is_not_blocked_by_a_recruiter_who_has_left_the_track_since(logged_in, recruiter):
    candidate = CandidateFactory(recruiter=recruiter)
    track("beroeps").recruiters.remove(recruiter)
    track("reservist").recruiters.add(recruiter)
    candidate.instroomspoor.recruiters.add(UserFactory(username="opvolger"))
    logged_in.force_login(UserFactory(username="beheer", is_superuser=True))
    response = logged_in.post(f"/kandidaten/{candidate.pk}/wijzigen/", edit_data(candidate, phone="0699999999"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.recruiter) == ("0699999999", recruiter)
