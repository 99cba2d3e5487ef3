#!/usr/bin/env bash
# Lab part "docker": A2A World's container platform on this machine — a real dockerd, Debian's
# docker-registry on 127.0.0.1:5000, the A2A World images built from a busybox rootfs (postgres from
# this machine's PostgreSQL 15) and pushed there, one docker-compose project per lab host (started as
# the host's deploy user inside its namespace) and nginx as the load balancer in front of every host's
# api replicas.
#   bash lab/parts/docker.sh up     idempotent; writes $A2A_LAB_DIR/docker.json
#   bash lab/parts/docker.sh down   leaves no daemon, container, volume, image, bridge, iptables chain or file behind
# Needs the hosts part (hosts.json: namespaces, compose dirs, deploy user). Reads nats.json when the
# nats part is up, for the agent's NATS address; without it the agent points at 127.0.0.1:4222.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=${A2A_REPO_DIR:-$(cd "$here/../.." && pwd)}
lab=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
ctx="$repo/lab/docker"
D="$lab/docker"
STATE="$lab/docker.json"

SOCK=/var/run/docker.sock
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
PLUGIN="$PLUGIN_DIR/docker-compose"
PLUGIN_MARK='a2a-ops lab shim'
REGISTRY=127.0.0.1:5000
LB_PORT=18080
FRONTEND_LB_PORT=18081
# Port ranges: host i gets api ports API_BASE+i*API_SPAN .. +API_SPAN-1 (room for a 2x rolling deploy
# of up to 10 replicas) and frontend ports FRONTEND_BASE+i*FRONTEND_SPAN .. +FRONTEND_SPAN-1.
API_BASE=18100 API_SPAN=20
FRONTEND_BASE=18200 FRONTEND_SPAN=10
MAX_HOSTS=4
BASE_IMAGE=a2a-world/busybox-base:lab
COMPOSE_FILE_NAME=docker-compose.production.yml
ENV_FILE_NAME=.env.production

# name|build-context|build-args, one image tag per line; pushed as $REGISTRY/<name>.
IMAGES=(
  "a2a-world/api:v1|api|API_VERSION=v1 API_HEALTH=ok"
  "a2a-world/api:v2|api|API_VERSION=v2 API_HEALTH=ok"
  "a2a-world/api:v3|api|API_VERSION=v3 API_HEALTH=broken"
  "a2a-world/frontend:v1|frontend|FRONTEND_VERSION=v1"
  "a2a-world/agent-pattern-discovery:v1|agent-pattern-discovery|"
)

# The compose-mode database (the runbook's `docker-compose exec -T postgres pg_dump ...`): this
# machine's Debian PostgreSQL 15 copied into an image, since no registry with a postgres image is
# reachable. Built from a staged context (lab/docker/images/postgres plus rootfs-*.tar).
PG_IMAGE=a2a-world/postgres:15
PG_SERVICE=postgres PG_DB=a2a_world PG_USER=a2a_user PG_UID=999 PG_VOLUME=pgdata
export PG_IMAGE PG_SERVICE PG_DB PG_USER PG_VOLUME # write_state's node reads them
PG_BIN=/usr/lib/postgresql/15/bin
PG_LIB=/usr/lib/postgresql/15/lib
PG_SHARE=/usr/share/postgresql/15
PG_PROGRAMS=(postgres initdb pg_ctl pg_dump pg_restore psql pg_isready)

log() { echo "docker: [${SECONDS}s] $*"; }
die() { echo "docker: ERROR: $*" >&2; exit 1; }

pid_alive() { # pidfile
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Stops the process in a pidfile: TERM, wait up to $2 seconds, then KILL. Never by name.
stop_pidfile() { # pidfile seconds label
  local pf=$1 secs=$2 label=$3 pid i
  [ -s "$pf" ] || return 0
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $label (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$label did not stop in ${secs}s; killing"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pf"
}

http_ok() { # url -> 0 when it answers 2xx
  curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
}

wait_for() { # seconds description command...
  local secs=$1 i
  shift 2 # the description only documents the call site
  for ((i = 0; i < secs * 4; i++)); do
    "$@" && return 0
    sleep 0.25
  done
  return 1
}

# hosts.json -> lines "name<TAB>namespace<TAB>composeDir<TAB>user". Accepts a top-level array or
# {hosts:[...]}; the user may be per host or top-level (default deploy).
read_hosts() {
  node -e '
    const fs = require("fs");
    const raw = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const hosts = Array.isArray(raw) ? raw : raw.hosts;
    const top = Array.isArray(raw) ? {} : raw;
    if (!Array.isArray(hosts) || hosts.length === 0) { console.error("hosts.json lists no hosts"); process.exit(1); }
    for (const h of hosts) {
      const ns = h.namespace ?? h.netns ?? h.name;
      const user = h.user ?? top.user ?? "deploy";
      if (!h.name || !h.composeDir) { console.error("hosts.json entry without name/composeDir: " + JSON.stringify(h)); process.exit(1); }
      console.log([h.name, ns, h.composeDir, user].join("\t"));
    }' "$lab/hosts.json"
}

# nats.json -> "host<TAB>port"; default 127.0.0.1 4222 when the nats part is not up.
read_nats() {
  if [ -f "$lab/nats.json" ]; then
    node -e '
      const n = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      let host = n.host, port = n.port;
      if ((!host || !port) && typeof n.url === "string") { const u = new URL(n.url); host = host ?? u.hostname; port = port ?? Number(u.port); }
      console.log([host ?? "127.0.0.1", port ?? 4222].join("\t"));' "$lab/nats.json"
  else
    printf '127.0.0.1\t4222\n'
  fi
}

# ---------------------------------------------------------------------------------------------- up

record_host_state() {
  # What dockerd may change, recorded once (a re-run of `up` must not record dockerd's own changes).
  [ -f "$D/host-state" ] && return 0
  {
    echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
    echo "forward_policy=$(iptables -S FORWARD 2>/dev/null | awk '$1=="-P"{print $3; exit}')"
    if [ -e /etc/docker/key.json ]; then echo "had_key_json=1"; else echo "had_key_json=0"; fi
  } > "$D/host-state"
}

start_dockerd() {
  if pid_alive "$D/dockerd.pid" && docker info >/dev/null 2>&1; then
    log "dockerd already running (pid $(cat "$D/dockerd.pid"))"
    return 0
  fi
  if [ -S "$SOCK" ] && docker version >/dev/null 2>&1; then
    die "a dockerd this lab did not start already serves $SOCK; stop it (or run 'bash lab/lab.sh down docker' with the A2A_LAB_DIR that started it) and retry"
  fi
  rm -f "$SOCK"
  mkdir -p "$D/data" "$D/exec"
  echo '{}' > "$D/daemon.json"
  record_host_state
  log "starting dockerd (data root $D/data)"
  # --iptables=false/--ip-forward=false: every published port is on 127.0.0.1, which docker-proxy
  # serves without NAT rules, so the lab's dockerd never touches the machine's firewall or forwarding.
  # Own --config-file so a machine-wide /etc/docker/daemon.json (mirrors, hub logins) is never used.
  setsid dockerd \
    --config-file "$D/daemon.json" \
    --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
    -H "unix://$SOCK" --group docker \
    --iptables=false --ip-forward=false --ip-masq=false \
    --log-level warn >"$D/dockerd.log" 2>&1 </dev/null &
  if ! wait_for 30 dockerd docker info >/dev/null 2>&1; then
    tail -n 30 "$D/dockerd.log" >&2 || true
    die "dockerd did not answer on $SOCK within 30s (log: $D/dockerd.log)"
  fi
}

# The lab's hosts are network namespaces behind the hosts part's bridge, and dockerd's bridges are in
# the root namespace. A real Docker host reaches its containers' IPs directly (the runbook's compose
# `postgres` has no published port: a database check tunnels over SSH to the container's IP); for a lab
# host to do the same, the root namespace must route between the two bridges. ip_forward and the
# FORWARD policy were recorded by record_host_state and are put back on down; the two tagged ACCEPT
# rules make it work on a machine whose FORWARD policy is DROP, and go on down too.
FORWARD_TAG=a2a-lab-docker-forward
enable_forwarding() {
  local bridge
  bridge=$(node -e 'const h = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(Array.isArray(h) ? "" : h.bridge ?? "")' "$lab/hosts.json")
  record_host_state
  echo 1 > /proc/sys/net/ipv4/ip_forward
  if [ -z "$bridge" ]; then
    log "WARNING: hosts.json names no bridge; lab hosts reach containers only if the FORWARD policy accepts"
    return 0
  fi
  local rule
  for rule in "-i $bridge -o br-+" "-i br-+ -o $bridge"; do
    # shellcheck disable=SC2086 # the interface options are split on purpose
    iptables -C FORWARD $rule -m comment --comment "$FORWARD_TAG" -j ACCEPT 2>/dev/null \
      || iptables -I FORWARD $rule -m comment --comment "$FORWARD_TAG" -j ACCEPT
  done
  log "forwarding between lab hosts ($bridge) and compose networks (br-*): on"
}

remove_forwarding_rules() {
  command -v iptables >/dev/null || return 0
  local rule
  iptables -S FORWARD 2>/dev/null | grep -F -- "$FORWARD_TAG" | while read -r rule; do
    # shellcheck disable=SC2086 # the rule is iptables-save syntax, split on purpose
    iptables ${rule/#-A/-D} 2>/dev/null || true
  done
}

start_registry() {
  if pid_alive "$D/registry.pid" && http_ok "http://$REGISTRY/v2/"; then
    log "registry already running on $REGISTRY"
    return 0
  fi
  if http_ok "http://$REGISTRY/v2/"; then
    die "something this lab did not start already answers on $REGISTRY; stop it and retry"
  fi
  mkdir -p "$D/registry-data"
  sed "s#@REGISTRY_DATA@#$D/registry-data#" "$ctx/registry/config.yml.template" > "$D/registry.yml"
  log "starting docker-registry on $REGISTRY"
  setsid docker-registry serve "$D/registry.yml" >"$D/registry.log" 2>&1 </dev/null &
  echo $! > "$D/registry.pid"
  wait_for 15 registry http_ok "http://$REGISTRY/v2/" || { tail -n 20 "$D/registry.log" >&2; die "docker-registry did not answer on $REGISTRY within 15s"; }
}

install_compose_plugin() {
  if [ -e "$PLUGIN" ] && ! grep -q "$PLUGIN_MARK" "$PLUGIN"; then
    log "keeping the existing $PLUGIN (not ours)"
    return 0
  fi
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$ctx/cli-plugins/docker-compose" "$PLUGIN"
}

build_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  log "building $BASE_IMAGE from busybox-static"
  local root="$D/build/rootfs" a
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,app,root}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' --change 'CMD ["/bin/sh"]' \
    - "$BASE_IMAGE" >/dev/null
}

build_and_push_one() { # name dir args   (dir: under lab/docker/images, or an absolute path)
  local name=$1 dir=$2 args=$3 flags a err="$D/build-${1//[\/:]/_}.err"
  flags=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  for a in $args; do flags+=(--build-arg "$a"); done
  [[ $dir == /* ]] || dir="$ctx/images/$dir"
  # The legacy builder: BuildKit is not installed, and it never pulls a FROM image it has locally.
  DOCKER_BUILDKIT=0 docker build -q "${flags[@]}" -t "$name" "$dir" >/dev/null 2>"$err" \
    || { cat "$err" >&2; echo "docker: ERROR: docker build of $name failed" >&2; return 1; }
  docker tag "$name" "$REGISTRY/$name"
  docker push -q "$REGISTRY/$name" >/dev/null 2>"$err" \
    || { cat "$err" >&2; echo "docker: ERROR: docker push $REGISTRY/$name failed" >&2; return 1; }
  # Drop the registry tag again so each host's `docker-compose pull` really fetches it from the
  # registry, as production pulls from its registry (the build tag keeps the layers local).
  docker rmi "$REGISTRY/$name" >/dev/null 2>&1 || true
}

# Stages the postgres image's build context in $1: the files of lab/docker/images/postgres and
# rootfs-*.tar holding the PostgreSQL programs, every shared library they (and the server's loadable
# modules) link, the share directory, UTC zone files, and passwd/group with a postgres user.
stage_postgres_context() { # out-dir
  local out=$1 root="$1/rootfs" p f
  for p in "${PG_PROGRAMS[@]}"; do [ -x "$PG_BIN/$p" ] || die "$PG_BIN/$p is missing: install Debian's postgresql-15"; done
  rm -rf "$out"
  mkdir -p "$root$PG_BIN" "$root$PG_LIB" "$root/usr/share/postgresql" "$root/usr/share/zoneinfo/Etc" \
    "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/etc"
  cp "$ctx/images/postgres/"* "$out/"
  for p in "${PG_PROGRAMS[@]}"; do cp "$PG_BIN/$p" "$root$PG_BIN/"; done
  # Every module but llvmjit (it links the 100 MB libLLVM; the entrypoint turns jit off). initdb
  # needs plpgsql and dict_snowball; the rest keep the usual extensions and encodings working.
  for f in "$PG_LIB"/*.so; do [ "${f##*/}" = llvmjit.so ] || cp "$f" "$root$PG_LIB/"; done
  # The share directory without its man pages.
  tar -C "$(dirname "$PG_SHARE")" --exclude="$(basename "$PG_SHARE")/man" -cf - "$(basename "$PG_SHARE")" \
    | tar -C "$root/usr/share/postgresql" -xf -
  cp /usr/share/zoneinfo/UTC "$root/usr/share/zoneinfo/UTC"
  cp /usr/share/zoneinfo/Etc/UTC "$root/usr/share/zoneinfo/Etc/UTC"
  # initdb runs `locale -a` to import the system's collations; glibc's C.utf8 is the one there is.
  mkdir -p "$root/usr/bin" "$root/usr/lib/locale"
  cp /usr/bin/locale "$root/usr/bin/locale"
  [ ! -d /usr/lib/locale/C.utf8 ] || cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
  # Shared libraries as ldd resolves them here (the loader too), copied to the same paths; -L keeps
  # the files, not the symlinks that point at them.
  for f in "$root$PG_BIN"/* "$root$PG_LIB"/*.so "$root/usr/bin/locale"; do ldd "$f" 2>/dev/null || true; done \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u \
    | while read -r f; do cp -L --parents "$f" "$root"; done
  [ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "staging $PG_IMAGE: no dynamic loader was copied"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\npostgres:x:%s:%s:PostgreSQL administrator:/var/lib/postgresql:/bin/sh\n' \
    "$PG_UID" "$PG_UID" > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\npostgres:x:%s:\n' "$PG_UID" > "$root/etc/group"
  chown -R "$PG_UID:$PG_UID" "$root/var/lib/postgresql" "$root/var/run/postgresql"
  chmod 0700 "$root/var/lib/postgresql/data"
  chmod 2775 "$root/var/run/postgresql"
  # Three tars, so three layers of similar size: `docker push` gzips layers concurrently (one 80 MB
  # layer took 4.5 s to push here, three took 2.6 s) and `pull` unpacks them concurrently too.
  # Fixed timestamps: an unchanged PostgreSQL gives byte-identical tars, so a re-run of `up` hits the
  # build cache instead of pushing new layers.
  local tarflags=(--numeric-owner --sort=name --mtime=@0)
  (cd "$root" && tar "${tarflags[@]}" -cf "$out/rootfs-icu.tar" lib/x86_64-linux-gnu/libicu*)
  tar -C "$root" "${tarflags[@]}" --exclude='lib/x86_64-linux-gnu/libicu*' -cf "$out/rootfs-libs.tar" lib lib64
  tar -C "$root" "${tarflags[@]}" -cf "$out/rootfs-postgres.tar" usr etc var
  rm -rf "$root"
}

ms_now() { echo $(($(date +%s%N) / 1000000)); }

stage_postgres() {
  local t0 t1 out="$D/build/postgres"
  # Runs in the background, so errexit (not `|| return`) stops it at the first failing step.
  t0=$(ms_now)
  stage_postgres_context "$out"
  t1=$(ms_now)
  echo "staged in $((t1 - t0)) ms" > "$D/build/postgres.timing"
}

build_and_push_postgres() {
  local t0
  t0=$(ms_now)
  build_and_push_one "$PG_IMAGE" "$D/build/postgres" ""
  echo ", built and pushed in $(($(ms_now) - t0)) ms" >> "$D/build/postgres.timing"
}

build_and_push_images() { # pid of the postgres staging job
  local stage_pid=$1 entry name dir args pid failed=0 pids=()
  # In parallel: each build is mostly waiting on dockerd, and the images share only the base.
  for entry in "${IMAGES[@]}"; do
    IFS='|' read -r name dir args <<<"$entry"
    build_and_push_one "$name" "$dir" "$args" &
    pids+=($!)
  done
  wait "$stage_pid" || die "staging the $PG_IMAGE build context failed (see above)"
  build_and_push_postgres &
  pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "building or pushing the images failed (see above)"
  log "images pushed to $REGISTRY: ${IMAGES[*]%%|*} $PG_IMAGE ($PG_IMAGE $(tr -d '\n' < "$D/build/postgres.timing"), $(docker image inspect -f '{{.Size}}' "$PG_IMAGE" | awk '{printf "%.1f MB", $1 / 1e6}'))"
}

# Compose project name of a host: one dockerd serves every host, so projects must not collide.
project_of() { # host-name
  case "$1" in a2a-*) echo "$1" ;; *) echo "a2a-$1" ;; esac
}

write_host_project() { # index name namespace dir user nats_host nats_port
  local i=$1 name=$2 ns=$3 dir=$4 user=$5 nh=$6 np=$7 project
  project=$(project_of "$name")
  local api_lo=$((API_BASE + i * API_SPAN)) fe_lo=$((FRONTEND_BASE + i * FRONTEND_SPAN))
  mkdir -p "$dir"
  install -m 0644 "$ctx/compose/$COMPOSE_FILE_NAME" "$dir/$COMPOSE_FILE_NAME"
  cat > "$dir/$ENV_FILE_NAME" <<EOF
# A2A World production environment for lab host $name (written by lab/parts/docker.sh up).
# docker-compose reads it through the .env symlink beside it.
COMPOSE_PROJECT_NAME=$project
REGISTRY=$REGISTRY
VERSION=v1
FRONTEND_VERSION=v1
AGENT_VERSION=v1
API_PORTS=$api_lo-$((api_lo + API_SPAN - 1))
FRONTEND_PORTS=$fe_lo-$((fe_lo + FRONTEND_SPAN - 1))
A2A_LAB_HOST=$name
NATS_HOST=$nh
NATS_PORT=$np
POSTGRES_VERSION=${PG_IMAGE##*:}
POSTGRES_PASSWORD=$(cat "$D/postgres-password")
EOF
  chmod 0640 "$dir/$ENV_FILE_NAME"
  ln -sfn "$ENV_FILE_NAME" "$dir/.env"
  chown -h "$user:" "$dir" "$dir/$COMPOSE_FILE_NAME" "$dir/$ENV_FILE_NAME" "$dir/.env"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$ns" "$dir" "$user" "$project" >> "$D/projects.tsv"
}

# The postgres service's password: made once per lab (a re-run of `up` finds volumes initialized
# with it), hex so it needs no quoting in .env.production.
ensure_postgres_password() {
  [ -s "$D/postgres-password" ] && return 0
  (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$D/postgres-password")
  [ "$(wc -c < "$D/postgres-password")" -eq 32 ] || die "could not make a postgres password from /dev/urandom"
}

# Runs a shell command on a lab host as its deploy user, the way an SSH session there would.
on_host() { # namespace user command
  ip netns exec "$1" su -s /bin/sh "$2" -c "$3"
}

start_host_project() { # name namespace dir user
  local name=$1 ns=$2 dir=$3 user=$4
  log "compose up on $name (namespace $ns, $dir, as $user)"
  on_host "$ns" "$user" "cd '$dir' && docker-compose -f $COMPOSE_FILE_NAME pull -q && docker-compose -f $COMPOSE_FILE_NAME up -d --remove-orphans" \
    >"$D/compose-$name.log" 2>&1 || { cat "$D/compose-$name.log" >&2; die "docker-compose up failed on $name"; }
}

grant_docker_group() { # user
  if id -nG "$1" | tr ' ' '\n' | grep -qx docker; then return 0; fi
  usermod -aG docker "$1"
  echo "$1" >> "$D/added-to-docker-group"
}

# True when every container of the lab's projects (except ones named in $1) reports healthy.
all_healthy() { # skip-regex
  local ids states
  mapfile -t ids < <(docker ps -aq --filter label=com.docker.compose.project)
  [ "${#ids[@]}" -gt 0 ] || return 1
  states=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "${ids[@]}")
  ! grep -Ev "^($1) " <<<"$states" | grep -qv ' healthy$'
}

write_nginx() {
  local n=$1 i p api="" fe=""
  for ((i = 0; i < n; i++)); do
    for ((p = API_BASE + i * API_SPAN; p < API_BASE + (i + 1) * API_SPAN; p++)); do
      api+="    server 127.0.0.1:$p max_fails=1 fail_timeout=1s;"$'\n'
    done
    for ((p = FRONTEND_BASE + i * FRONTEND_SPAN; p < FRONTEND_BASE + (i + 1) * FRONTEND_SPAN; p++)); do
      fe+="    server 127.0.0.1:$p max_fails=1 fail_timeout=1s;"$'\n'
    done
  done
  mkdir -p "$D/nginx/tmp"
  API_SERVERS=$api FRONTEND_SERVERS=$fe PREFIX="$D/nginx" node -e '
    const fs = require("fs");
    const t = fs.readFileSync(process.argv[1], "utf8");
    fs.writeFileSync(process.argv[2], t.replaceAll("@PREFIX@", process.env.PREFIX)
      .replace("@API_SERVERS@", process.env.API_SERVERS.trimEnd())
      .replace("@FRONTEND_SERVERS@", process.env.FRONTEND_SERVERS.trimEnd()));' \
    "$ctx/nginx/nginx.conf.template" "$D/nginx/nginx.conf"
  local ngx=(nginx -c "$D/nginx/nginx.conf" -p "$D/nginx" -e "$D/nginx/error.log")
  "${ngx[@]}" -t -q || die "nginx rejected $D/nginx/nginx.conf"
  if pid_alive "$D/nginx/nginx.pid"; then
    "${ngx[@]}" -s reload
  else
    log "starting nginx on 127.0.0.1:$LB_PORT (api) and 127.0.0.1:$FRONTEND_LB_PORT (frontend)"
    "${ngx[@]}"
  fi
}

write_state() {
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  node -e '
    const fs = require("fs");
    const [state, projects, registry, lb, fe, composeFile, envFile, pgPasswordFile, natsHost, natsPort, natsUp] = process.argv.slice(1);
    const images = {};
    for (const entry of process.env.IMAGE_NAMES.split(" ")) {
      const [repo, tag] = entry.split(":");
      (images[repo.replace("a2a-world/", "")] ??= { repository: `${registry}/${repo}`, tags: [] }).tags.push(tag);
    }
    const hosts = fs.readFileSync(projects, "utf8").trim().split("\n").map((line) => {
      const [name, namespace, composeDir, user, projectName] = line.split("\t");
      return { name, namespace, user, composeDir, projectName,
               composeFile: `${composeDir}/${composeFile}`, envFile: `${composeDir}/${envFile}` };
    });
    fs.writeFileSync(state, JSON.stringify({
      registry, registryUrl: `http://${registry}`, images,
      brokenApiTag: "v3",
      lbUrl: `http://127.0.0.1:${lb}`, frontendUrl: `http://127.0.0.1:${fe}`,
      hosts, composeCommand: "docker-compose", composePluginCommand: "docker compose",
      dockerSocket: "/var/run/docker.sock",
      nats: { host: natsHost, port: Number(natsPort), fromNatsPart: natsUp === "1" },
      // The compose-mode database on every host (one volume per host project, one lab password).
      postgres: {
        service: process.env.PG_SERVICE, image: `${registry}/${process.env.PG_IMAGE}`,
        database: process.env.PG_DB, user: process.env.PG_USER,
        password: fs.readFileSync(pgPasswordFile, "utf8").trim(), port: 5432,
        volume: process.env.PG_VOLUME, seededTable: "patterns",
      },
      apiPortRanges: Object.fromEntries(hosts.map((h, i) => [h.name, [Number(process.env.API_BASE) + i * Number(process.env.API_SPAN), Number(process.env.API_BASE) + (i + 1) * Number(process.env.API_SPAN) - 1]])),
    }, null, 2) + "\n");' \
    "$STATE" "$D/projects.tsv" "$REGISTRY" "$LB_PORT" "$FRONTEND_LB_PORT" "$COMPOSE_FILE_NAME" "$ENV_FILE_NAME" "$D/postgres-password" "$@"
}

up() {
  [ -f "$lab/hosts.json" ] || die "the hosts part is not up (no $lab/hosts.json): run 'bash lab/lab.sh up hosts docker'"
  local t0=$SECONDS hosts nats nh np n i name ns dir user skip=""
  hosts=$(read_hosts)
  n=$(wc -l <<<"$hosts")
  [ "$n" -le "$MAX_HOSTS" ] || die "hosts.json lists $n hosts; the port plan has room for $MAX_HOSTS"
  nats=$(read_nats)
  IFS=$'\t' read -r nh np <<<"$nats"
  if [ ! -f "$lab/nats.json" ]; then
    log "WARNING: nats part not up; agent-pattern-discovery will look for NATS at $nh:$np and stay unhealthy until something answers there"
    skip="agent-pattern-discovery"
  fi
  mkdir -p "$D"
  while IFS=$'\t' read -r name ns dir user; do
    ip netns list | awk '{print $1}' | grep -qx "$ns" || die "namespace $ns of host $name does not exist: is the hosts part up?"
    id "$user" >/dev/null 2>&1 || die "user $user of host $name does not exist: is the hosts part up?"
  done <<<"$hosts"

  # Staging the postgres image's files needs no daemon: it runs while dockerd and the registry start.
  local stage_pid
  mkdir -p "$D/build"
  stage_postgres &
  stage_pid=$!
  start_dockerd
  enable_forwarding
  start_registry
  install_compose_plugin
  build_base_image
  build_and_push_images "$stage_pid"

  ensure_postgres_password
  : > "$D/projects.tsv"
  i=0
  while IFS=$'\t' read -r name ns dir user; do
    grant_docker_group "$user"
    write_host_project "$i" "$name" "$ns" "$dir" "$user" "$nh" "$np"
    i=$((i + 1))
  done <<<"$hosts"
  # Hosts in parallel, as separate machines would be; each logs to its own file.
  local pid failed=0 pids=()
  while IFS=$'\t' read -r name ns dir user; do
    start_host_project "$name" "$ns" "$dir" "$user" &
    pids+=($!)
  done <<<"$hosts"
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "docker-compose up failed on a lab host (see above)"

  write_nginx "$n"
  log "waiting for the containers' Docker health checks"
  wait_for 40 health all_healthy "${skip:-(none)}" || {
    docker ps -a --format '{{.Names}} {{.Status}}' >&2
    die "containers not healthy within 40s"
  }
  wait_for 10 lb http_ok "http://127.0.0.1:$LB_PORT/health" || die "nginx on 127.0.0.1:$LB_PORT does not answer /health with 2xx"
  IMAGE_NAMES="${IMAGES[*]%%|*} $PG_IMAGE" API_BASE=$API_BASE API_SPAN=$API_SPAN \
    write_state "$nh" "$np" "$([ -f "$lab/nats.json" ] && echo 1 || echo 0)"
  log "up in $((SECONDS - t0))s: lb http://127.0.0.1:$LB_PORT, frontend http://127.0.0.1:$FRONTEND_LB_PORT, registry $REGISTRY"
}

# -------------------------------------------------------------------------------------------- down

compose_down_all() {
  docker info >/dev/null 2>&1 || return 0
  local name ns dir user project ids=() nets=() imgs=() vols=()
  if [ -f "$D/projects.tsv" ]; then
    while IFS=$'\t' read -r name ns dir user project; do
      [ -n "$project" ] || continue
      if [ -f "$dir/$COMPOSE_FILE_NAME" ]; then
        log "compose down on $name (project $project)"
        (cd "$dir" && docker-compose -p "$project" -f "$COMPOSE_FILE_NAME" down --volumes --remove-orphans -t 3 >/dev/null 2>&1) || true
      fi
    done < "$D/projects.tsv"
  fi
  # Whatever compose could not remove (its files gone, a half-failed up, extra projects a test made).
  mapfile -t ids < <(docker ps -aq)
  [ "${#ids[@]}" -eq 0 ] || docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
  # Named volumes (each host's pgdata) compose could not remove, and any a test made.
  mapfile -t vols < <(docker volume ls -q)
  [ "${#vols[@]}" -eq 0 ] || docker volume rm -f "${vols[@]}" >/dev/null 2>&1 || true
  mapfile -t nets < <(docker network ls -q --filter type=custom)
  [ "${#nets[@]}" -eq 0 ] || docker network rm "${nets[@]}" >/dev/null 2>&1 || true
  # Images: a parent (the busybox base) is refused while a child in the same batch still exists, so
  # up to three passes, each removing what the one before left.
  local pass
  for pass in 1 2 3; do
    mapfile -t imgs < <(docker images -aq | sort -u)
    [ "${#imgs[@]}" -gt 0 ] || break
    [ "$pass" = 1 ] || log "removing ${#imgs[@]} image(s) left by the previous pass"
    docker rmi -f "${imgs[@]}" >/dev/null 2>&1 || true
  done
}

remove_host_files() {
  local name ns dir user project
  [ -f "$D/projects.tsv" ] || return 0
  while IFS=$'\t' read -r name ns dir user project; do
    [ -n "$dir" ] || continue
    rm -f "$dir/$COMPOSE_FILE_NAME" "$dir/$ENV_FILE_NAME" "$dir/.env"
  done < "$D/projects.tsv"
}

# Removes what a dockerd started with iptables enabled would have left (chains DOCKER*, the rules
# jumping to them, MASQUERADE for its bridges). The lab's dockerd runs with --iptables=false, so this
# normally finds nothing; it is here for a daemon killed mid-way or started by an older version.
clean_iptables() {
  command -v iptables >/dev/null || return 0
  local t rule chain
  for t in filter nat; do
    iptables -t "$t" -S 2>/dev/null | grep -E '^-A ' | grep -E 'DOCKER|docker0|br-[0-9a-f]{12}' | while read -r rule; do
      # shellcheck disable=SC2086 # the rule is iptables-save syntax, split on purpose
      iptables -t "$t" ${rule/#-A/-D} 2>/dev/null || true
    done
    for chain in $(iptables -t "$t" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^DOCKER/ {print $2}'); do
      iptables -t "$t" -F "$chain" 2>/dev/null || true
      iptables -t "$t" -X "$chain" 2>/dev/null || true
    done
  done
}

down() {
  # Best effort from here on: one failed step (a grep that matches nothing, a daemon already gone)
  # must never leave the rest running, so no errexit/pipefail.
  set +e +o pipefail
  local user link pol fwd had_key m
  if [ -d "$D" ]; then
    compose_down_all
    remove_host_files
    [ -f "$D/nginx/nginx.pid" ] && stop_pidfile "$D/nginx/nginx.pid" 5 nginx
    stop_pidfile "$D/registry.pid" 5 docker-registry
    # dockerd stops its own containerd; the containerd pidfile covers a dockerd that was killed.
    stop_pidfile "$D/dockerd.pid" 25 dockerd
    stop_pidfile "$D/exec/containerd/containerd.pid" 5 containerd
  fi
  # A socket left by a killed dockerd would make the next `up` think another daemon is running.
  if [ -S "$SOCK" ] && ! docker version >/dev/null 2>&1; then rm -f "$SOCK"; fi
  for link in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^(docker0|br-[0-9a-f]{12})$' || true); do
    ip link del "$link" 2>/dev/null || true
  done
  clean_iptables
  remove_forwarding_rules
  if [ -f "$D/host-state" ]; then
    pol=$(sed -n 's/^forward_policy=//p' "$D/host-state")
    fwd=$(sed -n 's/^ip_forward=//p' "$D/host-state")
    had_key=$(sed -n 's/^had_key_json=//p' "$D/host-state")
    [ -z "$pol" ] || iptables -P FORWARD "$pol" 2>/dev/null || true
    [ -z "$fwd" ] || echo "$fwd" > /proc/sys/net/ipv4/ip_forward 2>/dev/null || true
    [ "$had_key" != 0 ] || rm -f /etc/docker/key.json
  fi
  if [ -f "$D/added-to-docker-group" ]; then
    sort -u "$D/added-to-docker-group" | while read -r user; do
      if id "$user" >/dev/null 2>&1; then gpasswd -d "$user" docker >/dev/null 2>&1 || true; fi
    done
  fi
  if [ -f "$PLUGIN" ] && grep -q "$PLUGIN_MARK" "$PLUGIN"; then
    rm -f "$PLUGIN"
    rmdir "$PLUGIN_DIR" "$(dirname "$PLUGIN_DIR")" 2>/dev/null || true
  fi
  if [ -d "$D" ]; then
    # Overlay and namespace mounts under the data/exec roots outlive a killed dockerd.
    awk -v d="$D/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$D"
  fi
  rm -f "$STATE"
  log "down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: docker.sh up|down" >&2; exit 2 ;;
esac
