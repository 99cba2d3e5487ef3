#!/usr/bin/env bash
# The lab: real components (OpenSSH in network namespaces, PostgreSQL 15, Docker + compose, a registry,
# nginx, NATS, TLS and HTTP endpoints, an ACME server) started on this machine for the lab test tier,
# the benchmarks and `npm run demo -- --lab`.
#   bash lab/lab.sh up [part ...]     start (idempotent); no part = all, in dependency order
#   bash lab/lab.sh down [part ...]   stop; leaves no daemon, namespace, iptables rule or container behind
#   bash lab/lab.sh status            which parts are up
#   bash lab/lab.sh check-clean       after down: fails, listing them, if any lab daemon, namespace,
#                                     bridge, iptables chain, container or file is left behind
# Each part is lab/parts/<name>.sh taking `up` or `down`, and on `up` writes $A2A_LAB_DIR/<name>.json
# describing itself (addresses, ports, keys) for test-support/lab.ts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export A2A_LAB_DIR=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
A2A_REPO_DIR=$(cd "$here/.." && pwd)
export A2A_REPO_DIR
mkdir -p "$A2A_LAB_DIR"

# Dependency order: hosts first (namespaces, sshd), docker needs hosts, acme needs hosts and tls, apt needs hosts.
ALL_PARTS=(hosts postgres tls http nats docker acme apt)

cmd=${1:-status}
shift || true
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=("${ALL_PARTS[@]}")

case "$cmd" in
  up)
    for p in "${parts[@]}"; do
      [ -f "$here/parts/$p.sh" ] || { echo "lab: no part '$p' (have: ${ALL_PARTS[*]})" >&2; exit 2; }
      echo "lab: up $p"
      bash "$here/parts/$p.sh" up
    done
    ;;
  down)
    # Reverse order; keep going on errors so one broken part never leaves the others running.
    rc=0
    for ((i=${#parts[@]}-1; i>=0; i--)); do
      p=${parts[$i]}
      [ -f "$here/parts/$p.sh" ] || continue
      echo "lab: down $p"
      bash "$here/parts/$p.sh" down || rc=1
      rm -f "$A2A_LAB_DIR/$p.json"
    done
    exit $rc
    ;;
  status)
    for p in "${ALL_PARTS[@]}"; do
      if [ -f "$A2A_LAB_DIR/$p.json" ]; then echo "$p: up"; else echo "$p: down"; fi
    done
    ;;
  check-clean)
    left=()
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^a2a-' || true); do left+=("network namespace $ns"); done
    for link in a2a-br0 docker0; do ip link show "$link" >/dev/null 2>&1 && left+=("network link $link"); done
    iptables -S 2>/dev/null | grep -q -- '-N DOCKER' && left+=("iptables DOCKER chains")
    # Lab daemons are started with their config or data under the lab dir: find them by command line.
    while read -r pid cmd; do
      [ -n "$pid" ] && left+=("process $pid: ${cmd:0:120}")
    done < <(pgrep -af -- "$A2A_LAB_DIR" || true)
    for bin in dockerd containerd docker-registry nats-server pebble; do
      pgrep -x "$bin" >/dev/null 2>&1 && left+=("a running $bin")
    done
    command -v docker >/dev/null && [ -S /var/run/docker.sock ] && docker ps -aq 2>/dev/null | grep -q . && left+=("docker containers")
    [ -e /etc/sudoers.d/a2a-lab-apt ] && left+=("sudoers drop-in /etc/sudoers.d/a2a-lab-apt")
    [ -e "$A2A_LAB_DIR" ] && [ -n "$(ls -A "$A2A_LAB_DIR" 2>/dev/null)" ] && left+=("files in $A2A_LAB_DIR")
    if [ ${#left[@]} -gt 0 ]; then
      echo "lab: left behind after down:" >&2
      printf '  - %s\n' "${left[@]}" >&2
      exit 1
    fi
    echo "lab: clean (no namespace, link, iptables chain, daemon, container or file left)"
    ;;
  *)
    echo "usage: lab.sh up|down|status|check-clean [part ...]" >&2
    exit 2
    ;;
esac
