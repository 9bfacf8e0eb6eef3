#!/usr/bin/env bash
# Memory side by side: the monitor at 80x24 against `rcttop sim` on loopback (default rate,
# every pane's sampling on) and htop at 80x24 on the same machine, each in its own tmux.
# Memory is what the kernel cannot drop: private dirty memory (Private_Dirty of
# /proc/PID/smaps_rollup); USS (Private_Clean + Private_Dirty) and PSS beside it. Shared
# library text and clean program pages are not counted: the machine pays for them once and
# the kernel can read them again.
# Usage: tests/bench/bench_memory.sh BUILD_DIR [MINUTES]    (readings once a minute; needs htop)
#        tests/bench/bench_memory.sh --smoke BUILD_DIR      (one reading after a second, for
#        ctest: htop beside it only if installed)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=$(cd "${1:-build}" && pwd)
minutes=${2:-10}
rcttop="$build/rcttop"
htop=1
if ! command -v htop > /dev/null; then
    [ "$smoke" = 1 ] || { echo "bench_memory: htop is not installed (apt install htop)"; exit 2; }
    htop=0
fi
work=$(mktemp -d)
T="tmux -L rcttop-mem-$$"
"$rcttop" sim --listen 127.0.0.1:0 > "$work/sim.out" 2>&1 &
sim=$!
trap '$T kill-server 2>/dev/null; kill $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim.out")
[ -n "$port" ] || { echo "bench_memory: the simulator did not start"; exit 1; }
$T new-session -d -s mon -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 $rcttop --host 127.0.0.1:$port --config /dev/null"
[ "$htop" = 0 ] || $T new-session -d -s top -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 htop"
pid_of() { $T display-message -p -t "$1" '#{pane_pid}' 2>/dev/null || true; }
# The pane's process is the program itself (env execs it).
mon="" top=""
for _ in $(seq 100); do
    mon=$(pid_of mon)
    [ "$htop" = 0 ] || top=$(pid_of top)
    if [ -n "$mon" ] && grep -q rcttop "/proc/$mon/cmdline" 2>/dev/null; then
        [ "$htop" = 0 ] || { [ -n "$top" ] && grep -q htop "/proc/$top/cmdline" 2>/dev/null; } && break
    fi
    sleep 0.1
done
grep -q rcttop "/proc/$mon/cmdline" 2>/dev/null || { echo "bench_memory: the monitor did not start"; exit 1; }
# One field of smaps_rollup in kB, and the three figures in a line.
field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/smaps_rollup"; }
figures() {
    local dirty clean pss
    dirty=$(field "$1" Private_Dirty); clean=$(field "$1" Private_Clean); pss=$(field "$1" Pss)
    [ -n "$dirty" ] && [ -n "$clean" ] && [ -n "$pss" ] || return 1
    printf 'private dirty %5d  USS %5d  PSS %5d' "$dirty" "$((clean + dirty))" "$pss"
}
# Where the private dirty memory is, by mapping (heap, anonymous, each library's data).
by_mapping() {
    awk '/^[0-9a-f]+-[0-9a-f]+ / { n = $6 == "" ? "[anonymous]" : $6; sub(/.*\//, "", n) }
         /^Private_Dirty:/ { kb[n] += $2 } END { for (n in kb) if (kb[n] >= 8) printf "%6d %s\n", kb[n], n }' \
        "/proc/$1/smaps" | sort -rn
}
alive() { kill -0 "$mon" 2>/dev/null || { echo "bench_memory: the monitor exited"; exit 1; }; }

if [ "$smoke" = 1 ]; then
    sleep 1
    alive
    line=$(figures "$mon") || { echo "bench_memory: no smaps_rollup figures for the monitor"; exit 1; }
    echo "smoke, after 1 s (kB): rcttop $line"
    [ "$htop" = 0 ] || echo "                        htop   $(figures "$top")"
    by_mapping "$mon" | grep -q . || { echo "bench_memory: no mapping holds private dirty memory"; exit 1; }
    exit 0
fi
echo "rcttop pid $mon, htop pid $top, ${minutes} min at 80x24 (kB)"
for m in $(seq 0 "$minutes"); do
    [ "$m" = 0 ] || sleep 60
    alive
    printf 'minute %2d  rcttop: %s\n           htop:   %s\n' "$m" "$(figures "$mon")" "$(figures "$top")"
done
echo "private dirty by mapping (kB), rcttop | htop:"
paste <(by_mapping "$mon") <(by_mapping "$top") | awk -F'\t' '{ printf "  %-34s %s\n", $1, $2 }'
r=$(field "$mon" Private_Dirty); h=$(field "$top" Private_Dirty)
printf 'after %d min, private dirty: rcttop %d kB, htop %d kB: rcttop %s htop\n' "$minutes" "$r" "$h" \
    "$([ "$r" -le "$h" ] && echo "at or below" || echo "ABOVE")"
