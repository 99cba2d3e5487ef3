#!/bin/sh
# PID 1 of the api container: serves HTTP on :80 through busybox nc (one forked handler per
# connection) and stops within a second on SIGTERM, as a real service would, so `docker stop` during
# a rolling deploy does not wait out its 10 s grace period.
API_HOSTNAME=$(hostname)
export API_HOSTNAME
echo "api ${API_VERSION} (health=${API_HEALTH}) listening on :80 as ${API_HOSTNAME}"
nc -ll -p 80 -e /app/handler.sh &
server=$!
stop() {
  echo "api ${API_VERSION}: SIGTERM, closing the listener and letting in-flight requests finish"
  kill "$server" 2>/dev/null
  sleep 0.3
  exit 0
}
trap stop TERM INT
wait "$server"
