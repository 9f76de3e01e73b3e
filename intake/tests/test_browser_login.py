import pytest

from conftest import log_in, screenshot


@pytest.mark.browser
def test_recruiter_signs_in_and_sees_the_overview(page, recruiter):
    log_in(page, recruiter)
    assert page.get_by_role("heading", name="Kandidaten per instroomspoor en fase").is_visible()
    screenshot(page, "overzicht")


@pytest.mark.browser
def test_wrong_password_keeps_the_user_on_the_login_page(page, recruiter):
    log_in(page, recruiter, password="fout")
    assert page.url.endswith("/inloggen/")
