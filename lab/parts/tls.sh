#!/usr/bin/env bash
# Lab part "tls": real openssl-made certificates (valid, 10 days, expired, not yet valid, wrong name,
# self-signed, missing intermediate, SNI-only) served by a real nginx on 127.0.0.1, plus a port that accepts
# TCP and never answers. Writes $A2A_LAB_DIR/tls.json for the action-ssl lab tests and benchmark.
#   bash lab/parts/tls.sh up|down
set -euo pipefail
# shellcheck source=lab/parts/lib.sh
. "$(dirname "$0")/lib.sh"
LAB=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
D=$LAB/tls
BASE_PORT=${A2A_TLS_BASE_PORT:-18440}

# name:port-offset:expected-status:expected-problem:expected-days
CASES=(
  "valid:1:ok::90"
  "expiring:2:warn::10"
  "expired:3:fail:expired:-5"
  "notYetValid:4:fail:not-yet-valid:95"
  "wrongName:5:fail:wrong-name:90"
  "selfSigned:6:fail:self-signed:90"
  "missingIntermediate:7:fail:missing-intermediate:90"
  "sniOnly:8:ok::90"
)
HANG_PORT=$((BASE_PORT + 9))

down() {
  stop_pidfile "$D/nginx.pid"
  stop_pidfile "$D/hang.pid"
  rm -rf "$D"
  rm -f "$LAB/tls.json"
}

wait_port() { # port
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "tls: nothing listens on 127.0.0.1:$1" >&2; return 1
}

utc() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

make_certs() {
  mkdir -p "$D/ca/newcerts"
  cd "$D"
  : > ca/index.txt
  echo 1000 > ca/serial
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  # Root and intermediate, as a public CA would have them.
  openssl req -x509 "${ec[@]}" -keyout root.key -out root.crt -days 3650 -subj "/CN=A2A Lab Root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req "${ec[@]}" -keyout inter.key -out inter.csr -subj "/CN=A2A Lab Intermediate CA" 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > inter.ext
  openssl x509 -req -in inter.csr -CA root.crt -CAkey root.key -CAcreateserial -days 1825 -extfile inter.ext -out inter.crt 2>/dev/null
  cat > ca.cnf <<EOF
[ ca ]
default_ca = lab
[ lab ]
dir = $D/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = $D/inter.crt
private_key = $D/inter.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ leaf_local ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[ leaf_other ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example.test
EOF
  # leaf NAME CN EXT START END: a leaf signed by the intermediate with exact dates (openssl ca allows past ones).
  leaf() {
    openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
    openssl ca -batch -config ca.cnf -extensions "$3" -startdate "$(utc "$4")" -enddate "$(utc "$5")" \
      -in "$1.csr" -out "$1.crt" -notext 2>/dev/null
    cat "$1.crt" inter.crt > "$1.chain.pem"
  }
  leaf valid localhost leaf_local "-1 day" "+90 days"
  leaf expiring localhost leaf_local "-80 days" "+10 days"
  leaf expired localhost leaf_local "-95 days" "-5 days"
  leaf notYetValid localhost leaf_local "+5 days" "+95 days"
  leaf wrongName other.example.test leaf_other "-1 day" "+90 days"
  leaf missingIntermediate localhost leaf_local "-1 day" "+90 days"
  cp missingIntermediate.crt missingIntermediate.chain.pem   # served without the intermediate
  leaf sniOnly localhost leaf_local "-1 day" "+90 days"
  # Self-signed leaf: its own issuer, no CA behind it.
  openssl req -x509 "${ec[@]}" -keyout selfSigned.key -out selfSigned.crt -days 90 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
  cp selfSigned.crt selfSigned.chain.pem
  # The SNI-only port's default certificate, given to clients that send no or another name.
  openssl req -x509 "${ec[@]}" -keyout fallback.key -out fallback.crt -days 90 -subj "/CN=fallback.invalid" \
    -addext "subjectAltName=DNS:fallback.invalid" 2>/dev/null
  cp root.crt ca.crt
}

write_nginx_conf() {
  mkdir -p "$D/nginx/tmp" "$D/nginx/logs"
  {
    echo "worker_processes 1;"
    echo "pid $D/nginx.pid;"
    echo "error_log $D/nginx/logs/error.log warn;"
    echo "events { worker_connections 512; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $D/nginx/tmp/body; proxy_temp_path $D/nginx/tmp/proxy;"
    echo "  fastcgi_temp_path $D/nginx/tmp/fastcgi; uwsgi_temp_path $D/nginx/tmp/uwsgi; scgi_temp_path $D/nginx/tmp/scgi;"
    echo "  ssl_protocols TLSv1.2 TLSv1.3;"
    for c in "${CASES[@]}"; do
      IFS=: read -r name off _ <<<"$c"
      port=$((BASE_PORT + off))
      if [ "$name" = sniOnly ]; then
        echo "  server { listen 127.0.0.1:$port ssl default_server; server_name _;"
        echo "    ssl_certificate $D/fallback.crt; ssl_certificate_key $D/fallback.key; return 421; }"
        echo "  server { listen 127.0.0.1:$port ssl; server_name localhost;"
      else
        echo "  server { listen 127.0.0.1:$port ssl;"
      fi
      echo "    ssl_certificate $D/$name.chain.pem; ssl_certificate_key $D/$name.key; return 200 \"$name\"; }"
    done
    echo "}"
  } > "$D/nginx.conf"
}

up() {
  if [ -f "$LAB/tls.json" ] && [ -f "$D/nginx.pid" ] && kill -0 "$(cat "$D/nginx.pid")" 2>/dev/null; then
    echo "tls: already up"; return 0
  fi
  down
  mkdir -p "$D"
  ( make_certs )
  write_nginx_conf
  nginx -t -q -c "$D/nginx.conf" -p "$D/nginx" -e "$D/nginx/logs/error.log"
  nginx -c "$D/nginx.conf" -p "$D/nginx" -e "$D/nginx/logs/error.log"
  # A port that accepts TCP and never sends a byte: a TLS client waits for ServerHello forever.
  nohup node -e "
    const net = require('node:net');
    net.createServer((s) => s.on('error', () => {})).listen($HANG_PORT, '127.0.0.1');
  " > "$D/hang.log" 2>&1 &
  echo $! > "$D/hang.pid"
  for c in "${CASES[@]}"; do IFS=: read -r _ off _ <<<"$c"; wait_port $((BASE_PORT + off)); done
  wait_port "$HANG_PORT"

  {
    echo "{"
    echo "  \"host\": \"127.0.0.1\","
    echo "  \"name\": \"localhost\","
    echo "  \"caFile\": \"$D/ca.crt\","
    echo "  \"hangingPort\": $HANG_PORT,"
    echo "  \"madeAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"cases\": {"
    local first=1
    for c in "${CASES[@]}"; do
      IFS=: read -r name off status problem days <<<"$c"
      [ $first -eq 1 ] || echo ","
      first=0
      printf '    "%s": { "port": %d, "status": "%s", "problems": [%s], "daysLeft": %s }' \
        "$name" $((BASE_PORT + off)) "$status" "${problem:+\"$problem\"}" "$days"
    done
    echo ""
    echo "  }"
    echo "}"
  } > "$LAB/tls.json"
  echo "tls: up (nginx on 127.0.0.1:$((BASE_PORT + 1))-$((BASE_PORT + 8)), hanging port $HANG_PORT)"
}

case "${1:-}" in
  up) up ;;
  down) down; echo "tls: down" ;;
  *) echo "usage: tls.sh up|down" >&2; exit 2 ;;
esac
