import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_report_metrics_also_hold_on_sqlite():
    """The embedded default runs on SQLite, where the aggregation takes its fallback path (no GROUPING SETS, no
    percentile_cont): run the metric tests once more on SQLite, in a separate process without DATABASE_URL."""
    if connection.vendor == "sqlite":
        return  # this run is already the SQLite one
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "reports/tests/test_metrics.py",
            "reports/tests/test_suppression.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
