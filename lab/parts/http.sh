#!/usr/bin/env bash
# Lab part: the HTTP endpoint server (healthy, slow, 5xx, hanging, flaky, redirect chain/loop, off-host
# redirect) from test-support/http-endpoints.ts, on 127.0.0.1:$A2A_LAB_HTTP_PORT (default 18390).
# Writes $A2A_LAB_DIR/http.json; `down` stops it by its PID file and removes its directory.
set -euo pipefail
# shellcheck source=lab/parts/lib.sh
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
REPO=${A2A_REPO_DIR:-$(cd "$here/../.." && pwd)}
LAB_DIR=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
DIR="$LAB_DIR/http"
PORT=${A2A_LAB_HTTP_PORT:-18390}
SLOW_MS=800
JSON="$LAB_DIR/http.json"
PIDFILE="$DIR/server.pid"

alive() { pid_alive "$PIDFILE"; }

write_json() {
  cat >"$JSON.tmp" <<JSON
{
  "url": "http://127.0.0.1:$PORT",
  "port": $PORT,
  "pid": $(cat "$PIDFILE"),
  "slowMs": $SLOW_MS,
  "routes": {
    "healthy": "/healthy",
    "slow": "/slow",
    "error": "/status/500",
    "hanging": "/hang",
    "flaky": "/flaky/{key}?fail=N",
    "redirectChain": "/redirect/{n}",
    "redirectLoop": "/loop/a",
    "offHost": "/off-host",
    "echoHeaders": "/echo-headers"
  },
  "log": "$DIR/server.log"
}
JSON
  mv "$JSON.tmp" "$JSON"
}

case "${1:-}" in
  up)
    mkdir -p "$DIR"
    if alive; then write_json; echo "http: already up on 127.0.0.1:$PORT"; exit 0; fi
    cd "$REPO"
    nohup node --import tsx lab/servers/http-endpoints.ts "$PORT" "$SLOW_MS" >"$DIR/server.log" 2>&1 &
    echo $! >"$PIDFILE"
    # tsx compiles on start (~1 s); wait at most 15 s for the first healthy answer.
    for _ in $(seq 1 150); do
      if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthy" 2>/dev/null; then write_json; echo "http: up on 127.0.0.1:$PORT"; exit 0; fi
      alive || break
      sleep 0.1
    done
    echo "http: the endpoint server did not start; log:" >&2
    cat "$DIR/server.log" >&2 || true
    bash "$0" down || true
    exit 1
    ;;
  down)
    stop_pidfile "$PIDFILE"
    rm -rf "$DIR" "$JSON"
    ;;
  *)
    echo "usage: http.sh up|down" >&2
    exit 2
    ;;
esac
