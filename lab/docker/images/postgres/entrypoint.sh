#!/bin/sh
# PID 1 of the postgres container. On the first start (an empty volume) it creates the cluster — the
# superuser $POSTGRES_USER with password $POSTGRES_PASSWORD, checked with scram-sha-256 over TCP, trust
# on the local socket (so `docker-compose exec -T postgres psql -U a2a_user` works as in the runbook),
# listening on the container network — creates $POSTGRES_DB and seeds it from /app/seed.sql. Then it
# execs the server, so Docker's stop signal reaches PostgreSQL itself.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
MARK="$PGDATA/.a2a-lab-initialized"

log() { echo "postgres-entrypoint: $*"; }

initialize() {
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres-entrypoint: POSTGRES_PASSWORD is empty; set it in .env.production (compose passes it to this service)" >&2
    exit 1
  fi
  if [ -e "$PGDATA/PG_VERSION" ]; then
    # A first start that died half-way (no marker): its cluster may lack the database or the seed.
    log "found an unfinished initialization in $PGDATA; starting it again"
    rm -rf "${PGDATA:?}"/* "${PGDATA:?}"/.[!.]*
  fi
  log "initializing a PostgreSQL 15 cluster in $PGDATA (superuser $POSTGRES_USER, database $POSTGRES_DB)"
  # The password goes through a file that only this user can read, never through argv or a log.
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  # --no-sync: seconds saved on every lab start; the setup server's checkpoint below writes the data.
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >/dev/null
  rm -f "$pwfile"
  cat >> "$PGDATA/pg_hba.conf" <<HBA

# a2a-ops lab: any address on the container network, password checked.
host    all             all             all                     scram-sha-256
HBA
  cat >> "$PGDATA/postgresql.conf" <<CONF

# a2a-ops lab
listen_addresses = '*'
jit = off
CONF
  # A private socket and no TCP while seeding: nothing (the health check included) sees a
  # half-seeded database.
  sock=$(mktemp -d)
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$sock" -w -t 30 -l "$sock/setup.log" start >/dev/null \
    || { cat "$sock/setup.log" >&2; exit 1; }
  psql -h "$sock" -U "$POSTGRES_USER" -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\""
  psql -h "$sock" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v ON_ERROR_STOP=1 -q -f /app/seed.sql
  pg_ctl -D "$PGDATA" -m fast -w -t 30 stop >/dev/null
  rm -rf "$sock"
  touch "$MARK"
  log "initialized and seeded $POSTGRES_DB"
}

if [ "${1:-}" = postgres ]; then
  [ -e "$MARK" ] || initialize
  shift
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
