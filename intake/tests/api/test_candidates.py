import datetime
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from intake import services
from intake.api import docs
from intake.choices import Phase, Status, Step, TransitionKind, Verdict
from intake.models import Candidate
from intake.tests.factories import CandidateFactory, bearer, branch, reason, track

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "/api/v1/candidates"


def detail(candidate):
    return f"{LIST}/{candidate.pk}"


def new_candidate(**overrides):
    """The registration example of the API documentation, applied three days ago."""
    return {**docs.REGISTRATION, "applied_on": str(TODAY - datetime.timedelta(days=3)), **overrides}


def test_list_shows_candidates_with_their_state_newest_application_first(client, read_token):
    older = CandidateFactory(applied_on=TODAY - datetime.timedelta(days=30))
    newer = CandidateFactory(applied_on=TODAY - datetime.timedelta(days=2))
    response = client.get(LIST, **bearer(read_token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["number"] for row in body["results"]] == [newer.number, older.number]
    first = body["results"][0]
    assert (first["instroomspoor"], first["krijgsmachtdeel"]) == ("beroeps", "KL")
    assert (first["phase"], first["step"], first["status"], first["version"]) == ("werving", "aanmelding", "lopend", 1)


@pytest.mark.parametrize("rows", [3, 12])
def test_list_takes_a_fixed_number_of_queries(client, read_token, django_assert_num_queries, rows):
    for _ in range(rows):
        CandidateFactory()
    client.get(LIST, **bearer(read_token))  # the first call notes the token's use; later ones do not write
    # 1 token with its owner, 2 the owner's permissions, own and through groups (sees all tracks?), 3 count,
    # 4 the page with track and branch
    with django_assert_num_queries(4):
        response = client.get(LIST, **bearer(read_token))
    assert len(response.json()["results"]) == rows


def test_list_filters_with_the_candidate_filterset(client, read_token):
    keuring = CandidateFactory(krijgsmachtdeel=branch("KM"))
    CandidateFactory(instroomspoor=track("nwt"))
    response = client.get(LIST, {"krijgsmachtdeel": "KM", "instroomspoor": "beroeps"}, **bearer(read_token))
    assert [row["id"] for row in response.json()["results"]] == [keuring.pk]


def test_search_takes_its_term_in_the_body_and_the_filters_in_the_query_string(client, read_token):
    sanne = CandidateFactory(first_name="Sanne", last_name="de Vries", krijgsmachtdeel=branch("KM"))
    CandidateFactory(first_name="Sanne", last_name="de Vries")
    CandidateFactory(first_name="Piet", last_name="de Vries", krijgsmachtdeel=branch("KM"))
    response = client.post(
        f"{LIST}/search?krijgsmachtdeel=KM", {"q": "sanne vries"}, content_type="application/json", **bearer(read_token)
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [sanne.pk]
    by_number = client.post(
        f"{LIST}/search", {"q": sanne.number}, content_type="application/json", **bearer(read_token)
    )
    assert [row["id"] for row in by_number.json()["results"]] == [sanne.pk]


def test_a_search_term_in_the_url_is_refused_so_it_never_reaches_a_log(client, read_token):
    CandidateFactory(last_name="de Vries")
    response = client.get(LIST, {"q": "de Vries"}, **bearer(read_token))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "search_term_in_url" and set(body["fields"]) == {"q"}
    assert "POST /api/v1/candidates/search" in body["fields"]["q"][0]
    assert (
        client.post(
            f"{LIST}/search?q=x", {"q": "de Vries"}, content_type="application/json", **bearer(read_token)
        ).status_code
        == 400
    )


def test_search_needs_a_term_and_pages_like_the_list(client, read_token):
    for _ in range(3):
        CandidateFactory(last_name="de Vries")
    empty = client.post(f"{LIST}/search", {}, content_type="application/json", **bearer(read_token))
    assert empty.status_code == 400 and set(empty.json()["fields"]) == {"q"}
    first = client.post(
        f"{LIST}/search?page_size=2", {"q": "vries"}, content_type="application/json", **bearer(read_token)
    ).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert "vries" not in first["next"].lower()
    second = client.post(first["next"], {"q": "vries"}, content_type="application/json", **bearer(read_token))
    assert len(second.json()["results"]) == 1


def test_invalid_filter_values_are_a_field_level_400(client, read_token):
    response = client.get(LIST, {"phase": "vakantie", "applied_after": "gisteren"}, **bearer(read_token))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"phase", "applied_after"}


def test_pages_and_ordering(client, read_token):
    names = ["Bakker", "Jansen", "Visser", "Smit", "de Boer"]
    for name in names:
        CandidateFactory(last_name=name)
    first = client.get(LIST, {"ordering": "last_name", "page_size": 2}, **bearer(read_token)).json()
    second = client.get(first["next"], **bearer(read_token)).json()
    assert first["count"] == 5
    assert [row["last_name"] for row in first["results"] + second["results"]] == sorted(names)[:4]


def test_unknown_ordering_field_is_refused_with_the_fields_that_can_be_used(client, read_token):
    response = client.get(LIST, {"ordering": "birth_date"}, **bearer(read_token))
    assert response.status_code == 400
    assert "applied_on" in response.json()["fields"]["ordering"][0]


def test_page_past_the_end_is_404(client, read_token):
    CandidateFactory()
    response = client.get(LIST, {"page": 5}, **bearer(read_token))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_retrieve_answers_304_while_the_candidate_is_unchanged(client, write_token):
    candidate = CandidateFactory()
    first = client.get(detail(candidate), **bearer(write_token))
    assert first.status_code == 200 and first.json()["number"] == candidate.number
    assert first["ETag"] and first["Last-Modified"]

    again = client.get(detail(candidate), HTTP_IF_NONE_MATCH=first["ETag"], **bearer(write_token))
    assert again.status_code == 304 and again.content == b""
    since = client.get(detail(candidate), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], **bearer(write_token))
    assert since.status_code == 304

    client.patch(
        detail(candidate), {"version": 1, "phone": "0687654321"}, content_type="application/json", **bearer(write_token)
    )
    changed = client.get(detail(candidate), HTTP_IF_NONE_MATCH=first["ETag"], **bearer(write_token))
    assert changed.status_code == 200 and changed.json()["phone"] == "0687654321"
    assert changed["ETag"] != first["ETag"]


def test_create_registers_through_the_service_with_the_first_event(client, write_token, manager):
    response = client.post(LIST, new_candidate(), content_type="application/json", **bearer(write_token))
    assert response.status_code == 201
    body = response.json()
    assert (body["phase"], body["step"], body["status"], body["version"]) == ("werving", "aanmelding", "lopend", 1)
    assert response["Location"].endswith(f"{LIST}/{body['id']}")
    candidate = Candidate.objects.get(pk=body["id"])
    event = candidate.events.get()
    assert (event.kind, event.actor) == (TransitionKind.AANMELDING, manager)


def test_create_ignores_phase_fields_and_reports_bad_fields(client, write_token):
    response = client.post(
        LIST,
        new_candidate(email="geen-adres", postcode="12", krijgsmachtdeel="XX", phase="aangesteld"),
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "postcode", "krijgsmachtdeel"}
    assert not Candidate.objects.exists()

    ignored = client.post(
        LIST, new_candidate(phase="aangesteld"), content_type="application/json", **bearer(write_token)
    )
    assert ignored.status_code == 201 and ignored.json()["phase"] == Phase.WERVING


def test_create_with_a_future_application_date_names_the_field(client, write_token):
    response = client.post(
        LIST,
        new_candidate(applied_on=str(TODAY + datetime.timedelta(days=1))),
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "date_in_future"
    assert "toekomst" in response.json()["fields"]["applied_on"][0]


def test_update_changes_details_and_answers_409_on_a_stale_version(client, write_token):
    candidate = CandidateFactory()
    response = client.patch(
        detail(candidate), {"version": 1, "phone": "0687654321"}, content_type="application/json", **bearer(write_token)
    )
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["version"]) == ("0687654321", 2)

    stale = client.patch(
        detail(candidate), {"version": 1, "phone": "0611111111"}, content_type="application/json", **bearer(write_token)
    )
    assert stale.status_code == 409
    body = stale.json()
    assert (body["code"], body["current_version"]) == ("stale_version", 2)
    assert "gewijzigd" in body["detail"]
    candidate.refresh_from_db()
    assert candidate.phone == "0687654321"


def test_update_cannot_touch_the_phase_and_needs_a_version(client, write_token):
    candidate = CandidateFactory()
    response = client.patch(
        detail(candidate),
        {"phase": "aangesteld", "status": "in_dienst"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"version"}
    candidate.refresh_from_db()
    assert (candidate.phase, candidate.status, candidate.version) == (Phase.WERVING, Status.LOPEND, 1)


def test_update_refuses_a_lichting_of_another_track(client, write_token):
    candidate = CandidateFactory()
    lichting = track("nwt").lichtingen.create(
        name="NWT 2026-1", start_date=TODAY, end_date=TODAY + datetime.timedelta(days=90), capacity=40
    )
    response = client.patch(
        detail(candidate),
        {"version": 1, "lichting": lichting.pk},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    assert "ander instroomspoor" in response.json()["fields"]["lichting"][0]


def test_transition_moves_the_candidate_and_returns_the_new_state_and_event(client, write_token, manager):
    candidate = CandidateFactory()
    response = client.post(
        f"{detail(candidate)}/transitions",
        {"version": 1, "kind": "doorzetten", "occurred_at": str(TODAY)},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["candidate"]["step"], body["candidate"]["version"]) == (Step.ORIENTATIEGESPREK, 2)
    assert body["event"]["kind"] == "doorzetten"
    assert (body["event"]["from_step"], body["event"]["to_step"]) == (Step.AANMELDING, Step.ORIENTATIEGESPREK)
    assert body["event"]["actor"] == manager.username
    candidate.refresh_from_db()
    assert (candidate.step, candidate.events.count()) == (Step.ORIENTATIEGESPREK, 2)


def test_a_transition_takes_a_fixed_number_of_queries(client, write_token, django_assert_num_queries):
    first, candidate = CandidateFactory(), CandidateFactory()
    withdraw = {"version": 1, "kind": "terugtrekking", "reason": "trk-persoonlijk"}
    client.post(f"{detail(first)}/transitions", withdraw, content_type="application/json", **bearer(write_token))
    # 1 token with its owner, 2 the owner's permissions, own and through groups (the caller's scope); in one
    # transaction (3 and 6: here a savepoint, in production BEGIN and COMMIT) 4 the candidate locked if the caller
    # may see it, with its track, branch, last event's sequence and date and the reason its code names, 5 the
    # event, the candidate, the audit row and the phase tally's journal rows in one statement. Their fold into the
    # tally is sent after the commit.
    with django_assert_num_queries(6):
        response = client.post(
            f"{detail(candidate)}/transitions", withdraw, content_type="application/json", **bearer(write_token)
        )
    assert response.status_code == 201


def test_transition_the_chain_refuses_is_a_400_naming_the_field(client, write_token):
    candidate = CandidateFactory()
    response = client.post(
        f"{detail(candidate)}/transitions",
        {"version": 1, "kind": "doorzetten", "to_step": Step.MEDISCHE_KEURING},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "skip_not_allowed"
    assert "overslaan" in body["fields"]["to_step"][0]
    assert candidate.events.count() == 1


def test_transition_with_a_stale_version_is_409_and_writes_nothing(client, write_token):
    candidate = CandidateFactory()
    response = client.post(
        f"{detail(candidate)}/transitions",
        {"version": 7, "kind": "afwijzing", "reason": "afw-niet-aan-eisen"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    assert candidate.events.count() == 1


def test_transition_with_an_unknown_reason_is_a_field_error(client, write_token):
    candidate = CandidateFactory()
    response = client.post(
        f"{detail(candidate)}/transitions",
        {"version": 1, "kind": "afwijzing", "reason": "bestaat-niet", "verdict": Verdict.ONGESCHIKT},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "reason": ["Onbekende reden bestaat-niet: kies een code uit de lijst van redenen."]
    }
    candidate.refresh_from_db()
    assert (candidate.version, candidate.events.count()) == (1, 1)


def test_events_are_the_timeline_oldest_first(client, read_token):
    candidate = CandidateFactory()
    services.candidate_transition(
        candidate_id=candidate.pk, expected_version=1, kind=TransitionKind.DOORZETTEN, actor=None, occurred_at=TODAY
    )
    response = client.get(f"{detail(candidate)}/events", **bearer(read_token))
    assert response.status_code == 200
    assert [event["kind"] for event in response.json()] == ["aanmelding", "doorzetten"]
    assert response["ETag"]


@pytest.mark.parametrize("transitions", [1, 6])
def test_timeline_takes_a_fixed_number_of_queries(client, read_token, django_assert_num_queries, transitions):
    candidate = CandidateFactory()
    # Withdraw and reopen in turn: a history of any length without walking the chain.
    for version in range(1, transitions + 1):
        withdraw = version % 2 == 1
        services.candidate_transition(
            candidate_id=candidate.pk,
            expected_version=version,
            kind=TransitionKind.TERUGTREKKING if withdraw else TransitionKind.HEROPENING,
            actor=None,
            occurred_at=TODAY,
            reason=reason("trk-persoonlijk") if withdraw else None,
            note="" if withdraw else "Meldt zich opnieuw",
        )
    client.get(f"{detail(candidate)}/events", **bearer(read_token))
    # 1 token with its owner, 2 the owner's permissions, own and through groups, 3 the candidate, 4 its events
    # with reason and actor
    with django_assert_num_queries(4):
        response = client.get(f"{detail(candidate)}/events", **bearer(read_token))
    assert len(response.json()) == transitions + 1


def test_unknown_candidate_is_404(client, read_token, write_token):
    for path in (f"{LIST}/999999", f"{LIST}/abc", f"{LIST}/99999999999999999999/events"):
        response = client.get(path, **bearer(read_token))
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    withdraw = {"version": 1, "kind": "terugtrekking", "reason": "trk-persoonlijk"}
    for pk in ("999999", "abc", "99999999999999999999"):
        response = client.post(
            f"{LIST}/{pk}/transitions", withdraw, content_type="application/json", **bearer(write_token)
        )
        assert response.status_code == 404, pk
        assert response.json()["code"] == "not_found"


def test_list_as_csv_with_format_parameter_or_accept_header(client, read_token):
    CandidateFactory(first_name='=HYPERLINK("http://x")', last_name="Jansen")
    for kwargs in ({"data": {"format": "csv"}}, {"HTTP_ACCEPT": "text/csv"}):
        response = client.get(LIST, **kwargs, **bearer(read_token))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="kandidaten.csv"' in response["Content-Disposition"]
        header, row = response.content.decode().splitlines()[:2]
        assert header.startswith("id,number,first_name,last_name")
        assert "'=HYPERLINK" in row and ",Jansen," in row


def test_errors_stay_json_when_csv_was_asked(client, read_token):
    response = client.get(LIST, {"format": "csv", "phase": "vakantie"}, **bearer(read_token))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["fields"]["phase"]


@pytest.mark.django_db(transaction=True)
def test_two_systems_moving_one_candidate_at_once_get_one_201_and_one_409(write_token):
    candidate = CandidateFactory()
    start = Barrier(2)

    # Both send version 1 at the same moment: the row lock makes the second wait for the first to commit, after
    # which it sees version 2 and is refused, instead of writing a second event.
    def move():
        start.wait()
        try:
            response = Client().post(
                f"{detail(candidate)}/transitions",
                {"version": 1, "kind": "doorzetten"},
                content_type="application/json",
                **bearer(write_token),
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda _: move(), range(2)))
    assert statuses == [201, 409]
    candidate.refresh_from_db()
    assert (candidate.version, candidate.events.count()) == (2, 2)
