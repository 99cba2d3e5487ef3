#!/usr/bin/env bash
# Lab part: a real PostgreSQL 15 cluster on 127.0.0.1:55432 shaped like production's compose `postgres`
# service: database a2a_world owned by a2a_user (scram password, checked over TCP), pg_stat_statements
# preloaded and created, a small max_connections (40) so tests reach 80 % cheaply, seed tables with rows
# and one unused index. Writes $A2A_LAB_DIR/postgres.json; `down` stops the postmaster and removes the dir.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_DIR=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR="$LAB_DIR/postgres"
PORT=${A2A_LAB_PG_PORT:-55432}
SUPERUSER=lab_admin
APP_USER=a2a_user
APP_DB=a2a_world
MAX_CONNECTIONS=40
CLUSTER="$here/../postgres/cluster.sh"
JSON="$LAB_DIR/postgres.json"

psql_super() {
  # Over the unix socket in DIR (trust for local connections), as the lab superuser.
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U "$SUPERUSER" "$@"
}

write_json() {
  local app_pw super_pw enc_pw version
  app_pw=$(cat "$DIR/app.pw")
  super_pw=$(cat "$DIR/superuser.pw")
  enc_pw=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$app_pw")
  version=$(psql_super -d postgres -Atc 'SHOW server_version')
  cat >"$JSON.tmp" <<JSON
{
  "host": "127.0.0.1",
  "port": $PORT,
  "user": "$APP_USER",
  "password": "$app_pw",
  "database": "$APP_DB",
  "url": "postgresql://$APP_USER:$enc_pw@127.0.0.1:$PORT/$APP_DB",
  "maxConnections": $MAX_CONNECTIONS,
  "superuser": {
    "user": "$SUPERUSER",
    "password": "$super_pw",
    "url": "postgresql://$SUPERUSER:$super_pw@127.0.0.1:$PORT/$APP_DB"
  },
  "socketDir": "$DIR",
  "dataDir": "$DIR/data",
  "binDir": "$PG_BIN",
  "serverVersion": "$version",
  "clusterScript": "$(cd "$here/../postgres" && pwd)/cluster.sh"
}
JSON
  mv "$JSON.tmp" "$JSON"
}

case "${1:-}" in
  up)
    if bash "$CLUSTER" status "$DIR" 2>/dev/null && [ -f "$DIR/app.pw" ]; then
      write_json
      echo "postgres: already up on 127.0.0.1:$PORT"
      exit 0
    fi
    # A half-made dir from an interrupted run: start clean.
    bash "$CLUSTER" down "$DIR"
    tmp=$(mktemp)
    # Hex keeps the superuser password URL-safe; the app password carries '@' and '/' on purpose so that
    # every consumer has to URL-encode it in a DSN (and scrub the encoded form).
    openssl rand -hex 16 >"$tmp"
    bash "$CLUSTER" up "$DIR" "$PORT" "$SUPERUSER" "$tmp" \
      "max_connections=$MAX_CONNECTIONS" \
      "shared_preload_libraries=pg_stat_statements" \
      "pg_stat_statements.track=all" \
      "log_min_messages=warning"
    rm -f "$tmp"
    app_pw="$(openssl rand -hex 12)@Lab/1"
    printf '%s' "$app_pw" >"$DIR/app.pw"
    chmod 600 "$DIR/app.pw"
    psql_super -d postgres <<SQL
CREATE ROLE $APP_USER LOGIN PASSWORD '$app_pw';
-- pg_monitor lets the health check see other sessions' query text and pg_stat_statements without superuser.
GRANT pg_monitor TO $APP_USER;
CREATE DATABASE $APP_DB OWNER $APP_USER;
SQL
    psql_super -d "$APP_DB" -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
    PGPASSWORD="$app_pw" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$APP_USER" -d "$APP_DB" \
      -f "$here/../postgres/seed.sql" >/dev/null
    write_json
    echo "postgres: up on 127.0.0.1:$PORT (db $APP_DB, user $APP_USER, max_connections $MAX_CONNECTIONS)"
    ;;
  down)
    bash "$CLUSTER" down "$DIR"
    rm -f "$JSON"
    ;;
  *)
    echo "usage: postgres.sh up|down" >&2
    exit 2
    ;;
esac
