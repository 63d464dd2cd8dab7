#!/usr/bin/env bash
# Start a local PostgreSQL for the store contract tests and print its URL.
#
# Idempotent: installs PostgreSQL with apt only when it is missing, creates and
# starts the Debian "main" cluster only when it is not running, and creates the
# role and the database only when they are absent. Works as root in a container
# without systemd (pg_ctlcluster starts the server directly).
#
# Role `monitor` (password `monitor`) owns database `monitor_test`. The store
# tests create their tables as that role, so it owns them, and a table owner may
# run `ALTER TABLE events DISABLE TRIGGER USER` — which is all the tamper test
# needs (only `DISABLE TRIGGER ALL`, touching system triggers, needs a
# superuser). No superuser URL is therefore required.
#
# Progress goes to stderr; the LAST line on stdout is an export, so CI can do:
#   eval "$(bash .ci/pg-setup.sh | tail -1)"
set -euo pipefail

PG_ROLE=monitor
PG_PASSWORD=monitor
PG_DB=monitor_test
PG_PORT=${PG_PORT:-5432}

log() { echo "pg-setup: $*" >&2; }

# A bare machine may have the psql client but no server: look for the server binary.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null \
        || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing postgresql with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "pg_ctlcluster not found (postgresql-common missing); cannot manage a cluster"
    exit 1
fi

# The newest installed major version, e.g. 15.
PG_VERSION=$(for d in /usr/lib/postgresql/*/bin/postgres; do basename "$(dirname "$(dirname "$d")")"; done | sort -V | tail -1)
if [[ -z "$PG_VERSION" ]]; then
    log "no PostgreSQL server under /usr/lib/postgresql"
    exit 1
fi

if ! pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$PG_VERSION main"; then
    log "creating cluster $PG_VERSION/main on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" "$PG_VERSION" main >&2
fi

if ! pg_lsclusters --no-header | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' \
        | grep -q online; then
    log "starting cluster $PG_VERSION/main"
    pg_ctlcluster "$PG_VERSION" main start >&2
fi

# Run SQL as the postgres superuser over the local socket (peer authentication).
as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"
    else
        sudo -u postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"
    fi
}

log "waiting for the server to accept connections"
for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        break
    fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >&2

if [[ -z $(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") ]]; then
    log "creating role $PG_ROLE"
    as_postgres -c "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD'" >&2
fi

if [[ -z $(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") ]]; then
    log "creating database $PG_DB owned by $PG_ROLE"
    as_postgres -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE" >&2
fi

# Since PostgreSQL 15 the public schema is no longer writable by everyone; the
# database owner owns it in new databases, but make it explicit for old ones.
as_postgres -d "$PG_DB" -c "ALTER SCHEMA public OWNER TO $PG_ROLE" >&2

URL="postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
log "checking a password login as $PG_ROLE"
PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" \
    -qtA -c "SELECT 1" >/dev/null

echo "export MONITOR_TEST_PG_URL=$URL"
