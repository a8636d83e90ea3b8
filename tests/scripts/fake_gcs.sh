#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts or stops fake-gcs-server (a GCS emulator) on a free loopback port for
# cairn's tests, with its in-memory backend (which keeps object generations).
#
#   eval "$(tests/scripts/fake_gcs.sh start)"   # exports STORAGE_EMULATOR_HOST,
#                                               # CAIRN_TEST_GCS_ENDPOINT,
#                                               # CAIRN_FAKE_GCS_PIDFILE
#   tests/scripts/fake_gcs.sh stop [PIDFILE]    # stops that server (default:
#                                               # $CAIRN_FAKE_GCS_PIDFILE)
#   tests/scripts/fake_gcs.sh stop --all        # every server this script started
#
# The binary comes from .tools/bin (installed there by scripts/bootstrap). It
# listens on 127.0.0.1 only. State (pid and log files) lives in
# $CAIRN_FAKE_GCS_DIR, default /tmp/cairn-fake-gcs-$UID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server="$root/.tools/bin/fake-gcs-server"
state_dir="${CAIRN_FAKE_GCS_DIR:-/tmp/cairn-fake-gcs-$(id -u)}"
ready_timeout_s=15

die() {
  echo "fake_gcs.sh: $*" >&2
  exit 1
}

# Kills the fake-gcs-server whose pid is in $1, if that pid is still one.
stop_one() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || die "no pid file $pidfile"
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && grep -q fake-gcs-server "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
    fi
  fi
  rm -f "$pidfile" "${pidfile%.pid}.log"
}

start() {
  if [ ! -x "$server" ]; then
    die "fake-gcs-server is not installed at $server; run: $root/scripts/bootstrap"
  fi
  mkdir -p "$state_dir"

  local port pidfile logfile
  port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')"
  pidfile="$state_dir/fake-gcs-$port.pid"
  logfile="$state_dir/fake-gcs-$port.log"

  "$server" -backend memory -scheme http -host 127.0.0.1 -port "$port" \
    -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" \
    -log-level warn >"$logfile" 2>&1 &
  echo $! >"$pidfile"

  # The bucket listing answers once the server is up; give up after $ready_timeout_s.
  local deadline=$((SECONDS + ready_timeout_s))
  until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/storage/v1/b"; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 20 "$logfile" >&2 || true
      rm -f "$pidfile"
      die "fake-gcs-server exited at start (log: $logfile); run: $root/scripts/bootstrap"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$logfile" >&2 || true
      stop_one "$pidfile"
      die "fake-gcs-server did not answer on 127.0.0.1:$port within ${ready_timeout_s}s"
    fi
    sleep 0.2
  done

  echo "export STORAGE_EMULATOR_HOST=http://127.0.0.1:$port"
  echo "export CAIRN_TEST_GCS_ENDPOINT=http://127.0.0.1:$port"
  echo "export CAIRN_FAKE_GCS_PIDFILE=$pidfile"
}

# Stops the server of one pid file; "--all" stops every server this script started
# under $state_dir, which other sessions of this user may share.
stop() {
  local pidfile="${1:-${CAIRN_FAKE_GCS_PIDFILE:-}}"
  if [ "$pidfile" = --all ]; then
    shopt -s nullglob
    for file in "$state_dir"/fake-gcs-*.pid; do
      stop_one "$file"
    done
    return
  fi
  [ -n "$pidfile" ] || die "stop needs the PIDFILE that start printed (or --all)"
  stop_one "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: fake_gcs.sh start | fake_gcs.sh stop [PIDFILE|--all]" ;;
esac
