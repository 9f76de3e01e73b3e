# Shared by scripts/run.sh, scripts/test.sh and bench/*.sh: set-up steps for a fresh Debian 12 machine.
# shellcheck shell=bash

UV_VERSION=0.13.9
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 DEBIAN_FRONTEND=noninteractive

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

_apt_updated=""
apt_install() {
    # Installs the Debian packages given, only if some are missing.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> apt-get install ${missing[*]}"
    if [ -z "$_apt_updated" ]; then as_root apt-get update -qq; _apt_updated=1; fi
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python_env() {
    # A virtual environment in .venv with exactly the locked dependencies.
    if ! python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
        echo "Python 3.11 is required (python3 is $(python3 --version 2>&1))." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; rm -rf .venv; python3 -m venv .venv; }
    fi
    if [ ! -x .venv/bin/uv ] || [ "$(.venv/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        .venv/bin/python -m pip install -q "uv==$UV_VERSION"
    fi
    .venv/bin/uv sync --locked --quiet --python .venv/bin/python
}

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    echo "$dir/$1"
}

# Starts a throwaway PostgreSQL in $1 (a directory) on a free loopback port; sets PG_PORT and DATABASE_URL.
start_postgres() {
    local dir=$1
    apt_install postgresql
    PG_PORT=$(free_port)
    mkdir -p "$dir/pg" "$dir/pgsock"
    local run=()
    # PostgreSQL refuses to run as root; the Debian package creates the postgres user for this.
    if [ "$(id -u)" = 0 ]; then
        touch "$dir/postgres.log"
        chown postgres "$dir/pg" "$dir/pgsock" "$dir/postgres.log"
        chmod 755 "$dir"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$(pg_bin initdb)" -D "$dir/pg" -U instroom --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    _pg_run=("${run[@]}")
    _pg_ctl_start "$dir"
    "$(pg_bin psql)" -q -h 127.0.0.1 -p "$PG_PORT" -U instroom -d postgres -c "CREATE DATABASE instroom" >/dev/null
}

# Starts the PostgreSQL that start_postgres created earlier in $1 again, on a new free port (the benchmarks keep
# one seeded database between runs); sets PG_PORT and DATABASE_URL.
resume_postgres() {
    local dir=$1
    PG_PORT=$(free_port)
    _pg_run=()
    [ "$(id -u)" = 0 ] && _pg_run=(runuser -u postgres --)
    _pg_ctl_start "$dir"
}

_pg_ctl_start() {
    local dir=$1
    # Durability is pointless for a throwaway test database; turning it off makes the suite faster.
    "${_pg_run[@]}" "$(pg_bin pg_ctl)" -D "$dir/pg" -l "$dir/postgres.log" -w start -o \
        "-p $PG_PORT -k $dir/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200 ${PG_EXTRA_OPTS:-}" >/dev/null
    export DATABASE_URL="postgres://instroom@127.0.0.1:$PG_PORT/instroom"
    _pg_dir=$dir
}

stop_postgres() {
    [ -n "${_pg_dir:-}" ] && "${_pg_run[@]}" "$(pg_bin pg_ctl)" -D "$_pg_dir/pg" -m "${PG_STOP_MODE:-immediate}" -w stop \
        >/dev/null 2>&1
    _pg_dir=""
}

# Runs redis-server in the background on port $1 with its files in $2 and waits until it answers. The tests
# that stop and restart Redis call this too.
run_redis() {
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --dir "$2" --pidfile "$2/redis.pid" --logfile "$2/redis.log"
    for _ in $(seq 50); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

# Starts a throwaway Redis on a free loopback port; sets REDIS_PORT and REDIS_URL.
start_redis() {
    local dir=$1
    apt_install redis-server
    REDIS_PORT=$(free_port)
    run_redis "$REDIS_PORT" "$dir"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    export REDIS_SERVER_PORT=$REDIS_PORT REDIS_SERVER_DIR=$dir
}

stop_redis() {
    [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
    REDIS_PORT=""
}
