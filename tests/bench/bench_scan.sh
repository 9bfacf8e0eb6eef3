#!/usr/bin/env bash
# `rcttop scan` of a loopback /24 (127.0.1.0/24, 254 addresses) where three simulators
# answer (127.0.1.1-3, one port), in two cases: one silent listener (127.0.1.4, accepts TCP
# and never answers), and 64 of them (127.0.1.100-163: a full wave of the default
# concurrency that has to wait out its timeouts). Every other address refuses at once, as
# closed ports on loopback do. Wall time of the whole process, RUNS times, and the medians;
# the goal is under 15 s.
# Usage: tests/bench/bench_scan.sh BUILD_DIR [RUNS], or --smoke BUILD_DIR (one run of each)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=${1:-build}
runs=${2:-5}
[ "$smoke" = 0 ] || runs=1
rcttop="$build/rcttop"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
wait_listening() {  # FILE PID
    for _ in $(seq 300); do
        grep -q "^listening on" "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
"$rcttop" sim --listen 127.0.1.1:0 --seed 21 --role master --speed 0 > "$work/sim1.out" 2>&1 &
pids+=($!)
wait_listening "$work/sim1.out" $! || { echo "bench_scan: the simulator did not start"; exit 1; }
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim1.out")
for i in 2 3; do
    "$rcttop" sim --listen 127.0.1.$i:$port --seed 2$i --role slave --speed 0 > "$work/sim$i.out" 2>&1 &
    pids+=($!)
    wait_listening "$work/sim$i.out" $! || { echo "bench_scan: simulator $i did not start"; exit 1; }
done
# silent FIRST LAST: a listener on 127.0.1.FIRST..LAST that accepts and never answers.
silent() {
    python3 -c '
import select, socket, sys
port, first, last = (int(a) for a in sys.argv[1:4])
ls = []
for i in range(first, last + 1):
    s = socket.socket()
    s.bind(("127.0.1.%d" % i, port))
    s.listen(64)
    ls.append(s)
print("listening on 127.0.1.%d-%d:%d" % (first, last, port), flush=True)
held = []
while True:
    for s in select.select(ls, [], [])[0]:
        held.append(s.accept()[0])
' "$port" "$1" "$2" > "$work/silent$1.out" 2>&1 &
    pids+=($!)
    wait_listening "$work/silent$1.out" $! || { echo "bench_scan: the silent listener did not start"; exit 1; }
}
silent 4 4
now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
range=127.0.1.0/24
[ "$smoke" = 0 ] || range=127.0.1.0/28
measure() {  # measure LABEL: RUNS scans, the median into $med
    local t=()
    for i in $(seq "$runs"); do
        local t0 t1 found
        t0=$(now)
        found=$("$rcttop" scan "$range" --port "$port" | tail -1) || { echo "bench_scan: scan failed"; exit 1; }
        t1=$(now)
        case "$found" in 3\ units\ found*) ;; *) echo "bench_scan: $found (3 units expected)"; exit 1;; esac
        t+=("$(calc "$t1 - $t0")")
        printf '%s run %d: %.3f s  (%s)\n' "$1" "$i" "${t[-1]}" "$found"
    done
    med=$(printf '%s\n' "${t[@]}" | median)
}
measure "1 silent"
one=$med
silent 100 163
measure "65 silent"
many=$med
printf 'median of %d: scan of %s, 3 units: %.3f s with 1 silent listener, %.3f s with 65 (goal: under 15 s)\n' \
    "$runs" "$range" "$one" "$many"
