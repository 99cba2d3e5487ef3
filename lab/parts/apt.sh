#!/usr/bin/env bash
# Lab part "apt": a private apt/dpkg world per lab host, so action-host's `upgrade` installs packages for
# real without touching this machine's own packages. Each host gets:
#   - a dpkg root ($D/<host>/root: its own status database and files) with the dummy packages at version 1
#     (a2a-lab-dummy: an ordinary update; a2a-lab-tool: a security update);
#   - an apt.conf pointing every apt directory (status, lists, cache, sources, parts) into $D/<host> and
#     dpkg at `--root=$D/<host>/root`; sources name only two local `file:` repositories: "main" (dummy v2)
#     and "security" (tool v2, suite lab-security, label A2A-Lab-Security);
#   - `SetEnv APT_CONFIG=<that apt.conf>` in the host's sshd config (sshd reloaded), so the deploy user's
#     SSH sessions see that world, and a sudoers drop-in that keeps APT_CONFIG and DEBIAN_FRONTEND through
#     sudo and lets deploy run apt-get and lynis (and read/remove lynis' report in its temp dir).
#   bash lab/parts/apt.sh up     idempotent; needs the hosts part; writes $A2A_LAB_DIR/apt.json
#   bash lab/parts/apt.sh down   removes the sshd lines (sshd reloaded), the sudoers drop-in and $D
set -euo pipefail
# shellcheck source=lab/parts/lib.sh
. "$(dirname "$0")/lib.sh"

LAB=${A2A_LAB_DIR:-/tmp/a2a-ops-lab}
D=$LAB/apt
SUDOERS=/etc/sudoers.d/a2a-lab-apt
MARK='# a2a-lab-apt'
HOSTS=(app1 app2)

log() { echo "apt: $*"; }

build_package() { # name version description
  local name=$1 version=$2 dir=$D/build/$1-$2
  mkdir -p "$dir/DEBIAN" "$dir/usr/share/$name"
  echo "$name $version" > "$dir/usr/share/$name/VERSION"
  cat > "$dir/DEBIAN/control" <<EOF
Package: $name
Version: $version
Architecture: all
Maintainer: a2a-ops lab <lab@invalid>
Description: $3
EOF
  dpkg-deb --root-owner-group -b "$dir" "$D/debs/${name}_${version}_all.deb" >/dev/null
}

# A flat repository with a Release file (origin, label, suite, hashes) so apt reads its origin as a real
# archive's: the security one is what `upgrade` must mark.
build_repo() { # dir suite label deb...
  local dir=$1 suite=$2 label=$3 f
  shift 3
  mkdir -p "$dir"
  cp "$@" "$dir/"
  (cd "$dir" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages && gzip -9kf Packages)
  {
    echo "Origin: A2A-Lab"
    echo "Label: $label"
    echo "Suite: $suite"
    echo "Codename: $suite"
    echo "Date: $(date -Ru)"
    echo "Architectures: all amd64"
    echo "SHA256:"
    for f in Packages Packages.gz; do echo " $(sha256sum "$dir/$f" | cut -d' ' -f1) $(stat -c %s "$dir/$f") $f"; done
  } > "$dir/Release"
}

host_world() { # host
  local H=$D/$1
  rm -rf "$H"
  mkdir -p "$H/root/var/lib/dpkg/info" "$H/root/var/lib/dpkg/updates" "$H/root/var/lib/dpkg/triggers" \
    "$H/lists/partial" "$H/cache/archives/partial" "$H/state" "$H/log" "$H/etc/parts" "$H/etc/sources.list.d" "$H/etc/preferences.d"
  touch "$H/root/var/lib/dpkg/status" "$H/root/var/lib/dpkg/available"
  cat > "$H/etc/sources.list" <<EOF
deb [trusted=yes] file:$D/repo/main ./
deb [trusted=yes] file:$D/repo/security ./
EOF
  # APT_CONFIG is read first, so Dir::Etc::parts here keeps /etc/apt/apt.conf.d (and its hooks) out.
  cat > "$H/apt.conf" <<EOF
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$H/etc/parts";
Dir::Etc::sourcelist "$H/etc/sources.list";
Dir::Etc::sourceparts "$H/etc/sources.list.d";
Dir::Etc::preferences "$H/etc/preferences";
Dir::Etc::preferencesparts "$H/etc/preferences.d";
Dir::State "$H/state";
Dir::State::status "$H/root/var/lib/dpkg/status";
Dir::State::Lists "$H/lists";
Dir::Cache "$H/cache";
Dir::Log "$H/log";
DPkg::Options { "--root=$H/root"; "--log=$H/log/dpkg.log"; };
EOF
  dpkg --root="$H/root" --log="$H/log/dpkg.log" -i "$D/debs/a2a-lab-dummy_1_all.deb" "$D/debs/a2a-lab-tool_1_all.deb" >/dev/null
  chmod -R a+rX "$H"
}

# Adds (or removes) the SetEnv line in a lab host's sshd config and reloads that sshd (by its PID file),
# under the hosts part's lock so nobody restarts that sshd in between.
sshd_env() { # host add|remove
  local host=$1 cfg=$LAB/hosts/$1/sshd_config pidf=$LAB/hosts/$1/sshd.pid
  [ -f "$cfg" ] || return 0
  (
    flock -w 60 9
    sed -i "/$MARK\$/d" "$cfg"
    if [ "$2" = add ]; then echo "SetEnv APT_CONFIG=$D/$host/apt.conf $MARK" >> "$cfg"; fi
    if pid_alive "$pidf"; then
      kill -HUP "$(cat "$pidf")"
      # sshd re-executes itself on SIGHUP: wait (bounded) until it answers again.
      local addr
      addr=$(sed -n 's/^ListenAddress //p' "$cfg")
      for _ in $(seq 1 50); do
        if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22 && head -c 4 <&3" 2>/dev/null | grep -q SSH-; then break; fi
        sleep 0.1
      done
    fi
  ) 9>"$LAB/hosts.lock"
}

up() {
  [ -f "$LAB/hosts.json" ] || { echo "apt: the hosts part is not up (bash lab/lab.sh up hosts)" >&2; exit 1; }
  mkdir -p "$D/debs"
  build_package a2a-lab-dummy 1 "a2a-ops lab dummy package (ordinary update)"
  build_package a2a-lab-dummy 2 "a2a-ops lab dummy package (ordinary update)"
  build_package a2a-lab-tool 1 "a2a-ops lab dummy package (security update)"
  build_package a2a-lab-tool 2 "a2a-ops lab dummy package (security update)"
  rm -rf "$D/repo"
  build_repo "$D/repo/main" lab A2A-Lab "$D/debs/a2a-lab-dummy_2_all.deb"
  build_repo "$D/repo/security" lab-security A2A-Lab-Security "$D/debs/a2a-lab-tool_2_all.deb"
  chmod -R a+rX "$D"
  local h json="" sep=""
  for h in "${HOSTS[@]}"; do
    host_world "$h"
    sshd_env "$h" add
    json+="$sep
    { \"name\": \"$h\", \"aptConfig\": \"$D/$h/apt.conf\", \"dpkgRoot\": \"$D/$h/root\", \"admindir\": \"$D/$h/root/var/lib/dpkg\" }"
    sep=","
  done
  cat > "$SUDOERS.tmp" <<EOF
# a2a-ops lab (lab/parts/apt.sh): deploy's apt world is the one APT_CONFIG names; removed by 'lab.sh down apt'.
Defaults:deploy env_keep += "APT_CONFIG DEBIAN_FRONTEND"
deploy ALL=(root) NOPASSWD: /usr/bin/apt-get, /usr/sbin/lynis, /usr/bin/cat /tmp/a2a-host-audit.*/report.dat, /usr/bin/rm -rf -- /tmp/a2a-host-audit.*
EOF
  visudo -cqf "$SUDOERS.tmp"
  chmod 0440 "$SUDOERS.tmp"
  mv "$SUDOERS.tmp" "$SUDOERS"
  cat > "$LAB/apt.json.tmp" <<EOF
{
  "packages": { "ordinary": "a2a-lab-dummy", "security": "a2a-lab-tool" },
  "installedVersion": "1",
  "repoVersion": "2",
  "debs": "$D/debs",
  "sudoers": "$SUDOERS",
  "hosts": [$json
  ]
}
EOF
  mv "$LAB/apt.json.tmp" "$LAB/apt.json"
  log "up: a private apt world on ${HOSTS[*]} (v1 installed, v2 in $D/repo)"
}

down() {
  local h
  for h in "${HOSTS[@]}"; do sshd_env "$h" remove; done
  rm -f "$SUDOERS" "$SUDOERS.tmp"
  rm -rf "$D" "$LAB/apt.json" "$LAB/apt.json.tmp"
  log "down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: apt.sh up|down" >&2; exit 2 ;;
esac
