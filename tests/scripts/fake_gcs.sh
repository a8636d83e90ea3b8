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

peer_script=fake_gcs.sh
peer_program=fake-gcs-server
peer_pidfiles='fake-gcs-*.pid'
peer_leftovers=(.log)
# shellcheck source=tests/scripts/peer_lib.sh
source "$root/tests/scripts/peer_lib.sh"

start() {
  if [ ! -x "$server" ]; then
    die "fake-gcs-server is not installed at $server; run: $root/scripts/bootstrap"
  fi
  mkdir -p "$state_dir"

  local port pidfile logfile
  port="$(peer_free_ports 1)"
  pidfile="$state_dir/fake-gcs-$port.pid"
  logfile="$state_dir/fake-gcs-$port.log"

  "$server" -backend memory -scheme http -host 127.0.0.1 -port "$port" \
    -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" \
    -log-level warn >"$logfile" 2>&1 &
  echo $! >"$pidfile"

  # The bucket listing answers once the server is up; give up after $ready_timeout_s.
  peer_show=(tail -n 20) peer_exit_logs=("$logfile") peer_late_logs=("$logfile")
  peer_exit_rm=()
  peer_wait_ready "$pidfile" $((SECONDS + ready_timeout_s)) 0.2 \
    "fake-gcs-server exited at start (log: $logfile); run: $root/scripts/bootstrap" \
    "fake-gcs-server did not answer on 127.0.0.1:$port within ${ready_timeout_s}s" \
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/storage/v1/b"

  echo "export STORAGE_EMULATOR_HOST=http://127.0.0.1:$port"
  echo "export CAIRN_TEST_GCS_ENDPOINT=http://127.0.0.1:$port"
  echo "export CAIRN_FAKE_GCS_PIDFILE=$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) peer_stop "${2:-${CAIRN_FAKE_GCS_PIDFILE:-}}" ;;
  *) die "usage: fake_gcs.sh start | fake_gcs.sh stop [PIDFILE|--all]" ;;
esac
