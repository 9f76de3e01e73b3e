#!/usr/bin/env bash
# How long the report recompute takes on N demo candidates (default 1,000,000) in a fresh PostgreSQL, next to
# the time PostgreSQL needs for one bare GROUP BY over the same status events, and the ratio of the two.
# Usage: bash bench/report_recompute.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_python_env
work=$(mktemp -d /tmp/instroom-bench.XXXXXX)
trap 'stop_postgres; rm -rf "$work"' EXIT
# The recompute sorts and hashes millions of rows: give it the memory a production server would.
PG_EXTRA_OPTS="-c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=512MB" start_postgres "$work"
export DJANGO_SECRET_KEY=bench-only DJANGO_DEBUG=false
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo --candidates "${1:-1000000}" --seed 2026 --today 2026-11-01
.venv/bin/python bench/report_recompute.py
