#!/usr/bin/env bash
# `rcttop check` of three units (a master and two slaves, each its own simulator on
# loopback) against a check of one of them: wall time of each whole process, RUNS times
# each, and the medians. The units are read in parallel, each on its own connection, so
# three should take about as long as one (the goal: within one unit's time + 20 %).
# Usage: tests/bench/bench_check_units.sh BUILD_DIR [RUNS] [RATE], or --smoke BUILD_DIR
# (one run each, at a fast rate, for ctest). RATE: requests per second per unit (default:
# rcttop's own, the polite rate real devices sustain).
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=${1:-build}
runs=${2:-5}
rate=${3:-}
[ "$smoke" = 0 ] || { runs=1; rate=200; }
rcttop="$build/rcttop"
work=$(mktemp -d)
export XDG_STATE_HOME=$work/state XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
ports=()
for role in master slave slave; do
    n=${#ports[@]}
    "$rcttop" sim --listen 127.0.0.1:0 --role $role --seed $((n + 1)) > "$work/sim$n" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -q listening "$work/sim$n" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim$n")
    [ -n "$port" ] || { echo "bench_check_units: a simulator did not start"; exit 1; }
    ports+=("$port")
done
rate_opt=()
[ -z "$rate" ] || rate_opt=(--rate "$rate")
one=(-H "127.0.0.1:${ports[0]}")
three=(-H "127.0.0.1:${ports[0]}" -H "127.0.0.1:${ports[1]}" -H "127.0.0.1:${ports[2]}")
now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }   # awk, not bc: bc is not on every machine
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# run ARGS...: the wall time of one check; a check that cannot judge (exit 3) is a failure.
run() {
    local t0 t1 status=0
    t0=$(now)
    "$rcttop" check "$@" "${rate_opt[@]}" > "$work/out" 2>&1 || status=$?
    t1=$(now)
    [ "$status" != 3 ] || { echo "bench_check_units: check $* gave UNKNOWN: $(head -1 "$work/out")"; exit 1; }
    calc "$t1 - $t0"
}
a=() b=()
for i in $(seq "$runs"); do
    a+=("$(run "${one[@]}")")
    b+=("$(run "${three[@]}")")
    printf 'run %d: 1 unit %.3f s   3 units %.3f s\n' "$i" "${a[-1]}" "${b[-1]}"
done
am=$(printf '%s\n' "${a[@]}" | median)
bm=$(printf '%s\n' "${b[@]}" | median)
printf 'median of %d: 1 unit %.3f s, 3 units %.3f s: 3 units take %+.1f %% (goal: at most +20 %%)\n' \
    "$runs" "$am" "$bm" "$(calc "($bm / $am - 1) * 100")"
