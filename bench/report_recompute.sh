#!/usr/bin/env bash
# How long the full report recompute takes on the 1M-candidate bench database, next to the time PostgreSQL needs
# for a bare GROUP BY over the same status events joined to their candidates (the floor), and the ratio.
# Usage: bash bench/report_recompute.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_database
.venv/bin/python bench/report_recompute.py
