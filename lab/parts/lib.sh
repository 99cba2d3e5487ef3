# shellcheck shell=bash
# Helpers the lab parts source (`. "$(dirname "$0")/lib.sh"`); not a part itself.

# True when the process in a pidfile is alive.
pid_alive() { # pidfile
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Stops the process in a pidfile: TERM, wait up to $2 seconds (default 5), then KILL. Never by name.
stop_pidfile() { # pidfile [seconds]
  local pf=$1 secs=${2:-5} pid i
  if [ -s "$pf" ]; then
    pid=$(cat "$pf")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pf"
}
