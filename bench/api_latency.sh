#!/usr/bin/env bash
# p50/p95 latency and throughput of GET reports/retention and POST candidates/{id}/transitions under concurrent
# load, next to a trivial endpoint (GET branches/KL) on the same gunicorn server, and the ratios; on N demo
# candidates (default 200,000) in a fresh PostgreSQL, with Redis for the rate-limit counters.
# Usage: bash bench/api_latency.sh [N] [SECONDS_PER_ENDPOINT] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_python_env
candidates=${1:-200000}
seconds=${2:-20}
concurrency=${3:-8}
work=$(mktemp -d /tmp/instroom-bench.XXXXXX)
gunicorn_pid=""
cleanup() {
    [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
    stop_redis
    stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT
PG_EXTRA_OPTS="-c shared_buffers=1GB -c work_mem=128MB" start_postgres "$work"
start_redis "$work"
# Production settings over plain HTTP on loopback; the load would trip the normal rate limits at once.
export DJANGO_SECRET_KEY=bench-only DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_LOG_LEVEL=WARNING
export API_RATE_TOKEN=100000000/min API_RATE_USER=100000000/min API_RATE_ANON=100000000/min
.venv/bin/python manage.py migrate --no-input -v 0
echo "==> seed_demo --candidates $candidates"
.venv/bin/python manage.py seed_demo --candidates "$candidates" --seed 2026
.venv/bin/python bench/api_latency.py prepare "$work/targets.json"
port=$(free_port)
workers=${GUNICORN_WORKERS:-4}
.venv/bin/gunicorn defensie.wsgi --bind "127.0.0.1:$port" --workers "$workers" --access-logfile /dev/null \
    --error-logfile "$work/gunicorn.log" &
gunicorn_pid=$!
.venv/bin/python bench/api_latency.py load "$work/targets.json" "http://127.0.0.1:$port" \
    --seconds "$seconds" --concurrency "$concurrency" --candidates "$candidates" --workers "$workers"
