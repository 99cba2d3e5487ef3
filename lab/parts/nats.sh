#!/usr/bin/env bash
# Lab part: a real NATS server (Debian's nats-server) on 127.0.0.1:$A2A_LAB_NATS_PORT (default 14222)
# with its monitoring endpoint (/healthz) on $A2A_LAB_NATS_MONITOR_PORT (default 18222), as the agents'
# message bus. Writes $A2A_LAB_DIR/nats.json; `down` stops it by its PID file and removes its directory.
set -euo pipefail
# shellcheck source=lab/parts/lib.sh
. "$(dirname "$0")/lib.sh"
LAB_DIR=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
DIR="$LAB_DIR/nats"
PORT=${A2A_LAB_NATS_PORT:-14222}
MONITOR_PORT=${A2A_LAB_NATS_MONITOR_PORT:-18222}
JSON="$LAB_DIR/nats.json"
PIDFILE="$DIR/nats.pid"
BIN=$(command -v nats-server || echo /usr/sbin/nats-server)

alive() { pid_alive "$PIDFILE"; }

write_json() {
  cat >"$JSON.tmp" <<JSON
{
  "url": "nats://127.0.0.1:$PORT",
  "host": "127.0.0.1",
  "port": $PORT,
  "monitorUrl": "http://127.0.0.1:$MONITOR_PORT/healthz",
  "pid": $(cat "$PIDFILE"),
  "binary": "$BIN",
  "log": "$DIR/nats.log"
}
JSON
  mv "$JSON.tmp" "$JSON"
}

case "${1:-}" in
  up)
    mkdir -p "$DIR"
    if alive; then write_json; echo "nats: already up on 127.0.0.1:$PORT"; exit 0; fi
    [ -x "$BIN" ] || { echo "nats: nats-server not installed (apt-get install -y nats-server)" >&2; exit 1; }
    # nats-server writes its own PID file (-P); it runs in the foreground, so background it here.
    nohup "$BIN" -a 127.0.0.1 -p "$PORT" -m "$MONITOR_PORT" -P "$PIDFILE" -l "$DIR/nats.log" >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      if [ -f "$PIDFILE" ] && curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$MONITOR_PORT/healthz" 2>/dev/null; then
        write_json; echo "nats: up on 127.0.0.1:$PORT (monitor $MONITOR_PORT)"; exit 0
      fi
      sleep 0.1
    done
    echo "nats: nats-server did not start; log:" >&2
    cat "$DIR/nats.log" >&2 || true
    bash "$0" down || true
    exit 1
    ;;
  down)
    stop_pidfile "$PIDFILE"
    rm -rf "$DIR" "$JSON"
    ;;
  *)
    echo "usage: nats.sh up|down" >&2
    exit 2
    ;;
esac
