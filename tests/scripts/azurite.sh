#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts or stops Azurite's blob service (an Azure Blob Storage emulator) on a free
# loopback port for cairn's tests, with in-memory persistence and telemetry off.
#
#   eval "$(tests/scripts/azurite.sh start)"   # exports CAIRN_TEST_AZURE_ENDPOINT
#                                              # (http://127.0.0.1:PORT/devstoreaccount1),
#                                              # AZURE_STORAGE_CONNECTION_STRING,
#                                              # CAIRN_AZURITE_PIDFILE
#   tests/scripts/azurite.sh stop [PIDFILE]    # stops that server (default:
#                                              # $CAIRN_AZURITE_PIDFILE)
#   tests/scripts/azurite.sh stop --all        # every server this script started
#
# Azurite 3.35 comes from .tools/azurite (installed there by scripts/bootstrap) and
# runs on Node 20. It listens on 127.0.0.1 only and serves Azurite's documented
# development account devstoreaccount1. State (pid, log and an empty workspace)
# lives in $CAIRN_AZURITE_DIR, default /tmp/cairn-azurite-$UID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server="$root/.tools/azurite/node_modules/.bin/azurite-blob"
state_dir="${CAIRN_AZURITE_DIR:-/tmp/cairn-azurite-$(id -u)}"
ready_timeout_s=20
account="devstoreaccount1"
# Azurite's well-known development key (public, documented; never a real secret).
dev_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
dev_key+="K1SZFPTOtr/KBHBeksoGMGw=="

peer_script=azurite.sh
peer_program=azurite
peer_pidfiles='azurite-*.pid'
peer_leftovers=(.log .workspace)
# shellcheck source=tests/scripts/peer_lib.sh
source "$root/tests/scripts/peer_lib.sh"

# Succeeds when URL gives any HTTP status (curl says 000 when nothing answered).
answers() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)"
  [ "$code" != "000" ] && [ -n "$code" ]
}

start() {
  if [ ! -x "$server" ]; then
    die "Azurite is not installed at $server; run: $root/scripts/bootstrap"
  fi
  command -v node >/dev/null || die "node is not on PATH; run: $root/scripts/bootstrap"
  mkdir -p "$state_dir"

  local port base pidfile logfile workspace
  port="$(peer_free_ports 1)"
  base="$state_dir/azurite-$port"
  pidfile="$base.pid"
  logfile="$base.log"
  workspace="$base.workspace"
  mkdir -p "$workspace"

  # --disableTelemetry: Azurite otherwise reports usage to a remote host. It runs in
  # an empty folder of its own, since it may write there despite keeping blobs in
  # memory (--location cannot be combined with --inMemoryPersistence).
  (cd "$workspace" && exec "$server" --blobHost 127.0.0.1 --blobPort "$port" \
    --inMemoryPersistence --disableTelemetry --silent) >"$logfile" 2>&1 &
  echo $! >"$pidfile"

  # Any HTTP answer (an unsigned request is refused) means the server is up.
  peer_show=(tail -n 20) peer_exit_logs=("$logfile") peer_late_logs=("$logfile")
  peer_exit_rm=()
  peer_wait_ready "$pidfile" $((SECONDS + ready_timeout_s)) 0.2 \
    "Azurite exited at start (log: $logfile); run: $root/scripts/bootstrap" \
    "Azurite did not answer on 127.0.0.1:$port within ${ready_timeout_s}s" \
    answers "http://127.0.0.1:$port/$account?comp=list"

  local endpoint="http://127.0.0.1:$port/$account"
  echo "export CAIRN_TEST_AZURE_ENDPOINT=$endpoint"
  local settings="DefaultEndpointsProtocol=http;AccountName=$account"
  settings+=";AccountKey=$dev_key;BlobEndpoint=$endpoint;"
  echo "export AZURE_STORAGE_CONNECTION_STRING='$settings'"
  echo "export CAIRN_AZURITE_PIDFILE=$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) peer_stop "${2:-${CAIRN_AZURITE_PIDFILE:-}}" ;;
  *) die "usage: azurite.sh start | azurite.sh stop [PIDFILE|--all]" ;;
esac
