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
dev_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

die() {
  echo "azurite.sh: $*" >&2
  exit 1
}

# Kills the Azurite whose pid is in $1, if that pid is still one.
stop_one() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || die "no pid file $pidfile"
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && grep -q azurite "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid"
    fi
  fi
  local base="${pidfile%.pid}"
  rm -rf "$pidfile" "$base.log" "$base.workspace"
}

start() {
  if [ ! -x "$server" ]; then
    die "Azurite is not installed at $server; run: $root/scripts/bootstrap"
  fi
  command -v node >/dev/null || die "node is not on PATH; run: $root/scripts/bootstrap"
  mkdir -p "$state_dir"

  local port base pidfile logfile workspace
  port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')"
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
  local deadline=$((SECONDS + ready_timeout_s)) code
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
      "http://127.0.0.1:$port/$account?comp=list" || true)"
    [ "$code" != "000" ] && [ -n "$code" ] && break
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 20 "$logfile" >&2 || true
      rm -f "$pidfile"
      die "Azurite exited at start (log: $logfile); run: $root/scripts/bootstrap"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$logfile" >&2 || true
      stop_one "$pidfile"
      die "Azurite did not answer on 127.0.0.1:$port within ${ready_timeout_s}s"
    fi
    sleep 0.2
  done

  local endpoint="http://127.0.0.1:$port/$account"
  echo "export CAIRN_TEST_AZURE_ENDPOINT=$endpoint"
  echo "export AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$dev_key;BlobEndpoint=$endpoint;'"
  echo "export CAIRN_AZURITE_PIDFILE=$pidfile"
}

# Stops the server of one pid file; "--all" stops every server this script started
# under $state_dir, which other sessions of this user may share.
stop() {
  local pidfile="${1:-${CAIRN_AZURITE_PIDFILE:-}}"
  if [ "$pidfile" = --all ]; then
    shopt -s nullglob
    for file in "$state_dir"/azurite-*.pid; do
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
  *) die "usage: azurite.sh start | azurite.sh stop [PIDFILE|--all]" ;;
esac
