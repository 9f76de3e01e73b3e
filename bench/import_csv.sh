#!/usr/bin/env bash
# How long `manage.py import_candidates` takes for a CSV of N new candidates (default 100,000) on the 1M bench
# database; the import is rolled back afterwards so the database stays as seeded.
# Usage: bash bench/import_csv.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_database
DJANGO_LOG_LEVEL=WARNING .venv/bin/python bench/import_csv.py "${1:-100000}"
