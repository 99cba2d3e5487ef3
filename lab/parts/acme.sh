#!/usr/bin/env bash
# Lab part "acme": a real ACME server (Debian's pebble) on the loopback of lab host a2a-app1's network
# namespace, certbot lineages issued by it (lab.test, and broken.test whose ACME server is gone), a real nginx
# serving lab.test's live certificate on 127.0.0.1 and reloaded by certbot's deploy hook, and a sudoers rule
# letting `deploy` run only certbot. Needs the `hosts` part (namespace + sshd + deploy user).
# Writes $A2A_LAB_DIR/acme.json.    bash lab/parts/acme.sh up|down
set -euo pipefail
# shellcheck source=lab/parts/lib.sh
. "$(dirname "$0")/lib.sh"
LAB=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
D=$LAB/acme
NS=${A2A_ACME_NS:-a2a-app1}
SERVE_PORT=${A2A_ACME_SERVE_PORT:-18460}
SUDOERS=/etc/sudoers.d/a2a-lab-certbot
DIR_URL=https://127.0.0.1:14000/dir

down() {
  stop_pidfile "$D/nginx.pid"
  stop_pidfile "$D/pebble.pid"
  rm -f "$SUDOERS"
  rm -rf "$D"
  rm -f "$LAB/acme.json"
}

in_ns() { ip netns exec "$NS" "$@"; }

wait_https() { # what url-in-ns
  for _ in $(seq 1 100); do
    in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/14000" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "acme: $1 did not come up" >&2; return 1
}

certbot_lab() { # args... ; certbot as the renewal will run it, with the lab's dirs and trust for pebble
  in_ns env REQUESTS_CA_BUNDLE="$D/pebble-tls/ca.crt" certbot --non-interactive \
    --config-dir "$D/le" --work-dir "$D/le/work" --logs-dir "$D/le/logs" "$@"
}

up() {
  if [ -f "$LAB/acme.json" ] && [ -f "$D/pebble.pid" ] && kill -0 "$(cat "$D/pebble.pid")" 2>/dev/null; then
    echo "acme: already up"; return 0
  fi
  ip netns list | grep -qw "$NS" || { echo "acme: network namespace $NS is missing: run 'bash lab/lab.sh up hosts' first" >&2; exit 1; }
  id deploy >/dev/null 2>&1 || { echo "acme: user 'deploy' is missing: run 'bash lab/lab.sh up hosts' first" >&2; exit 1; }
  down
  mkdir -p "$D/pebble-tls" "$D/le" "$D/nginx/tmp" "$D/nginx/logs"
  in_ns ip link set lo up

  # pebble's own HTTPS certificate (the ACME API is HTTPS-only), from a throwaway CA certbot is told to trust.
  (
    cd "$D/pebble-tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 30 \
      -subj "/CN=A2A Lab ACME API CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out api.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > api.ext
    openssl x509 -req -in api.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile api.ext -out cert.pem 2>/dev/null
  )
  cat > "$D/pebble.json" <<EOF
{ "pebble": { "listenAddress": "127.0.0.1:14000", "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$D/pebble-tls/cert.pem", "privateKey": "$D/pebble-tls/key.pem",
  "httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "", "externalAccountBindingRequired": false } }
EOF
  # PEBBLE_VA_ALWAYS_VALID: no challenge is really validated (nothing outside the lab is reachable anyway).
  # Called directly (not through in_ns) so that $! is pebble itself: ip netns exec, env and nohup all exec.
  ip netns exec "$NS" env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    nohup pebble -config "$D/pebble.json" > "$D/pebble.log" 2>&1 &
  echo $! > "$D/pebble.pid"
  wait_https pebble

  # nginx reloads on SIGHUP from certbot's deploy hook (same PID namespace, so kill works from the host ns).
  local hook="test -f $D/nginx.pid && kill -HUP \$(cat $D/nginx.pid)"
  certbot_lab certonly --server "$DIR_URL" --agree-tos --register-unsafely-without-email \
    --standalone --http-01-address 127.0.0.1 --http-01-port 5080 -d lab.test --cert-name lab.test \
    --deploy-hook "$hook" > "$D/issue-lab.log" 2>&1
  certbot_lab certonly --server "$DIR_URL" --agree-tos --register-unsafely-without-email \
    --standalone --http-01-address 127.0.0.1 --http-01-port 5080 -d broken.test --cert-name broken.test > "$D/issue-broken.log" 2>&1
  # broken.test renews against an ACME server that no longer exists: its renewal must fail, visibly.
  sed -i 's#^server = .*#server = https://127.0.0.1:14001/dir#' "$D/le/renewal/broken.test.conf"
  # Same account under the dead server's name, so certbot gets as far as connecting (and is refused).
  cp -r "$D/le/accounts/127.0.0.1:14000" "$D/le/accounts/127.0.0.1:14001"

  # pebble generates a new root at every start: fetch it so checks can trust what pebble issued.
  in_ns curl -sf --cacert "$D/pebble-tls/ca.crt" https://127.0.0.1:15000/roots/0 > "$D/pebble-root.pem"

  cat > "$D/nginx.conf" <<EOF
worker_processes 1;
pid $D/nginx.pid;
error_log $D/nginx/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $D/nginx/tmp/body; proxy_temp_path $D/nginx/tmp/proxy;
  fastcgi_temp_path $D/nginx/tmp/fastcgi; uwsgi_temp_path $D/nginx/tmp/uwsgi; scgi_temp_path $D/nginx/tmp/scgi;
  server { listen 127.0.0.1:$SERVE_PORT ssl; server_name lab.test;
    ssl_certificate $D/le/live/lab.test/fullchain.pem; ssl_certificate_key $D/le/live/lab.test/privkey.pem;
    return 200 "lab.test\n"; }
}
EOF
  nginx -c "$D/nginx.conf" -p "$D/nginx" -e "$D/nginx/logs/error.log"

  # Sudo as the runbook uses it: deploy may run certbot (and nothing else) without a password; certbot
  # trusts pebble's API certificate through an env file only sudo reads.
  echo "REQUESTS_CA_BUNDLE=$D/pebble-tls/ca.crt" > "$D/certbot.env"
  cat > "$SUDOERS.tmp" <<EOF
Defaults:deploy env_file=$D/certbot.env
deploy ALL=(root) NOPASSWD: /usr/bin/certbot
EOF
  visudo -cqf "$SUDOERS.tmp"
  chmod 0440 "$SUDOERS.tmp"
  mv "$SUDOERS.tmp" "$SUDOERS"

  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$SERVE_PORT") 2>/dev/null && break; sleep 0.1; done
  cat > "$LAB/acme.json" <<EOF
{
  "namespace": "$NS",
  "directoryUrl": "$DIR_URL",
  "sshUser": "deploy",
  "configDir": "$D/le",
  "certName": "lab.test",
  "brokenCertName": "broken.test",
  "servedName": "lab.test",
  "servedHost": "127.0.0.1",
  "servedPort": $SERVE_PORT,
  "caFile": "$D/pebble-root.pem"
}
EOF
  echo "acme: up (pebble in $NS on 127.0.0.1:14000, lab.test served on 127.0.0.1:$SERVE_PORT)"
}

case "${1:-}" in
  up) up ;;
  down) down; echo "acme: down" ;;
  *) echo "usage: acme.sh up|down" >&2; exit 2 ;;
esac
