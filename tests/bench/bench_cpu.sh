#!/usr/bin/env bash
# CPU per answered request, in one run against one `rcttop sim` on loopback:
#  - `rcttop dump --rate 10000`: one sweep of the registry (850 OIDs), whole process;
#  - a plain sequential Python client (seq_client.py, standard library, one request in
#    flight) doing the same sweep, whole process;
#  - the monitor at 80x24 at its default 4 requests/s for SECONDS, every pane's sampling on.
# CPU is user + system from the kernel's accounting; RUNS sweeps each, medians printed.
# The simulator runs the dual-tower profile so every registry OID is answered (a Python
# client without rcttop's unsupported-OID handling would wait out each one it does not know).
# Usage: tests/bench/bench_cpu.sh BUILD_DIR [RUNS] [SECONDS], or --smoke BUILD_DIR (one sweep
# each and the monitor for a second after a second, for ctest)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=$(cd "${1:-build}" && pwd)
runs=${2:-9}
seconds=${3:-60}
settle=5   # past start-up: the window measures the steady state
[ "$smoke" = 0 ] || { runs=1; seconds=1; settle=1; }
here=$(cd "$(dirname "$0")" && pwd)
rcttop="$build/rcttop"
work=$(mktemp -d)
T="tmux -L rcttop-cpu-$$"
"$rcttop" sim --listen 127.0.0.1:0 --profile dual-tower -v > "$work/sim.out" 2> "$work/sim.log" &
sim=$!
trap '$T kill-server 2>/dev/null; kill $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim.out")
[ -n "$port" ] || { echo "bench_cpu: the simulator did not start"; exit 1; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
per_request_us() { awk -v u="$1" -v s="$2" -v n="$3" 'BEGIN { printf "%.1f", (u + s) * 1e6 / n }'; }
requests() { grep -c " \(READ\|WRITE\) " "$work/sim.log" || true; }

"$rcttop" dump --host 127.0.0.1:$port --rate 10000 > /dev/null 2>&1   # warm the caches
r=() p=()
for i in $(seq "$runs"); do
    before=$(requests)
    read -r u s status < <(python3 "$here/cpu_of.py" "$rcttop" dump --host 127.0.0.1:$port --rate 10000)
    n=$(( $(requests) - before ))
    r+=("$(per_request_us "$u" "$s" "$n")")
    before=$(requests)
    read -r pu ps pstatus < <(python3 "$here/cpu_of.py" python3 "$here/seq_client.py" 127.0.0.1 "$port" "$here/../../assets/registry.csv")
    pn=$(( $(requests) - before ))
    p+=("$(per_request_us "$pu" "$ps" "$pn")")
    printf 'sweep %d: rcttop dump %s us/request (%d requests, exit %s)   python %s us/request (%d requests)\n' \
        "$i" "${r[-1]}" "$n" "$status" "${p[-1]}" "$pn"
done
rm_=$(printf '%s\n' "${r[@]}" | median)
pm=$(printf '%s\n' "${p[@]}" | median)

# The monitor at its default rate: CPU over the window from /proc (clock ticks).
$T new-session -d -s mon -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 $rcttop --host 127.0.0.1:$port --config /dev/null"
mon=$($T display-message -p -t mon '#{pane_pid}')
sleep "$settle"
ticks() { awk '{ print $14 + $15 }' "/proc/$mon/stat"; }
t0=$(ticks); n0=$(requests)
sleep "$seconds"
t1=$(ticks); n1=$(requests)
hz=$(getconf CLK_TCK)
mn=$((n1 - n0))
mu=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$mn" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')

printf '\nmedian CPU per answered request (user + system):\n'
printf '  rcttop dump --rate 10000   %8s us\n' "$rm_"
printf '  python sequential client   %8s us\n' "$pm"
printf '  rcttop dump / python       %8s\n' "$(awk -v a="$rm_" -v b="$pm" 'BEGIN { printf "%.2f", a / b }')"
printf '  the monitor at 80x24, %d requests in %d s (%.1f/s): %s us a request, %s%% of one core\n' \
    "$mn" "$seconds" "$(awk -v n="$mn" -v s="$seconds" 'BEGIN { print n / s }')" "$mu" \
    "$(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", t / hz / s * 100 }')"
