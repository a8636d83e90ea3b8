#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts or stops moto (an S3 emulator) on a free loopback port for cairn's tests.
#
#   eval "$(tests/scripts/moto.sh start)"   # exports AWS_S3_ENDPOINT_URL,
#                                           # CAIRN_TEST_S3_ENDPOINT, CAIRN_MOTO_PIDFILE
#   tests/scripts/moto.sh stop [PIDFILE]    # stops that server (default: $CAIRN_MOTO_PIDFILE)
#   tests/scripts/moto.sh stop --all        # every server this script started
#
# moto comes from the tree's Python venv (.venv, made by scripts/bootstrap). It
# listens on 127.0.0.1 only. State (pid and log files) lives in $CAIRN_MOTO_DIR,
# default /tmp/cairn-moto-$UID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"
moto_server="$venv/bin/moto_server"
state_dir="${CAIRN_MOTO_DIR:-/tmp/cairn-moto-$(id -u)}"
ready_timeout_s=15

die() {
  echo "moto.sh: $*" >&2
  exit 1
}

# Kills the moto_server whose pid is in $1, if that pid is still a moto_server.
stop_one() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || die "no pid file $pidfile"
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && grep -q moto_server "/proc/$pid/cmdline" 2>/dev/null; then
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
  if [ ! -x "$moto_server" ]; then
    die "moto is not installed at $moto_server; run: $root/scripts/bootstrap"
  fi
  mkdir -p "$state_dir"

  local port pidfile logfile
  port="$("$venv/bin/python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')"
  pidfile="$state_dir/moto-$port.pid"
  logfile="$state_dir/moto-$port.log"

  "$moto_server" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
  echo $! >"$pidfile"

  # Any HTTP answer means the server is up; give up after $ready_timeout_s.
  local deadline=$((SECONDS + ready_timeout_s))
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 20 "$logfile" >&2 || true
      rm -f "$pidfile"
      die "moto_server exited at start (log: $logfile); run: $root/scripts/bootstrap"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$logfile" >&2 || true
      stop_one "$pidfile"
      die "moto_server did not answer on 127.0.0.1:$port within ${ready_timeout_s}s"
    fi
    sleep 0.2
  done

  echo "export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$port"
  echo "export CAIRN_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
  echo "export CAIRN_MOTO_PIDFILE=$pidfile"
}

# Stops the server of one pid file; "--all" stops every server this script started
# under $state_dir, which other sessions of this user may share.
stop() {
  local pidfile="${1:-${CAIRN_MOTO_PIDFILE:-}}"
  if [ "$pidfile" = --all ]; then
    shopt -s nullglob
    for file in "$state_dir"/moto-*.pid; do
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
  *) die "usage: moto.sh start | moto.sh stop [PIDFILE|--all]" ;;
esac
