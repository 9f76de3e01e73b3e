"""Schemathesis against the live test server, shared by every app whose endpoints are in the API schema."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.servers.basehttp import WSGIRequestHandler

from conftest import ARTIFACTS_DIR


def run_schemathesis(live_server, settings, monkeypatch, tmp_path, *, key: str, report: str, options=()) -> None:
    """Runs schemathesis' own CLI over the schema with the token `key`, so every phase (schema examples, boundary
    values, fuzzing) and check runs as it would against a deployed server; the number of examples per operation
    and the time keep it bounded. Its output is kept in artifacts/<report>.txt."""
    # The test server writes a response's headers and body in two packets; with Nagle's algorithm on, the
    # body then waits ~40 ms for the client's delayed ACK, which would make the run five times slower.
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    # The fuzzer sends hundreds of requests with one token; the rate limits are tested elsewhere.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "user": "100000/min", "anon": "100000/min"},
    }
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
            *options,
        ],
        cwd=tmp_path,  # schemathesis keeps a cache in its working folder
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )
    (ARTIFACTS_DIR / f"{report}.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"schemathesis found problems; see {ARTIFACTS_DIR / report}.txt"
