#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts or stops moto (an S3 emulator) on a free loopback port for cairn's tests.
#
#   eval "$(tests/scripts/moto.sh start)"   # exports AWS_S3_ENDPOINT_URL,
#                                           # CAIRN_TEST_S3_ENDPOINT, CAIRN_MOTO_PIDFILE
#   tests/scripts/moto.sh stop [PIDFILE]    # stops that server (default:
#                                           # $CAIRN_MOTO_PIDFILE)
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

peer_script=moto.sh
peer_program=moto_server
peer_pidfiles='moto-*.pid'
peer_leftovers=(.log)
# shellcheck source=tests/scripts/peer_lib.sh
source "$root/tests/scripts/peer_lib.sh"

start() {
  if [ ! -x "$moto_server" ]; then
    die "moto is not installed at $moto_server; run: $root/scripts/bootstrap"
  fi
  mkdir -p "$state_dir"

  local port pidfile logfile
  port="$(peer_free_ports 1 "$venv/bin/python")"
  pidfile="$state_dir/moto-$port.pid"
  logfile="$state_dir/moto-$port.log"

  "$moto_server" -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
  echo $! >"$pidfile"

  # Any HTTP answer means the server is up; give up after $ready_timeout_s.
  peer_show=(tail -n 20) peer_exit_logs=("$logfile") peer_late_logs=("$logfile")
  peer_exit_rm=()
  peer_wait_ready "$pidfile" $((SECONDS + ready_timeout_s)) 0.2 \
    "moto_server exited at start (log: $logfile); run: $root/scripts/bootstrap" \
    "moto_server did not answer on 127.0.0.1:$port within ${ready_timeout_s}s" \
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"

  echo "export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$port"
  echo "export CAIRN_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
  echo "export CAIRN_MOTO_PIDFILE=$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) peer_stop "${2:-${CAIRN_MOTO_PIDFILE:-}}" ;;
  *) die "usage: moto.sh start | moto.sh stop [PIDFILE|--all]" ;;
esac
