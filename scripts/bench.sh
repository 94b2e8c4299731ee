#!/usr/bin/env bash
# `make bench`: release build, the in-process benchmarks, then the whole-process time of validating every
# bundled profile (the number a pull-request check pays).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product scimctl
swift build -c release --product scimctl-bench
bin=$(swift build -c release --show-bin-path)
"$bin/scimctl-bench"
echo
runs=30
times=()
for _ in $(seq $runs); do
  start=$(date +%s%N)
  "$bin/scimctl" validate mapping --format json > /dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
awk -v median="${sorted[$((runs / 2))]}" -v best="${sorted[0]}" -v runs="$runs" 'BEGIN {
  printf "%-58s median %10.3f ms  best %10.3f ms  (%d runs)\n", "scimctl validate mapping (whole process, release)", median / 1000, best / 1000, runs }'
