#!/bin/sh
# PID 1 of the frontend container: writes /health (it names the container) and runs busybox httpd,
# forwarding SIGTERM so `docker stop` is quick.
printf '{"status":"ok","service":"frontend","version":"%s","host":"%s","labHost":"%s"}' \
  "$FRONTEND_VERSION" "$(hostname)" "${A2A_LAB_HOST:-}" > /www/health
echo "frontend ${FRONTEND_VERSION} serving /www on :80"
httpd -f -p 80 -h /www &
server=$!
trap 'kill "$server" 2>/dev/null; exit 0' TERM INT
wait "$server"
