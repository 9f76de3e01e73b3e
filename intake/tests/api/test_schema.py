"""The OpenAPI schema: generated without warnings, served with Swagger UI from our own static files, and the
whole API fuzzed against it on the live server by schemathesis."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import log_in, screenshot
from intake.choices import ApiScope
from intake.tests.factories import CandidateFactory, api_token, track

from .fuzzing import run_schemathesis

ROOT = Path(__file__).resolve().parents[3]


def test_schema_generates_without_warnings_and_validates(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/candidates", "/api/v1/candidates/{id}/transitions", "/api/v1/tracks"} <= set(paths)
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "<script>" not in docs and "<style>" not in docs


# The policy of the rest of the application: no inline scripts or styles, nothing from elsewhere.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.browser
def test_swagger_ui_works_under_a_strict_content_security_policy(page, manager):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/api/docs/", with_csp)
    log_in(page, manager)
    page.goto("/api/docs/")
    page.get_by_text("Kandidaat verplaatsen in de instroomketen").click()
    page.get_by_text("Legt een overgang vast").wait_for()
    screenshot(page, "api-docs")
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_api_conforms_to_its_schema_under_fuzzing(live_server, settings, manager, monkeypatch, tmp_path):
    today = datetime.date.today()
    for number in range(3):
        CandidateFactory(applied_on=today - datetime.timedelta(days=10 * number))
    track("nwt").lichtingen.create(
        name="NWT 2026-1", start_date=today, end_date=today + datetime.timedelta(days=90), capacity=250
    )
    key = api_token(manager, *ApiScope, name="Schemathesis")
    # Without computed figures the report endpoints answer 409 here; reports/tests fuzz them with figures.
    run_schemathesis(live_server, settings, monkeypatch, tmp_path, key=key, report="schemathesis")
