"""The candidate list and the board: search, filters, sorting, pagination, counts per phase."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import services
from intake.choices import Phase, Status, Step, TransitionKind
from intake.models import PhaseTallyChange, Regio

from .factories import CandidateFactory, branch, reason, track
from .test_transitions import advance_to, move

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    """The candidate numbers in the order the list shows them."""
    return re.findall(r">(K\d{7})</a></td>", response.content.decode())


@pytest.fixture
def logged_in(client, recruiter):
    client.force_login(recruiter)
    return client


def search(client, term: str, path: str = "/kandidaten/", **filters):
    """Submits the filter form as the browser does: a POST, answered with a redirect to the filtered list."""
    return client.post(path, {"q": term, **filters}, follow=True)


def test_search_finds_candidates_by_name_email_or_number(logged_in):
    sanne = CandidateFactory(first_name="Sanne", last_name="de Vries", email="sanne@school.nl")
    other = CandidateFactory(first_name="Piet", last_name="Jansen")
    assert numbers(search(logged_in, "sanne vries")) == [sanne.number]
    assert numbers(search(logged_in, "school.nl")) == [sanne.number]
    assert numbers(search(logged_in, other.number.lower())) == [other.number]


def test_a_search_term_never_appears_in_a_url(logged_in):
    for _ in range(26):
        CandidateFactory(last_name="de Vries")
    response = search(logged_in, "de Vries", phase=Phase.WERVING, sort="naam")
    [(url, status)] = response.redirect_chain
    assert status == 303 and "Vries" not in url
    assert "phase=werving" in url and "sort=naam" in url and "zoek=" in url
    page = response.content.decode()
    assert "26 kandidaten gevonden" in page and 'value="de Vries"' in page
    # Paging, the board and the export carry the search's key, not the term.
    key = url.split("zoek=")[1].split("&")[0]
    assert f"zoek={key}" in page and "q=de" not in page and "Vries&" not in page
    assert len(numbers(logged_in.get(url + "&page=2"))) == 1
    export = b"".join(logged_in.get("/kandidaten/export.csv", {"zoek": key}).streaming_content).decode()
    assert export.count("de Vries") == 26


def test_an_old_link_with_the_term_in_its_url_is_moved_to_the_session(logged_in):
    sanne = CandidateFactory(first_name="Sanne")
    CandidateFactory(first_name="Piet")
    response = logged_in.get("/kandidaten/", {"q": "Sanne", "phase": Phase.WERVING}, follow=True)
    [(url, _status)] = response.redirect_chain
    assert "Sanne" not in url and "phase=werving" in url
    assert numbers(response) == [sanne.number]


def test_a_search_key_of_another_session_searches_nothing(logged_in, client, manager):
    CandidateFactory(first_name="Sanne")
    CandidateFactory(first_name="Piet")
    [(url, _status)] = search(logged_in, "Sanne").redirect_chain
    client.force_login(manager)
    assert len(numbers(client.get(url))) == 2


def test_the_board_takes_its_search_by_post_too(logged_in):
    CandidateFactory(first_name="Sanne")
    CandidateFactory(first_name="Piet")
    response = search(logged_in, "Sanne", path="/kandidaten/bord/")
    [(url, _status)] = response.redirect_chain
    assert url.startswith("/kandidaten/bord/?zoek=")
    assert "Sanne" in response.content.decode() and "Piet" not in response.content.decode()


def test_filters_narrow_the_list(logged_in, recruiter):
    mine = CandidateFactory(recruiter=recruiter)
    in_selectie = advance_to(CandidateFactory(), Step.PSYCHOLOGISCH_ONDERZOEK)
    rejected = move(CandidateFactory(), TransitionKind.AFWIJZING, reason=reason("afw-niet-aan-eisen"))
    assert numbers(logged_in.get("/kandidaten/", {"mine": "true"})) == [mine.number]
    assert numbers(logged_in.get("/kandidaten/", {"phase": Phase.SELECTIE})) == [in_selectie.number]
    assert numbers(logged_in.get("/kandidaten/", {"status": Status.AFGEWEZEN})) == [rejected.number]
    assert numbers(logged_in.get("/kandidaten/", {"recruiter": recruiter.pk})) == [mine.number]
    # The candidates registered 120 days ago and not moved since have stalled for longer than 100 days.
    assert set(numbers(logged_in.get("/kandidaten/", {"stalled_days": 100}))) == {mine.number}


def test_counts_per_phase_ignore_the_phase_filter_so_every_phase_stays_one_click_away(logged_in):
    CandidateFactory()
    advance_to(CandidateFactory(), Step.SPORTTEST)
    advance_to(CandidateFactory(), Step.SPORTTEST)
    counts = dict(logged_in.get("/kandidaten/", {"phase": Phase.WERVING}).context["phase_counts"])
    assert (counts[Phase.WERVING], counts[Phase.SELECTIE], counts[Phase.KEURING]) == (1, 2, 0)


def _counts(response) -> tuple[int, ...]:
    return tuple(n for _phase, n in response.context["phase_counts"])


def test_counts_per_phase_are_exact_whether_or_not_the_tally_has_caught_up(logged_in):
    CandidateFactory()
    advance_to(CandidateFactory(), Step.SPORTTEST)
    move(advance_to(CandidateFactory(), Step.MEDISCHE_KEURING), TransitionKind.AFWIJZING, reason=reason("afw-medisch"))
    CandidateFactory(instroomspoor=track("nwt"))  # another track: not the recruiter's
    expected = (1, 1, 1, 0, 0)
    assert _counts(logged_in.get("/kandidaten/")) == expected  # journal only: no fold has run in this test
    services.phase_tally_fold(instroomspoor_id=track("beroeps").pk)
    assert not PhaseTallyChange.objects.filter(instroomspoor=track("beroeps")).exists()
    assert _counts(logged_in.get("/kandidaten/")) == expected
    CandidateFactory()  # journalled after the fold
    assert _counts(logged_in.get("/kandidaten/")) == (2, 1, 1, 0, 0)
    services.phase_tally_recount(instroomspoor_id=track("beroeps").pk)
    assert _counts(logged_in.get("/kandidaten/")) == (2, 1, 1, 0, 0)
    assert _counts(logged_in.get("/kandidaten/", {"status": Status.AFGEWEZEN})) == (0, 0, 1, 0, 0)


def test_counts_per_phase_of_a_branch_are_exact_and_follow_a_change_of_branch(logged_in, recruiter):
    moved = CandidateFactory(krijgsmachtdeel=branch("KL"))
    advance_to(CandidateFactory(krijgsmachtdeel=branch("KL")), Step.SPORTTEST)
    CandidateFactory(krijgsmachtdeel=branch("KM"))
    services.phase_tally_fold(instroomspoor_id=track("beroeps").pk)
    assert _counts(logged_in.get("/kandidaten/", {"krijgsmachtdeel": "KL"})) == (1, 1, 0, 0, 0)
    services.candidate_update(
        candidate_id=moved.pk, expected_version=moved.version, actor=recruiter, krijgsmachtdeel=branch("KM")
    )
    # Journalled, not folded yet: the counts are exact anyway.
    assert _counts(logged_in.get("/kandidaten/", {"krijgsmachtdeel": "KL"})) == (0, 1, 0, 0, 0)
    assert _counts(logged_in.get("/kandidaten/", {"krijgsmachtdeel": "KM"})) == (2, 0, 0, 0, 0)
    services.phase_tally_recount(instroomspoor_id=track("beroeps").pk)
    assert _counts(logged_in.get("/kandidaten/", {"krijgsmachtdeel": "KM", "phase": Phase.WERVING})) == (2, 0, 0, 0, 0)
    assert _counts(logged_in.get("/kandidaten/")) == (2, 1, 0, 0, 0)


def test_counts_per_phase_follow_a_search_and_other_filters(logged_in):
    CandidateFactory(last_name="Bakker")
    advance_to(CandidateFactory(last_name="Bakker"), Step.SPORTTEST)
    CandidateFactory(last_name="Visser", postcode="9711 CD")
    assert _counts(search(logged_in, "bakker")) == (1, 1, 0, 0, 0)
    assert _counts(logged_in.get("/kandidaten/", {"stalled_days": 100})) == (2, 0, 0, 0, 0)
    assert _counts(logged_in.get("/kandidaten/", {"krijgsmachtdeel": "KM"})) == (0, 0, 0, 0, 0)


def test_counts_per_phase_of_a_recruiter_with_regions_count_only_their_regions(logged_in, recruiter):
    CandidateFactory(postcode="3511 AB")
    advance_to(CandidateFactory(postcode="9711 CD"), Step.SPORTTEST)
    Regio.objects.create(name="Midden", postcode_from=3000, postcode_to=3999).recruiters.add(recruiter)
    assert _counts(logged_in.get("/kandidaten/")) == (1, 0, 0, 0, 0)


def test_sorting_by_phase_follows_the_chain_not_the_alphabet(logged_in):
    keuring = advance_to(CandidateFactory(), Step.MEDISCHE_KEURING)
    werving = CandidateFactory()
    selectie = advance_to(CandidateFactory(), Step.SPORTTEST)
    assert numbers(logged_in.get("/kandidaten/", {"sort": "fase"})) == [werving.number, selectie.number, keuring.number]
    assert numbers(logged_in.get("/kandidaten/", {"sort": "-fase"})) == [
        keuring.number,
        selectie.number,
        werving.number,
    ]


def test_unknown_sort_and_bad_filter_values_are_ignored_with_a_message_not_an_error(logged_in):
    CandidateFactory()
    response = logged_in.get("/kandidaten/", {"sort": "wachtwoord", "stalled_days": "veel", "page": "999"})
    assert response.status_code == 200
    assert "Voer een getal in." in response.content.decode()
    assert len(numbers(response)) == 1


def test_list_shows_25_candidates_a_page(logged_in):
    for _ in range(27):
        CandidateFactory()
    first, second = logged_in.get("/kandidaten/"), logged_in.get("/kandidaten/", {"page": 2})
    assert (len(numbers(first)), len(numbers(second))) == (25, 2)
    assert "Pagina 2 van 2" in second.content.decode()


def test_htmx_filtering_answers_with_the_results_only(logged_in):
    CandidateFactory(first_name="Sanne")
    response = logged_in.post(
        "/kandidaten/", {"q": "Sanne"}, follow=True, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultaten"
    )
    page = response.content.decode()
    assert "<html" not in page and "1 kandidaat gevonden" in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("rows", [1, 30])
def test_list_runs_the_same_queries_however_many_candidates(logged_in, django_assert_num_queries, rows):
    for _ in range(rows):
        CandidateFactory()
    # session, user, permissions of the user and of its groups in one query (role), the user's regions (scope),
    # counts per phase (which also give the paginator its count), the page of candidates with track and
    # recruiter, the choices of the track, branch and lichting filters, the recruiters for the filter and for the
    # bulk form, the bulk reasons
    with django_assert_num_queries(12) as captured:
        response = logged_in.get("/kandidaten/", {"sort": "naam"})
    assert len(numbers(response)) == min(rows, 25)
    # Each of them one round trip: the selects' options are not read through a server-side cursor (DECLARE, two
    # FETCHes, CLOSE).
    assert not [query for query in captured.captured_queries if (query["sql"] or "").startswith("DECLARE")]


def test_board_shows_candidates_in_process_per_phase_with_days_in_phase(logged_in):
    waiting = CandidateFactory()
    keuring = advance_to(CandidateFactory(), Step.MEDISCHE_KEURING)
    move(CandidateFactory(), TransitionKind.TERUGTREKKING, reason=reason("trk-persoonlijk"))
    response = logged_in.get("/kandidaten/bord/")
    columns = {column["phase"]: list(column["cards"]) for column in response.context["columns"]}
    assert columns[Phase.WERVING] == [waiting]
    assert columns[Phase.KEURING] == [keuring]
    assert "120 dagen in fase" in response.content.decode()


def test_board_filters_like_the_list(logged_in):
    CandidateFactory(instroomspoor=track("beroeps"))
    reservist = CandidateFactory(instroomspoor=track("reservist"))
    track("reservist").recruiters.add(logged_in.get("/").wsgi_request.user)
    response = logged_in.get("/kandidaten/bord/", {"instroomspoor": "reservist"})
    werving = next(c for c in response.context["columns"] if c["phase"] == Phase.WERVING)
    assert list(werving["cards"]) == [reservist]


def test_board_counts_the_candidates_in_process_unless_another_status_is_chosen(logged_in):
    CandidateFactory()
    advance_to(CandidateFactory(), Step.SPORTTEST)
    move(CandidateFactory(), TransitionKind.TERUGTREKKING, reason=reason("trk-persoonlijk"))

    def counts(**params):
        response = logged_in.get("/kandidaten/bord/", params)
        return [column["count"] for column in response.context["columns"]]

    assert counts() == [1, 1, 0, 0]
    assert counts(status=Status.TERUGGETROKKEN) == [1, 0, 0, 0]
    assert counts(phase=Phase.SELECTIE) == [0, 1, 0, 0]


@pytest.mark.parametrize("rows", [1, 12])
def test_board_runs_the_same_queries_however_many_candidates(logged_in, django_assert_num_queries, rows):
    for i in range(rows):
        candidate = CandidateFactory(applied_on=datetime.date.today() - datetime.timedelta(days=200 + i))
        if i % 2:
            advance_to(candidate, Step.PSYCHOLOGISCH_ONDERZOEK)
    # session, user, permissions of the user and of its groups in one query (role), the user's regions (scope),
    # counts per phase, one query of cards per column (4), the choices of the track, branch and lichting filters,
    # the recruiters
    with django_assert_num_queries(13):
        logged_in.get("/kandidaten/bord/")


def test_found_count_and_pages_follow_the_phase_filter(logged_in):
    for _ in range(3):
        advance_to(CandidateFactory(), Step.PSYCHOLOGISCH_ONDERZOEK)
    CandidateFactory()
    assert "3 kandidaten gevonden" in logged_in.get("/kandidaten/", {"phase": Phase.SELECTIE}).content.decode()
    assert "4 kandidaten gevonden" in logged_in.get("/kandidaten/").content.decode()
    assert "4 kandidaten gevonden" in logged_in.get("/kandidaten/", {"phase": "onzin"}).content.decode()


def test_a_search_with_more_matches_than_it_counts_says_so_and_pages_through_the_first(logged_in, monkeypatch):
    monkeypatch.setattr("intake.selectors.SEARCH_COUNT_LIMIT", 2)
    monkeypatch.setattr("intake.views.PAGE_SIZE", 1)
    for _ in range(2):
        CandidateFactory(last_name="Bakker")
    selectie = advance_to(CandidateFactory(last_name="Bakker"), Step.SPORTTEST)
    CandidateFactory(last_name="Visser")
    response = search(logged_in, "bakker")
    page = response.content.decode()
    assert "Meer dan 2 kandidaten gevonden; alleen de eerste 2 zijn te zien." in page
    assert _counts(response) == (None,) * len(Phase)
    assert response.context["page"].paginator.num_pages == 2
    # The phase links still work, and a phase with no more matches than the limit is counted exactly.
    url = response.redirect_chain[-1][0]
    in_phase = logged_in.get(url, {"phase": Phase.SELECTIE})
    assert "1 kandidaat gevonden" in in_phase.content.decode() and numbers(in_phase) == [selectie.number]
    assert "2 kandidaten gevonden" in search(logged_in, "bakker", phase=Phase.WERVING).content.decode()


def test_a_search_within_the_limit_is_counted_exactly_per_phase(logged_in, monkeypatch):
    monkeypatch.setattr("intake.selectors.SEARCH_COUNT_LIMIT", 2)
    CandidateFactory(last_name="Bakker")
    advance_to(CandidateFactory(last_name="Bakker"), Step.SPORTTEST)
    CandidateFactory(last_name="Visser")
    response = search(logged_in, "bakker")
    assert _counts(response) == (1, 1, 0, 0, 0) and "2 kandidaten gevonden" in response.content.decode()


def test_a_search_within_the_limit_pages_its_matches_in_the_chosen_order(logged_in, monkeypatch):
    monkeypatch.setattr("intake.views.PAGE_SIZE", 2)
    zeeman = CandidateFactory(last_name="Bakker-Zeeman")
    aarts = CandidateFactory(last_name="Aarts-Bakker")
    mol = advance_to(CandidateFactory(last_name="Bakker-Mol"), Step.SPORTTEST)
    CandidateFactory(last_name="Visser")
    first = search(logged_in, "bakker", sort="naam")
    assert numbers(first) == [aarts.number, mol.number] and "3 kandidaten gevonden" in first.content.decode()
    url = first.redirect_chain[-1][0]
    assert numbers(logged_in.get(f"{url}&page=2")) == [zeeman.number]
    assert numbers(logged_in.get(f"{url}&phase={Phase.SELECTIE}")) == [mol.number]
    assert numbers(search(logged_in, "niemand")) == []


def test_a_search_within_the_limit_searches_once_and_reads_its_page_by_the_matches_found(logged_in):
    bakker = CandidateFactory(last_name="Bakker")
    CandidateFactory(last_name="Visser")
    url = search(logged_in, "bakker").redirect_chain[-1][0]
    with CaptureQueriesContext(connection) as queries:
        assert numbers(logged_in.get(url)) == [bakker.number]
    # Searching the names and addresses of every candidate is the expensive part of a search: done once, by the count.
    assert len([query for query in queries if "LIKE" in (query["sql"] or "")]) == 1


def test_the_board_shows_no_counts_for_a_search_with_more_matches_than_it_counts(logged_in, monkeypatch):
    monkeypatch.setattr("intake.selectors.SEARCH_COUNT_LIMIT", 2)
    monkeypatch.setattr("intake.views.BOARD_CARDS", 2)
    for _ in range(3):
        CandidateFactory(last_name="Bakker")
    response = search(logged_in, "bakker", path="/kandidaten/bord/")
    assert [column["count"] for column in response.context["columns"]] == [None] * 4
    assert "Meer in de lijst" in response.content.decode()
