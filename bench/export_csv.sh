#!/usr/bin/env bash
# Peak memory (RSS) and time of streaming the CSV export of every candidate (1M rows) on the bench database.
# Usage: bash bench/export_csv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_database
DJANGO_LOG_LEVEL=WARNING .venv/bin/python bench/export_csv.py
