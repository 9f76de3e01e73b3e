#!/usr/bin/env bash
# How long `seed_demo` takes to write N demo candidates (default 1,000,000) into a fresh PostgreSQL.
# Usage: bash bench/seed_scale.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_python_env
work=$(mktemp -d /tmp/instroom-bench.XXXXXX)
trap 'stop_postgres; rm -rf "$work"' EXIT
start_postgres "$work"
export DJANGO_SECRET_KEY=bench-only DJANGO_DEBUG=false
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python bench/seed_scale.py "${1:-1000000}"
