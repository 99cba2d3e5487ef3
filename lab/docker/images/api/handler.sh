#!/bin/sh
# One HTTP/1.0 exchange on stdin/stdout (run by `nc -ll -e` per connection). Reads the whole request
# head before answering: closing a socket with unread bytes makes the kernel send RST, which a proxy
# reports as an upstream error.
cr=$(printf '\r')
read -r method path _proto
while read -r line; do
  case "$line" in "$cr"|"") break ;; esac
done
path=${path%%\?*}
respond() { # status-line body
  printf 'HTTP/1.0 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "$1" "${#2}" "$2"
}
host_json="\"version\":\"${API_VERSION}\",\"host\":\"${API_HOSTNAME}\",\"labHost\":\"${A2A_LAB_HOST:-}\""
case "$method $path" in
  "GET /health"|"HEAD /health")
    if [ "$API_HEALTH" = ok ]; then
      respond "200 OK" "{\"status\":\"ok\",${host_json}}"
    else
      respond "500 Internal Server Error" "{\"status\":\"error\",\"error\":\"database connection failed\",${host_json}}"
    fi ;;
  "GET /"|"GET /api")
    respond "200 OK" "{\"service\":\"a2a-world-api\",${host_json}}" ;;
  *)
    respond "404 Not Found" "{\"error\":\"not found\",\"path\":\"${path}\"}" ;;
esac
