#!/usr/bin/env bash
# Runs Instroom on the embedded default: SQLite, demo data, Celery tasks in-process, no servers needed.
# Creates the environment, migrates, seeds demo data and computes the reports once, prints the demo logins
# and serves on localhost.
# PORT=8000 by default; DEMO_CANDIDATES=5000 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_python_env
export DJANGO_DEBUG=true
unset DATABASE_URL REDIS_URL
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo --if-empty --candidates "${DEMO_CANDIDATES:-5000}"
.venv/bin/python manage.py recompute_reports --if-missing
.venv/bin/python manage.py demo_logins
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
