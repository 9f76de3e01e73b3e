#!/usr/bin/env bash
# p50/p95 latency and throughput of the six report endpoints and of POST candidates/{id}/transitions under
# concurrent load, next to a trivial endpoint (GET branches/KL) on the same gunicorn server, and the ratios; on the
# persistent 1M bench database (bench/lib.sh), with Redis for the cache, the rate-limit counters and the broker.
# The transitions are undone afterwards (bench/api_latency.py restore), so the database stays as seeded.
# Usage: bash bench/api_latency.sh [SECONDS_PER_ENDPOINT] [CONCURRENCY] [transitions] (one client for half the
# time first; `transitions`: only the trivial endpoint and the transitions, for quicker comparisons)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-20}
concurrency=${2:-8}
only=()
[ "${3:-}" = transitions ] && only=(--transitions-only)
bench_database
work=$(mktemp -d /tmp/instroom-bench-api.XXXXXX)
gunicorn_pid=""
cleanup() {
    [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
    [ -f "$work/targets.json" ] && .venv/bin/python bench/api_latency.py restore "$work/targets.json"
    stop_redis
    stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT
start_redis "$work"
# Production settings over plain HTTP on loopback; the load would trip the normal rate limits at once.
export DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_LOG_LEVEL=WARNING
export API_RATE_TOKEN=100000000/min API_RATE_USER=100000000/min API_RATE_ANON=100000000/min
.venv/bin/python manage.py recompute_reports --if-missing
.venv/bin/python bench/api_latency.py prepare "$work/targets.json"
port=$(free_port)
workers=${GUNICORN_WORKERS:-4}
.venv/bin/gunicorn defensie.wsgi --bind "127.0.0.1:$port" --workers "$workers" --access-logfile /dev/null \
    --error-logfile "$work/gunicorn.log" &
gunicorn_pid=$!
.venv/bin/python bench/api_latency.py load "$work/targets.json" "http://127.0.0.1:$port" \
    --seconds "$seconds" --concurrency "$concurrency" --candidates 1000000 --workers "$workers" \
    --gunicorn-pid "$gunicorn_pid" --postgres-pid "$(head -n 1 "$BENCH_DIR/pg/postmaster.pid")" "${only[@]}"
