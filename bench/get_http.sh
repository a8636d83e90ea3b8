#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How fast cairn tracks and downloads files behind http:// URLs, beside curl and
# wandb on the same nginx (tests/scripts/nginx.sh, 127.0.0.1 only).
#
#   bench/get_http.sh            # uses build/default/cli/cairn (env CAIRN_BIN)
#
# 200 files of 256 KiB (50 MiB). Prints the median of 3 runs for:
#   track: cairn track of the 200 URLs (a HEAD and a read for the MD5 each) vs wandb's
#          add_reference of the same URLs (offline), with and without the
#          'import wandb' start-up time
#   get  : cairn get with an empty cache (parallel GETs, ETag and MD5 checked) vs one
#          curl process fetching the same URLs 8 at a time (--parallel, nothing
#          checked): the transfer floor
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cairn_bin="${CAIRN_BIN:-$root/build/default/cli/cairn}"
[ -x "$cairn_bin" ] || { echo "get_http.sh: build cairn first: $cairn_bin" >&2; exit 1; }
python="$root/.venv/bin/python"
runs=3
files=200

work=$(mktemp -d)  # under $TMPDIR, else /tmp
eval "$(tests/scripts/nginx.sh start)"
trap 'tests/scripts/nginx.sh stop "$CAIRN_NGINX_PIDFILE"; rm -rf "$work"' EXIT

"$python" - "$CAIRN_TEST_HTTP_ROOT/bench" "$files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
os.makedirs(root, exist_ok=True)
rng = random.Random(20261204)
for i in range(count):
    with open(os.path.join(root, f"f{i:03d}.bin"), "wb") as f:
        f.write(rng.randbytes(256 * 1024))
print(f"data: {count} files of 256 KiB behind nginx")
PY
urls="$work/urls.txt"
for i in $(seq 0 $((files - 1))); do
  printf '%s/bench/f%03d.bin\n' "$CAIRN_TEST_HTTP_ENDPOINT" "$i"
done >"$urls"
mapfile -t url_list <"$urls"

now() { date +%s.%N; }
timed() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null
  t1=$(now)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f\n", a - b }'
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

wandb_track() {
  WANDB_MODE=offline WANDB_SILENT=true WANDB_DIR="$work/wandb" \
    WANDB_CACHE_DIR="$work/wandb/cache" WANDB_CONFIG_DIR="$work/wandb/config" \
    "$python" - "$urls" <<'PY'
import sys
import wandb
artifact = wandb.Artifact("bench", type="dataset")
for line in open(sys.argv[1]):
    url = line.strip()
    artifact.add_reference(url, name=url.rsplit("/", 1)[1])
assert len(artifact.manifest.entries) == 200
PY
}
wandb_import() { "$python" -c 'import wandb'; }
curl_get() {
  local out="$1" args=()
  mkdir -p "$out"
  for url in "${url_list[@]}"; do args+=(-O "$url"); done
  (cd "$out" &&
    curl -sf --noproxy '*' --parallel --parallel-max 8 "${args[@]}" 2>/dev/null)
}

track=() wtrack=() wimport=() get=() floor=()
for i in $(seq 1 "$runs"); do
  track+=("$(timed "$cairn_bin" -q --home "$work/home-$i" track bench "${url_list[@]}")")
  wtrack+=("$(timed wandb_track)")
  wimport+=("$(timed wandb_import)")
done
for i in $(seq 1 "$runs"); do
  rm -rf "$work/home-$i/cache"
  get+=("$(timed "$cairn_bin" -q --home "$work/home-$i" get bench --root "$work/get-$i")")
  floor+=("$(timed curl_get "$work/curl-$i")")
done
cmp "$work/get-1/f199.bin" "$CAIRN_TEST_HTTP_ROOT/bench/f199.bin"

t=$(median "${track[@]}") wt=$(median "${wtrack[@]}") wi=$(median "${wimport[@]}")
wn=$(awk -v a="$wt" -v b="$wi" 'BEGIN { printf "%.4f", a - b }')
g=$(median "${get[@]}") f=$(median "${floor[@]}")
echo
row() { printf '%-44s %12.3f %8s\n' "$@"; }
printf '%-44s %12s %8s\n' "$files files of 256 KiB over http://127.0.0.1" \
  "median (s)" "ratio"
row "cairn track (HEAD + MD5 read per URL)" "$t" "$(ratio "$t" "$wt")"
row "wandb add_reference per URL (offline)" "$wt" "1.00"
row "  the same without 'import wandb' ($wi s)" "$wn" "$(ratio "$t" "$wn")"
row "cairn get, empty cache (MD5/ETag checked)" "$g" "$(ratio "$g" "$f")"
row "curl --parallel-max 8, one process (floor)" "$f" "1.00"
echo "runs: track ${track[*]}; wandb ${wtrack[*]}; import wandb ${wimport[*]};" \
  "get ${get[*]}; curl ${floor[*]}"
