# Shared by bench/*.sh: one PostgreSQL seeded once with the 1M demo candidates, kept between runs.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# Starts PostgreSQL on the persistent data directory $BENCH_DIR (default /tmp/instroom-bench-<N>), seeding N demo
# candidates (default 1,000,000) the first time; later runs only apply new migrations. Sets DATABASE_URL and stops
# the server on exit. Delete the directory to start over.
bench_database() {
    local candidates=${1:-1000000}
    BENCH_DIR=${BENCH_DIR:-/tmp/instroom-bench-$candidates}
    ensure_python_env
    export DJANGO_SECRET_KEY=bench-only DJANGO_DEBUG=false
    # The recompute sorts and hashes millions of rows: give it the memory a production server would.
    PG_EXTRA_OPTS="-c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=512MB ${PG_EXTRA_OPTS:-}"
    if [ -f "$BENCH_DIR/seeded" ]; then
        resume_postgres "$BENCH_DIR"
        if ! .venv/bin/python manage.py migrate --check -v 0 >/dev/null 2>&1; then
            .venv/bin/python manage.py migrate --no-input -v 0
            # A migration that rewrote a million rows leaves stale statistics and an empty visibility map, on
            # which the list's index-only counts depend.
            "$(pg_bin psql)" -q -h 127.0.0.1 -p "$PG_PORT" -U instroom -d instroom -c "VACUUM ANALYZE" >/dev/null
        fi
    else
        rm -rf "$BENCH_DIR"
        mkdir -p "$BENCH_DIR"
        start_postgres "$BENCH_DIR"
        .venv/bin/python manage.py migrate --no-input -v 0
        .venv/bin/python manage.py seed_demo --candidates "$candidates" --seed 2026 --today 2026-11-01
        "$(pg_bin psql)" -q -h 127.0.0.1 -p "$PG_PORT" -U instroom -d instroom -c "VACUUM ANALYZE" >/dev/null
        touch "$BENCH_DIR/seeded"
    fi
    export PG_STOP_MODE=fast
    trap stop_postgres EXIT
}
