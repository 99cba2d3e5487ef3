#!/usr/bin/env bash
# One throwaway PostgreSQL 15 cluster, run as the `postgres` user (initdb refuses root): used by
# lab/parts/postgres.sh for the lab database and by lab tests that need a cluster of their own to stop.
#   bash lab/postgres/cluster.sh up DIR PORT SUPERUSER PASSWORD_FILE [extra postgres -c settings...]
#   bash lab/postgres/cluster.sh down DIR
#   bash lab/postgres/cluster.sh status DIR      exit 0 when the postmaster answers
# DIR holds data/, the unix socket and the log; `down` stops the postmaster by its PID file and removes DIR.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  # Run a command line as the postgres user with the cluster's binaries first on PATH.
  su postgres -s /bin/bash -c "PATH=$PG_BIN:\$PATH; $1"
}

is_running() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 1
  as_postgres "pg_ctl -D '$dir/data' status" >/dev/null 2>&1
}

cmd=${1:-}
case "$cmd" in
  up)
    dir=$2 port=$3 superuser=$4 pwfile=$5
    shift 5
    [ -x "$PG_BIN/initdb" ] || { echo "cluster: no PostgreSQL 15 binaries in $PG_BIN (apt-get install -y postgresql)" >&2; exit 1; }
    if is_running "$dir"; then exit 0; fi
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
    # The password file must be readable by initdb running as postgres; it lives inside DIR.
    install -o postgres -m 600 "$pwfile" "$dir/superuser.pw"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "initdb -D '$dir/data' -U '$superuser' --pwfile='$dir/superuser.pw' --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    for setting in "$@"; do opts="$opts -c $setting"; done
    # -t bounds the wait; -w makes pg_ctl return only once the server accepts connections.
    as_postgres "pg_ctl -D '$dir/data' -o '$opts' -l '$dir/log' -w -t 30 start" >/dev/null \
      || { tail -n 30 "$dir/log" >&2; exit 1; }
    ;;
  down)
    dir=$2
    if [ -f "$dir/data/postmaster.pid" ]; then
      pid=$(head -n 1 "$dir/data/postmaster.pid")
      as_postgres "pg_ctl -D '$dir/data' -m fast -w -t 20 stop" >/dev/null 2>&1 || true
      # pg_ctl failed or timed out: end that one postmaster by its PID, bounded.
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -rf "$dir"
    ;;
  status)
    is_running "$2"
    ;;
  *)
    echo "usage: cluster.sh up DIR PORT SUPERUSER PASSWORD_FILE [setting=value ...] | down DIR | status DIR" >&2
    exit 2
    ;;
esac
