import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import log_in, screenshot
from dienjaar.models import DienjaarDeelname
from intake.choices import Destination, Step
from intake.models import Doorstroom
from intake.tests.factories import LichtingFactory, track, walk_to

from .factories import DienjaarFactory


@pytest.mark.browser
def test_recruiter_places_a_participant_completes_the_year_and_records_doorstroom(page, dienjaar_recruiter):
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=330)
    lichting = LichtingFactory(
        instroomspoor=track("dienjaar"),
        name="Dienjaar Ermelo december",
        start_date=starts,
        end_date=starts + datetime.timedelta(days=364),
        capacity=30,
    )
    deelname = DienjaarFactory(
        first_name="Sanne", last_name="de Vries", applied_on=starts - datetime.timedelta(days=120), desired_start=starts
    )
    candidate = walk_to(deelname.candidate, Step.VEILIGHEIDSONDERZOEK)

    log_in(page, dienjaar_recruiter)
    page.goto(f"/kandidaten/{candidate.pk}/")
    page.get_by_role("link", name="Dienjaar bijwerken").click()
    page.get_by_role("link", name="In lichting plaatsen").click()
    page.get_by_label("Lichting").select_option(
        label=f"Dienjaar Ermelo december — start {starts:%d-%m-%Y}, Ermelo (0 van 30 plaatsen bezet)"
    )
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_role("status")).to_contain_text("is geplaatst in lichting Dienjaar Ermelo december")
    expect(page.get_by_role("link", name="Dienjaar Ermelo december")).to_be_visible()

    # The year starts on the lichting's start date and the participant is appointed after the training: those
    # transitions are made on the candidate page.
    walk_to(candidate, Step.INITIELE_OPLEIDING, on=lichting.start_date)
    walk_to(candidate, Step.AANSTELLING, on=lichting.start_date + datetime.timedelta(days=98))

    page.reload()
    expect(page.get_by_text("Aangesteld als: Reservist")).to_be_visible()
    page.get_by_label("Dienjaar voltooid op").fill(today.isoformat())
    page.get_by_role("button", name="Voltooiing vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Het Dienjaar is vastgelegd als voltooid")

    page.get_by_label("Doorstroom naar").select_option(label="Beroepsmilitair")
    page.get_by_label("Per datum").fill(today.isoformat())
    page.get_by_role("button", name="Doorstroom vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De doorstroom is vastgelegd.")
    expect(page.get_by_text(f"Beroepsmilitair per {today:%d-%m-%Y}")).to_be_visible()
    screenshot(page, "dienjaar-deelnemer-doorstroom")

    assert DienjaarDeelname.objects.get(candidate=candidate).completed_on == today
    doorstroom = Doorstroom.objects.get(candidate=candidate)
    assert (doorstroom.destination, doorstroom.recorded_by) == (Destination.BEROEPSMILITAIR, dienjaar_recruiter)

    page.get_by_role("link", name="Dienjaar Ermelo december").click()
    expect(page.get_by_role("cell", name=candidate.number)).to_be_visible()
    screenshot(page, "lichting-detail")
    page.get_by_role("link", name=candidate.number).click()
    expect(page.get_by_role("heading", name="Dienjaar")).to_be_visible()
    screenshot(page, "kandidaat-met-dienjaar-paneel")
