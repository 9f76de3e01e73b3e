#!/usr/bin/env bash
# Response times (p50/p95 over 200 requests, Django test client in one process) and SQL query counts of the
# recruiter list page with common filters and a search, and of the candidate page, on the 1M bench database.
# Usage: bash bench/list_pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_database
DJANGO_LOG_LEVEL=WARNING .venv/bin/python -u bench/list_pages.py
