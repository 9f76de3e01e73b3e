"""The OpenAPI schema: generated without warnings, served with Swagger UI from our own static files, and the
whole API fuzzed against it on the live server by schemathesis."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from conftest import ARTIFACTS_DIR, log_in, screenshot
from intake.choices import ApiScope
from intake.tests.factories import CandidateFactory, api_token, track

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
    # The test server writes a response's headers and body in two packets; with Nagle's algorithm on, the
    # body then waits ~40 ms for the client's delayed ACK, which would make this test five times slower.
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    # The fuzzer sends hundreds of requests with one token; the rate limits are tested elsewhere.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "user": "100000/min", "anon": "100000/min"},
    }
    today = datetime.date.today()
    for number in range(3):
        CandidateFactory(applied_on=today - datetime.timedelta(days=10 * number))
    track("nwt").lichtingen.create(
        name="NWT 2026-1", start_date=today, end_date=today + datetime.timedelta(days=90), capacity=250
    )
    key = api_token(manager, *ApiScope, name="Schemathesis")
    # schemathesis' own CLI, so every phase (schema examples, boundary values, fuzzing) and check runs as it
    # would against a deployed server; the number of examples per operation and the time keep it bounded.
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--url",
            live_server.url,
            "--header",
            f"Authorization: Bearer {key}",
            "--max-examples",
            "20",
            "--seed",
            "20260401",
            "--workers",
            "1",
            # Every check on what the API answers. Left out are the two that judge which requests it accepts:
            # it refuses schema-valid requests the domain forbids (a transition the chain does not allow, a
            # lichting that does not exist), and, like DRF and django-filter, it reads an empty filter or a bad
            # page size as "none given" instead of refusing it.
            "--exclude-checks",
            "negative_data_rejection,positive_data_acceptance",
        ],
        cwd=tmp_path,  # schemathesis keeps a cache in its working folder
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )
    (ARTIFACTS_DIR / "schemathesis.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"schemathesis found problems; see {ARTIFACTS_DIR / 'schemathesis.txt'}"
