#!/usr/bin/env bash
# The whole test suite on the real parts: installs what is missing (Python packages, PostgreSQL, Redis,
# Chromium), starts a throwaway PostgreSQL and Redis on free loopback ports, runs pytest, stops them again.
# Extra arguments go to pytest, e.g. `scripts/test.sh intake -k transition`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_python_env
apt_install postgresql redis-server chromium fonts-dejavu-core

work=$(mktemp -d /tmp/instroom-test.XXXXXX)
cleanup() {
    stop_redis
    stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT
start_postgres "$work"
start_redis "$work"

export DJANGO_SECRET_KEY="test-only-$(date +%s%N)"
# The suite talks plain http to its own servers; production keeps these on (see defensie/settings.py).
export DJANGO_DEBUG=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_HSTS_SECONDS=0
export CHROMIUM_PATH=/usr/bin/chromium
export ARTIFACTS_DIR="${ARTIFACTS_DIR:-$PWD/artifacts}"
mkdir -p "$ARTIFACTS_DIR"

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> pytest (PostgreSQL on port $PG_PORT, Redis on port $REDIS_PORT)"
.venv/bin/python -m pytest "$@"
