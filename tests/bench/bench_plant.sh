#!/usr/bin/env bash
# The monitor with one unit and with a plant of three, each against its own `rcttop sim`
# on loopback at the defaults (4 requests/s a unit), in tmux at 120x30:
#  - the time until the Plant pane is complete: three rows online and the PV and house
#    totals current (no unit "not current"), from the start of the monitor;
#  - at rest over SECONDS past the first minute: CPU (user + system, /proc clock ticks) as
#    a share of one core, and private dirty memory (Private_Dirty of smaps_rollup: what the
#    kernel cannot drop), for one unit on its dashboard and for the three on the Plant pane.
# RUNS runs each, medians printed.
# Usage: tests/bench/bench_plant.sh BUILD_DIR [RUNS] [SECONDS]
#        tests/bench/bench_plant.sh --smoke BUILD_DIR   (one run, 2 s at rest, for ctest)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
seconds=${3:-60}
settle=60
[ "$smoke" = 0 ] || { runs=1; seconds=2; settle=2; }
rcttop="$build/rcttop"
work=$(mktemp -d)
T="tmux -L rcttop-plantbench-$$"
sims=()
trap '$T kill-server 2>/dev/null || true; kill "${sims[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
ports=()
for n in 1 2 3; do
    role=slave; [ "$n" = 1 ] && role=master
    "$rcttop" sim --listen 127.0.0.1:0 --role "$role" --seed "$n" > "$work/sim$n.out" 2>&1 &
    sims+=($!)
    for _ in $(seq 300); do grep -q listening "$work/sim$n.out" 2>/dev/null && break; sleep 0.1; done
    ports+=("$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim$n.out")")
    [ -n "${ports[-1]}" ] || { echo "bench_plant: simulator $n did not start"; exit 1; }
done
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
hz=$(getconf CLK_TCK)
complete() {
    local s; s=$($T capture-pane -p -t mon 2>/dev/null)
    [ "$(grep -cE '^│.*127\.0\.0\.1:[0-9]+ .* online ' <<<"$s")" = 3 ] &&
        grep -qE '^│ PV +[0-9][0-9 ]* W +strings' <<<"$s" &&
        grep -qE '^│ House +[0-9][0-9 ]* W +the master' <<<"$s"
}
# run HOSTS...: starts the monitor, sets FILLED (seconds to a complete Plant pane, or "-"
# for one unit), CPU (% of a core) and DIRTY (kB) at rest; stops it.
run() {
    local start mon t0 t1
    start=$(date +%s.%N)
    $T new-session -d -s mon -x 120 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $rcttop $* --config /dev/null"
    mon=$($T display-message -p -t mon '#{pane_pid}')
    FILLED=-
    if [ $# -gt 2 ]; then
        for _ in $(seq 600); do complete && break; sleep 0.1; done
        complete || { echo "bench_plant: the Plant pane was not complete in 60 s"; exit 1; }
        FILLED=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    fi
    sleep "$settle"
    t0=$(awk '{ print $14 + $15 }' "/proc/$mon/stat")
    sleep "$seconds"
    t1=$(awk '{ print $14 + $15 }' "/proc/$mon/stat")
    CPU=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", t / hz / s * 100 }')
    DIRTY=$(awk '$1 == "Private_Dirty:" { print $2 }' "/proc/$mon/smaps_rollup")
    $T kill-server 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$mon" 2>/dev/null || break; sleep 0.1; done
}
one_cpu=() one_mem=() three_fill=() three_cpu=() three_mem=()
for i in $(seq "$runs"); do
    run --host "127.0.0.1:${ports[0]}"
    one_cpu+=("$CPU") one_mem+=("$DIRTY")
    run --host "127.0.0.1:${ports[0]}" --host "127.0.0.1:${ports[1]}" --host "127.0.0.1:${ports[2]}"
    three_fill+=("$FILLED") three_cpu+=("$CPU") three_mem+=("$DIRTY")
    printf 'run %d: one unit %s%% CPU %s kB; three units complete in %s s, %s%% CPU %s kB\n' \
        "$i" "${one_cpu[-1]}" "${one_mem[-1]}" "$FILLED" "$CPU" "$DIRTY"
done
m1c=$(printf '%s\n' "${one_cpu[@]}" | median) m1m=$(printf '%s\n' "${one_mem[@]}" | median)
m3f=$(printf '%s\n' "${three_fill[@]}" | median)
m3c=$(printf '%s\n' "${three_cpu[@]}" | median) m3m=$(printf '%s\n' "${three_mem[@]}" | median)
printf '\nmedians over %d runs, %d s at rest after %d s:\n' "$runs" "$seconds" "$settle"
printf '  Plant pane complete, three units: %s s\n' "$m3f"
printf '  one unit:    %5s %% of a core, private dirty %6s kB\n' "$m1c" "$m1m"
printf '  three units: %5s %% of a core, private dirty %6s kB (%s kB a further unit)\n' \
    "$m3c" "$m3m" "$(( (m3m - m1m) / 2 ))"
