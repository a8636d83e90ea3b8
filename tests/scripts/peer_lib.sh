# SPDX-License-Identifier: Apache-2.0
# Shared pieces of the scripts that start and stop a test peer on loopback
# (moto.sh, fake_gcs.sh, azurite.sh, nginx.sh). Sourced, never run. Before
# calling any function, the sourcing script sets:
#
#   peer_script     its own name, the prefix of every error ("moto.sh")
#   peer_program    what /proc/PID/cmdline must contain for PID to be killed
#                   ("moto_server"), so a reused pid is never hit
#   state_dir       the folder of its pid files (shared by this user's sessions)
#   peer_pidfiles   the glob of its pid files under state_dir ("moto-*.pid")
#   peer_leftovers  suffixes of the paths that go with a pid file X.pid: each
#                   X<suffix> is removed with it ((.log), or ("") for a folder X)
#
# and, before peer_wait_ready, what a failed start shows and removes:
#
#   peer_show       the command that prints logs to stderr ((tail -n 20) or (cat))
#   peer_exit_logs  the logs shown when the server exits before it answers
#   peer_late_logs  the logs shown when it does not answer in time
#   peer_exit_rm    paths removed, with the pid file, when it exits at start

# Prints "$peer_script: MESSAGE" to stderr and exits 1.
die() {
  echo "$peer_script: $*" >&2
  exit 1
}

# Prints COUNT distinct free loopback ports on one line, with PYTHON (default python3).
peer_free_ports() {
  "${2:-python3}" -c 'import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()' "$1"
}

# Kills the server whose pid is in PIDFILE if that pid is still $peer_program
# (TERM, up to 5 s, then KILL), then removes the pid file and its leftovers.
stop_one() {
  local pidfile="$1" pid suffix
  [ -f "$pidfile" ] || die "no pid file $pidfile"
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && grep -q "$peer_program" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
    fi
  fi
  for suffix in "${peer_leftovers[@]}"; do
    rm -rf "${pidfile%.pid}$suffix"
  done
  rm -f "$pidfile"
}

# Stops the server of one pid file; "--all" stops every server this script started
# under $state_dir, which other sessions of this user may share.
peer_stop() {
  local pidfile="$1" file
  if [ "$pidfile" = --all ]; then
    shopt -s nullglob
    for file in "$state_dir"/$peer_pidfiles; do
      stop_one "$file"
    done
    return
  fi
  [ -n "$pidfile" ] || die "stop needs the PIDFILE that start printed (or --all)"
  stop_one "$pidfile"
}

# Runs PROBE... every PAUSE seconds until it succeeds. If the server of PIDFILE
# exits first, shows $peer_exit_logs, removes the pid file and $peer_exit_rm and
# dies with EXITED; once $SECONDS reaches DEADLINE, shows $peer_late_logs, stops
# the server and dies with LATE.
peer_wait_ready() {
  local pidfile="$1" deadline="$2" pause="$3" exited="$4" late="$5"
  shift 5
  until "$@"; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      "${peer_show[@]}" "${peer_exit_logs[@]}" >&2 || true
      rm -rf "${peer_exit_rm[@]}" "$pidfile"
      die "$exited"
    fi
    if ((SECONDS >= deadline)); then
      "${peer_show[@]}" "${peer_late_logs[@]}" >&2 || true
      stop_one "$pidfile"
      die "$late"
    fi
    sleep "$pause"
  done
}
