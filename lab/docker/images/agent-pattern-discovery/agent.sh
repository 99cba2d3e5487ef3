#!/bin/sh
# Connects to NATS every AGENT_POLL_SECONDS and records when it last saw the server's INFO greeting;
# the Docker health check reads that record. Logs each change of state, not every poll.
state=unknown
trap 'echo "agent: SIGTERM, stopping"; exit 0' TERM INT
echo "agent-pattern-discovery: watching nats://${NATS_HOST}:${NATS_PORT}"
while true; do
  greeting=$(timeout 3 nc -w 2 "$NATS_HOST" "$NATS_PORT" </dev/null 2>/dev/null | head -n 1)
  case "$greeting" in
    INFO*)
      date +%s > /tmp/nats-seen
      [ "$state" = up ] || echo "agent: connected to NATS at ${NATS_HOST}:${NATS_PORT}: ${greeting%%,*}"
      state=up ;;
    *)
      rm -f /tmp/nats-seen
      [ "$state" = down ] || echo "agent: cannot reach NATS at ${NATS_HOST}:${NATS_PORT} (no INFO greeting)"
      state=down ;;
  esac
  sleep "$AGENT_POLL_SECONDS" &
  wait $!
done
