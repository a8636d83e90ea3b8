#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How fast `cairn track` snapshots an S3 prefix of 10,000 small objects, against
# boto3 listing the same prefix's versions, both talking to moto on loopback.
#
#   bench/track_s3.sh             # uses build/default/cli/cairn (env CAIRN_BIN)
#
# Starts moto (tests/scripts/moto.sh), uploads the objects with a bounded thread pool,
# prints the median of 3 runs of each side and the ratio, and stops moto. cairn runs
# with a fresh home each time; its figure includes process start, boto3's does not
# (the listing is timed inside Python). moto answers every request on a new
# connection, so both sides pay a TCP connect per page.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cairn_bin="${CAIRN_BIN:-$root/build/default/cli/cairn}"
[ -x "$cairn_bin" ] || { echo "track_s3.sh: build cairn first: $cairn_bin" >&2; exit 1; }
py="$root/.venv/bin/python"
runs=3
objects=10000
bucket=cairn-bench
prefix=data/

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-s3.XXXXXX")
moto_pidfile=""
cleanup() {
  [ -z "$moto_pidfile" ] || "$root/tests/scripts/moto.sh" stop "$moto_pidfile" || true
  rm -rf "$work"
}
trap cleanup EXIT

eval "$("$root/tests/scripts/moto.sh" start)"
moto_pidfile=$CAIRN_MOTO_PIDFILE
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1

"$py" - "$bucket" "$prefix" "$objects" <<'PY'
import os, random, sys, time
from concurrent.futures import ThreadPoolExecutor
import boto3

bucket, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])
s3.create_bucket(Bucket=bucket)
s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
rng = random.Random(20261204)
bodies = [rng.randbytes(rng.randrange(64, 4096)) for _ in range(count)]

def put(i):
    key = f"{prefix}d{i % 100:02d}/f{i:05d}.bin"
    s3.put_object(Bucket=bucket, Key=key, Body=bodies[i],
                  ContentType="application/octet-stream")

start = time.monotonic()
# Eight workers at most; each put is one request, so the loop is bounded by count.
with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(put, range(count)))
print(f"uploaded {count} objects to s3://{bucket}/{prefix} in "
      f"{time.monotonic() - start:.1f} s")
PY

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

cairn_times=()
for i in $(seq 1 "$runs"); do
  t0=$(now)
  "$cairn_bin" -q --home "$work/home-$i" track bench-s3 "s3://$bucket/$prefix" >/dev/null
  t1=$(now)
  cairn_times+=("$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f", a - b }')")
done

mapfile -t boto_times < <("$py" - "$bucket" "$prefix" "$runs" "$objects" <<'PY'
import os, sys, time
import boto3

bucket, prefix = sys.argv[1], sys.argv[2]
runs, expected = int(sys.argv[3]), int(sys.argv[4])
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])
for _ in range(runs):
    start = time.monotonic()
    n = 0
    paginator = s3.get_paginator("list_object_versions")
    pages = paginator.paginate(Bucket=bucket, Prefix=prefix)
    for page in pages:
        n += sum(1 for v in page.get("Versions", []) if v["IsLatest"])
    if n != expected:
        sys.exit(f"listed {n} objects, expected {expected}")
    print(f"{time.monotonic() - start:.4f}")
PY
)

c=$(median "${cairn_times[@]}") b=$(median "${boto_times[@]}")
echo
echo "commands:"
echo "  cairn: cairn -q --home FRESH_HOME track bench-s3 s3://$bucket/$prefix"
echo "  boto3: paginate list_object_versions(Bucket=$bucket, Prefix=$prefix), in-process"
echo
printf '%-34s %12s %10s\n' "snapshot of $objects objects" "median (s)" "ratio"
printf '%-34s %12.3f %10s\n' "cairn track" "$c" \
  "$(awk -v a="$c" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
printf '%-34s %12.3f %10s\n' "boto3 list_object_versions" "$b" "1.00"
echo "runs: cairn ${cairn_times[*]}; boto3 ${boto_times[*]}"
