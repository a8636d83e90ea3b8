#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints how long `cairn track` takes on 10,000 files, next to a plain tool doing the
# least work the same job needs, measured in the same run on the same machine:
#
#   local folder   cairn cold (fresh home: every file hashed)  vs  find | xargs -P2 md5sum
#                  cairn warm (checksum cache hit: no hashing)  vs  the same floor
#   S3 prefix      cairn track s3://bucket/prefix/ (moto)
#                  vs  boto3 paginated listings
#                  (list_objects_v2, and list_object_versions as cairn needs versionIds)
#
# Every figure is wall time of a whole process (start-up included), best of RUNS runs
# (default 3). The file pages are in the OS cache for every contender: the floor runs
# first, so "cold" means a cold cairn checksum cache, not a cold disk.
#
#   bench/track_bench.sh              # uses build/default/cli/cairn (CAIRN_BIN overrides)
#   FILES=2000 RUNS=1 bench/track_bench.sh
#
# Not run by scripts/test. Starts moto on loopback and stops it at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
files=${FILES:-10000}
runs=${RUNS:-3}
cairn_bin=${CAIRN_BIN:-$root/build/default/cli/cairn}
py="$root/.venv/bin/python"
[ -x "$cairn_bin" ] || {
  echo "track_bench: no cairn binary at $cairn_bin;" \
    "run: cmake --build --preset default" >&2
  exit 2
}

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
moto_pidfile=""
cleanup() {
  if [ -n "$moto_pidfile" ]; then
    "$root/tests/scripts/moto.sh" stop "$moto_pidfile" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# best_of N CMD...: runs CMD N times and prints the fastest wall time in seconds.
best_of() {
  local n=$1 best="" t0 t1 elapsed
  shift
  for _ in $(seq 1 "$n"); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null
    t1=$EPOCHREALTIME
    elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v e="$elapsed" -v b="$best" 'BEGIN { exit !(e < b) }'; then
      best=$elapsed
    fi
  done
  echo "$best"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

row() { printf '  %-44s %9s s  %s\n' "$1" "$2" "${3:-}"; }

echo "cairn track benchmark: $files files, best of $runs, $(nproc) cores"
echo "writing $files files of 1-8 KiB under $work/data"
"$py" - "$work/data" "$files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
for i in range(count):
    folder = os.path.join(root, f"{i % 100:02d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{i:06d}.bin"), "wb") as f:
        f.write(rng.randbytes(rng.randint(1024, 8192)))
PY

floor_md5() { find "$work/data" -type f -print0 | xargs -0 -P2 -n 500 md5sum; }
cold_track() {
  rm -rf "$work/home-cold"
  CAIRN_HOME="$work/home-cold" "$cairn_bin" -q track bench "$work/data" \
    --max-objects 100000
}
warm_track() {
  CAIRN_HOME="$work/home-warm" "$cairn_bin" -q track bench "$work/data" \
    --max-objects 100000
}

echo
echo "local folder ($files files)"
floor=$(best_of "$runs" floor_md5)
cold=$(best_of "$runs" cold_track)
warm_track >/dev/null  # fills the checksum cache of home-warm
warm=$(best_of "$runs" warm_track)
row "find | xargs -P2 md5sum (floor)" "$floor"
row "cairn track, cold (hash every file)" "$cold" "$(ratio "$cold" "$floor") floor"
row "cairn track, warm (checksum cache hit)" "$warm" "$(ratio "$warm" "$floor") floor"

echo
echo "S3 prefix in moto ($files objects)"
eval "$("$root/tests/scripts/moto.sh" start)"
moto_pidfile=$CAIRN_MOTO_PIDFILE
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
"$py" - "$files" <<'PY'
import os, sys
from concurrent.futures import ThreadPoolExecutor
import boto3
count = int(sys.argv[1])
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])
s3.create_bucket(Bucket="bench")
def put(i):
    s3.put_object(Bucket="bench", Key=f"data/{i % 100:02d}/{i:06d}.bin",
                  Body=b"x" * (i % 512 + 1), ContentType="application/octet-stream")
with ThreadPoolExecutor(8) as pool:
    list(pool.map(put, range(count)))
print(f"uploaded {count} objects to s3://bench/data/")
PY
# list_boto3 OPERATION KEY: pages through a listing of s3://bench/data/ with boto3.
list_boto3() {
  "$py" - "$1" "$2" <<'PY'
import os, sys, boto3
operation, key = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])
n = 0
for page in s3.get_paginator(operation).paginate(Bucket="bench", Prefix="data/"):
    n += len(page.get(key, []))
print(n)
PY
}
track_s3() {
  rm -rf "$work/home-s3"
  CAIRN_HOME="$work/home-s3" "$cairn_bin" -q track bench-s3 s3://bench/data/ \
    --max-objects 100000
}
# cairn lists object versions (it records each object's versionId), which costs a
# store more than a plain listing; both boto3 listings are shown.
listing=$(best_of "$runs" list_boto3 list_objects_v2 Contents)
versions=$(best_of "$runs" list_boto3 list_object_versions Versions)
tracked=$(best_of "$runs" track_s3)
row "boto3 list_objects_v2, paginated (floor)" "$listing"
row "boto3 list_object_versions, paginated" "$versions" \
  "$(ratio "$versions" "$listing") floor"
row "cairn track s3://bench/data/" "$tracked" \
  "$(ratio "$tracked" "$listing") floor, $(ratio "$tracked" "$versions") versions"
