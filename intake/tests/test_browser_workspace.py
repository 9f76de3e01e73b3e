"""The recruiter's day in a real browser: find, follow and move candidates. One scenario per test."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from intake.choices import Phase, Status, Step, TransitionKind
from intake.models import Candidate

from .factories import CandidateFactory
from .test_transitions import advance_to, move

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def transition(page, title):
    """The disclosure of one transition on the page (or the board panel), opened."""
    details = page.locator(f'details.transition:has(> summary:text-is("{title}"))')
    details.locator("summary").click()
    return details


def some_candidates(recruiter):
    """A handful of candidates spread over the chain, so the list and the board look like a working day."""
    people = [("Sanne", "de Vries"), ("Daan", "Bakker"), ("Fatima", "El Amrani"), ("Lucas", "Visser")]
    candidates = [CandidateFactory(first_name=first, last_name=last, recruiter=recruiter) for first, last in people]
    advance_to(candidates[1], Step.SPORTTEST)
    advance_to(candidates[2], Step.MEDISCHE_KEURING)
    advance_to(candidates[3], Step.INITIELE_OPLEIDING)
    return candidates


def test_recruiter_finds_a_candidate_and_moves_it_through_the_chain_to_aanstelling(page, recruiter):
    sanne, *_ = some_candidates(recruiter)
    log_in(page, recruiter)
    page.goto("/kandidaten/")
    expect(page.get_by_text("4 kandidaten gevonden")).to_be_visible()
    screenshot(page, "kandidatenlijst")
    page.get_by_role("link", name="Naam", exact=True).click()
    expect(page.locator(".candidates tbody tr").first).to_contain_text("Bakker, Daan")
    assert "sort=naam" in page.url

    page.get_by_label("Zoeken").fill("vries")
    expect(page.get_by_text("1 kandidaat gevonden")).to_be_visible()
    page.get_by_label("Fase", exact=True).select_option(label="Selectie")
    expect(page.get_by_text("Geen kandidaten gevonden met deze filters.")).to_be_visible()
    page.get_by_label("Fase", exact=True).select_option(label="Werving")
    expect(page.get_by_text("1 kandidaat gevonden")).to_be_visible()
    # The term went by POST and stays in the session: the address bar has its key, never the name.
    assert "zoek=" in page.url and "phase=werving" in page.url and "vries" not in page.url
    page.get_by_role("link", name="de Vries, Sanne").click()
    expect(page.get_by_role("heading", name=re.compile("Sanne de Vries"))).to_be_visible()

    state = page.locator(".state")
    route = [
        ("", "", "Oriëntatiegesprek"),
        ("Psychologisch onderzoek", "", "Psychologisch onderzoek"),
        ("", "geschikt", "Fysieke test"),
        ("", "geschikt", "Medische keuring"),
        ("", "geschikt", "Veiligheidsonderzoek"),
        ("", "geschikt", "Initiële opleiding"),
        ("", "", "Aanstelling"),
    ]
    for to_step, verdict, expected in route:
        form = transition(page, "Doorzetten naar volgende stap")
        if to_step:
            form.get_by_label("Naar stap").select_option(label=to_step)
        if verdict:
            form.get_by_label("Uitslag").select_option(verdict)
        form.get_by_role("button", name="Doorzetten", exact=True).click()
        expect(state).to_contain_text(expected)
    expect(state).to_contain_text("Aangesteld")
    expect(state).to_contain_text("In dienst")
    expect(page.locator("#berichten")).to_contain_text("Nu: Aangesteld, aanstelling (in dienst)")
    expect(page.locator(".timeline tbody tr")).to_have_count(8)
    screenshot(page, "kandidaatpagina")
    page.set_viewport_size(TABLET)
    screenshot(page, "kandidaatpagina-tablet")

    sanne.refresh_from_db()
    assert (sanne.phase, sanne.status, sanne.version) == (Phase.AANGESTELD, Status.IN_DIENST, 8)


def test_recruiter_rejects_a_candidate_from_the_board_and_finds_the_reason_in_the_timeline(page, recruiter):
    candidates = some_candidates(recruiter)
    daan = candidates[1]
    log_in(page, recruiter)
    page.goto("/kandidaten/bord/")
    expect(page.locator(".board-column").first).to_contain_text("Sanne de Vries")
    screenshot(page, "bord")

    page.get_by_role("link", name="Daan Bakker verplaatsen").click()
    panel = page.locator("#board-panel")
    expect(panel).to_contain_text("Fysieke test")
    form = transition(panel, "Afwijzen")
    reasons = form.get_by_label("Reden").locator("option")
    # Only the rejection reasons of the selectie phase are offered.
    expect(reasons).to_have_text(
        ["— kies een reden —", "Fysieke test niet gehaald", "Psychologisch onderzoek: ongeschikt"]
    )
    form.get_by_label("Reden").select_option(label="Fysieke test niet gehaald")
    screenshot(page, "bord-verplaatsen")
    form.get_by_role("button", name="Afwijzen", exact=True).click()
    expect(page.locator("#berichten")).to_contain_text("afwijzen vastgelegd")
    expect(page.locator(".board-column").nth(1)).not_to_contain_text("Daan Bakker")

    page.set_viewport_size(TABLET)
    screenshot(page, "bord-tablet")
    page.goto(f"/kandidaten/{daan.pk}/")
    last_event = page.locator(".timeline tbody tr").last
    expect(last_event).to_contain_text("Afwijzen")
    expect(last_event).to_contain_text("Fysieke test niet gehaald")
    expect(last_event).to_contain_text(recruiter.username)


def test_new_candidate_form_warns_about_a_possible_duplicate_and_links_to_it(page, recruiter):
    existing = CandidateFactory(first_name="Sanne", last_name="de Vries", email="sanne@school.nl")
    log_in(page, recruiter)
    page.goto("/kandidaten/nieuw/")
    page.get_by_label("Instroomspoor").select_option(label="Beroepsmilitair (reguliere sollicitatie)")
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("Geboortedatum").fill("2005-03-14")
    page.get_by_label("E-mail").fill("Sanne@School.nl")
    page.get_by_label("Krijgsmachtdeel").select_option(label="Koninklijke Marine")
    page.get_by_label("Bron").select_option(label="Campagne")
    page.get_by_role("button", name="Kandidaat aanmaken").click()

    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("Bestaat deze kandidaat al?")
    expect(warning.get_by_role("button", name="Toch aanmaken")).to_be_visible()
    screenshot(page, "dubbele-kandidaat")
    assert Candidate.objects.count() == 1
    warning.get_by_role("link", name=f"{existing.number} Sanne de Vries").click()
    expect(page).to_have_url(re.compile(f"/kandidaten/{existing.pk}/$"))


def test_a_change_made_meanwhile_by_a_colleague_is_shown_instead_of_overwritten(page, recruiter):
    candidate = CandidateFactory(first_name="Lucas", last_name="Visser")
    log_in(page, recruiter)
    page.goto(f"/kandidaten/{candidate.pk}/")
    form = transition(page, "Afwijzen")
    form.get_by_label("Reden").select_option(label="Geen passende functie beschikbaar")

    move(candidate, TransitionKind.DOORZETTEN)  # a colleague moves Lucas on while the form is open
    form.get_by_role("button", name="Afwijzen", exact=True).click()

    expect(page.locator(".conflict-box")).to_contain_text("Intussen gewijzigd")
    expect(page.locator(".state")).to_contain_text("Oriëntatiegesprek")
    expect(page.locator("#berichten")).to_contain_text("intussen door iemand anders gewijzigd")
    screenshot(page, "conflict")
    candidate.refresh_from_db()
    assert candidate.status == Status.LOPEND and candidate.events.count() == 2


def test_bulk_action_moves_the_ticked_candidates_and_sums_up(page, recruiter):
    for name in ("Aalders", "Bos", "Claes"):
        CandidateFactory(last_name=name)
    log_in(page, recruiter)
    page.goto("/kandidaten/?sort=naam")
    page.get_by_role("checkbox", name=re.compile("Aalders selecteren")).check()
    page.get_by_role("checkbox", name=re.compile("Bos selecteren")).check()
    page.get_by_label("Actie", exact=True).select_option(label="Doorzetten naar volgende stap")
    expect(page.locator("#id_bulk-recruiter")).to_be_hidden()  # only the fields the action needs are shown
    page.get_by_role("button", name="Uitvoeren voor selectie").click()
    expect(page.locator("#berichten")).to_contain_text("2 kandidaten bijgewerkt")
    steps = dict(Candidate.objects.values_list("last_name", "step"))
    assert steps == {"Aalders": Step.ORIENTATIEGESPREK, "Bos": Step.ORIENTATIEGESPREK, "Claes": Step.AANMELDING}


def test_csv_import_shows_the_bad_row_and_imports_nothing_until_the_file_is_fixed(page, other_track_recruiter):
    header = "voornaam;achternaam;geboortedatum;e-mail;instroomspoor;krijgsmachtdeel;bron"
    good = "Sanne;de Vries;17-05-2005;sanne@school.nl;nwt;KL;school"
    bad = "Jan;Jansen;31-02-2005;jan@school.nl;nwt;KL;school"
    fixed = bad.replace("31-02", "28-02")

    def upload(*rows):
        content = "\n".join([header, *rows]).encode()
        page.get_by_label("CSV-bestand").set_input_files(
            files=[{"name": "school.csv", "mimeType": "text/csv", "buffer": content}]
        )
        page.get_by_role("button", name="Controleren").click()

    log_in(page, other_track_recruiter)
    page.goto("/kandidaten/importeren/")
    upload(good, bad)
    bad_row = page.locator("tr.row-error")
    expect(bad_row).to_contain_text("geboortedatum: Voer een geldige datum in.")
    expect(bad_row.locator("td").first).to_have_text("3")
    expect(page.get_by_role("button", name=re.compile("importeren$"))).to_have_count(0)
    screenshot(page, "import-fout")
    assert not Candidate.objects.exists()

    upload(good, fixed)
    page.get_by_role("button", name="2 kandidaten importeren").click()
    expect(page.locator("#berichten")).to_contain_text("2 kandidaten geïmporteerd.")
    expect(page.get_by_text("2 kandidaten gevonden")).to_be_visible()
    assert Candidate.objects.filter(instroomspoor__code="nwt").count() == 2
