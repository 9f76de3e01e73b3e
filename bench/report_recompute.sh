#!/usr/bin/env bash
# How long the report recompute takes on the 1M-candidate bench database, next to the time PostgreSQL needs
# for a bare GROUP BY over the same status events joined to their candidates (the floor): the full recompute,
# and the incremental one after a day's changes. The changes go into a copy of the seeded database, dropped
# afterwards, so every run starts from the same data.
# Usage: bash bench/report_recompute.sh; RECOMPUTE_CHECK=0 skips the closing full recompute that checks the
# incremental one gave the same snapshots (~4 min less, for iterating).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_database
psql_bench() { "$(pg_bin psql)" -q -h 127.0.0.1 -p "$PG_PORT" -U instroom -d postgres -c "$1" >/dev/null; }
psql_bench "DROP DATABASE IF EXISTS instroom_recompute"
# A copy of the files (~15 s), where the default strategy writes the 3.6 GB through the write-ahead log (~1 min).
psql_bench "CREATE DATABASE instroom_recompute TEMPLATE instroom STRATEGY FILE_COPY"
trap 'psql_bench "DROP DATABASE IF EXISTS instroom_recompute"; stop_postgres' EXIT
DATABASE_URL=${DATABASE_URL%/*}/instroom_recompute .venv/bin/python bench/report_recompute.py
