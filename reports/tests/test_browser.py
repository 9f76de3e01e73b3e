import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from conftest import log_in, screenshot
from reports import reference_data, services


@pytest.mark.browser
def test_manager_filters_the_dashboard_on_demo_data_and_downloads_an_xlsx(page, manager):
    call_command("seed_demo", candidates=2000, seed=7, verbosity=0)
    reference_data.load()
    services.report_recompute()
    log_in(page, manager)

    page.get_by_role("link", name="Rapportages").click()
    page.get_by_role("heading", name="Rapportages instroomketen").wait_for()
    assert page.locator("#chart-funnel").bounding_box()["height"] > 100
    screenshot(page, "rapportages-alle")

    page.get_by_label("Instroomspoor", exact=True).select_option(label="Dienjaar Defensie")
    page.get_by_label("Periode", exact=True).select_option(label="Kwartaal")
    page.get_by_label("Jaar", exact=True).select_option("2025")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**instroomspoor=dienjaar**")
    assert page.get_by_role("heading", name="Aanmeldcohorten 2025").is_visible()
    assert page.locator("#cohorten tbody tr").first.inner_text().startswith("K1 2025")
    screenshot(page, "rapportages-dienjaar-2025")

    with page.expect_download() as download:
        page.locator("#cohorten").get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.startswith("cohorten-2025-")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet["A1"].value == "Aangemeld in"
    assert sheet["A2"].value == "K1 2025"

    # Drill down from a funnel phase to the candidates of that cohort still in it.
    page.locator("#trechter").get_by_role("link", name="Keuring").click()
    page.get_by_role("heading", name="Kandidaten", exact=True).wait_for()
    assert "instroomspoor=dienjaar" in page.url and "phase=keuring" in page.url
    assert "applied_after=2025-01-01" in page.url
