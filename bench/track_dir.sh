#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How fast `cairn track` snapshots a local folder of 10,000 small files, against the
# floor of hashing the same files with md5sum on 2 processes.
#
#   bench/track_dir.sh            # uses build/default/cli/cairn (env CAIRN_BIN)
#
# Prints the median of 3 runs for: cairn track with a fresh home (cold: every file is
# read and hashed), cairn track again in the same home (warm: the checksum cache keyed
# by path, size and mtime skips unchanged files), and the md5sum floor. The files sit
# in the page cache for every run, so the figures compare CPU and syscall work, not
# disk reads.
set -euo pipefail
cd "$(dirname "$0")/.."
cairn_bin="${CAIRN_BIN:-$PWD/build/default/cli/cairn}"
[ -x "$cairn_bin" ] || { echo "track_dir.sh: build cairn first: $cairn_bin" >&2; exit 1; }
runs=3
files=10000

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-dir.XXXXXX")
trap 'rm -rf "$work"' EXIT
data="$work/data"

# 10,000 files in 100 folders, sizes 64 B to 16 KiB, the same bytes on every run.
python3 - "$data" "$files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261204)
total = 0
for i in range(count):
    folder = os.path.join(root, f"d{i % 100:02d}")
    os.makedirs(folder, exist_ok=True)
    size = rng.choice([64, 512, 1024, 4096, 16384]) - rng.randrange(0, 64)
    with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
        f.write(rng.randbytes(size))
    total += size
print(f"data: {count} files, {total} bytes in 100 folders")
PY

now() { date +%s.%N; }
# Runs "$@" once and prints its wall time in seconds; fails when the command fails.
timed() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null
  t1=$(now)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f\n", a - b }'
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

cold=() warm=() floor=()
for i in $(seq 1 "$runs"); do
  home="$work/home-$i"
  cold+=("$(timed "$cairn_bin" -q --home "$home" track bench "$data")")
done
for i in $(seq 1 "$runs"); do
  warm+=("$(timed "$cairn_bin" -q --home "$work/home-1" track bench "$data")")
done
floor_cmd() { find "$data" -type f -print0 | xargs -0 -P2 md5sum >/dev/null; }
for i in $(seq 1 "$runs"); do
  floor+=("$(timed floor_cmd)")
done

c=$(median "${cold[@]}") w=$(median "${warm[@]}") f=$(median "${floor[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "commands:"
echo "  cold : cairn -q --home FRESH_HOME track bench DIR"
echo "  warm : cairn -q --home SAME_HOME track bench DIR   (after the cold run)"
echo "  floor: find DIR -type f -print0 | xargs -0 -P2 md5sum >/dev/null"
echo
printf '%-28s %12s %14s\n' "track of $files files" "median (s)" "ratio / floor"
printf '%-28s %12.3f %14s\n' "cairn track, cold" "$c" "$(ratio "$c" "$f")"
printf '%-28s %12.3f %14s\n' "cairn track, warm" "$w" "$(ratio "$w" "$f")"
printf '%-28s %12.3f %14s\n' "md5sum floor (-P2)" "$f" "1.00"
echo "runs: cold ${cold[*]}; warm ${warm[*]}; floor ${floor[*]}"
