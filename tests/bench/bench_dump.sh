#!/usr/bin/env bash
# `rcttop dump --rate 10000` against `rcttop sim` on loopback, and a plain sequential
# Python client (tests/bench/seq_client.py, one request in flight) against the same
# simulator, in one run: wall time of each whole process, RUNS times, and the medians.
# Usage: tests/bench/bench_dump.sh BUILD_DIR [RUNS], or --smoke BUILD_DIR (one run, for ctest)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=${1:-build}
runs=${2:-5}
[ "$smoke" = 0 ] || runs=1
here=$(cd "$(dirname "$0")" && pwd)
rcttop="$build/rcttop"
out=$(mktemp)
# dual-tower: every registry OID is answered (the Python client would wait out each one a
# single-tower site does not know).
"$rcttop" sim --listen 127.0.0.1:0 --speed 0 --profile dual-tower > "$out" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
[ -n "$port" ] || { echo "bench_dump: the simulator did not start"; exit 1; }
"$rcttop" dump --host 127.0.0.1:$port --rate 10000 > /dev/null 2>&1   # warm the model's caches
now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }   # awk, not bc: bc is not on every machine
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
r=() p=()
for i in $(seq "$runs"); do
    t0=$(now); "$rcttop" dump --host 127.0.0.1:$port --rate 10000 > /dev/null 2>&1 || { echo "bench_dump: dump failed"; exit 1; }; t1=$(now)
    r+=("$(calc "$t1 - $t0")")
    t0=$(now); python3 "$here/seq_client.py" 127.0.0.1 "$port" "$here/../../assets/registry.csv" > /dev/null; t1=$(now)
    p+=("$(calc "$t1 - $t0")")
    printf 'run %d: rcttop dump %.3f s   python sequential %.3f s\n' "$i" "${r[-1]}" "${p[-1]}"
done
rm_=$(printf '%s\n' "${r[@]}" | median)
pm=$(printf '%s\n' "${p[@]}" | median)
printf 'median: rcttop dump %.3f s, python %.3f s (850 OIDs each): rcttop %.1fx faster\n' \
    "$rm_" "$pm" "$(calc "$pm / $rm_")"
