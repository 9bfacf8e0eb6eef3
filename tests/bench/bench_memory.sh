#!/usr/bin/env bash
# Memory side by side: the monitor at 80x24 against `rcttop sim` on loopback (default rate,
# every pane's sampling on) and htop at 80x24 on the same machine, each in its own tmux,
# for MINUTES minutes. Prints RSS (anonymous + file-backed) of both once a minute and, at
# the end, the monitor's RSS against htop's. Needs tmux and htop.
# Usage: tests/bench/bench_memory.sh BUILD_DIR [MINUTES]
set -eu
build=$(cd "${1:-build}" && pwd)
minutes=${2:-10}
rcttop="$build/rcttop"
command -v htop > /dev/null || { echo "bench_memory: htop is not installed (apt install htop)"; exit 2; }
work=$(mktemp -d)
T="tmux -L rcttop-mem-$$"
"$rcttop" sim --listen 127.0.0.1:0 > "$work/sim.out" 2>&1 &
sim=$!
trap '$T kill-server 2>/dev/null; kill $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim.out")
$T new-session -d -s mon -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 $rcttop --host 127.0.0.1:$port --config /dev/null"
$T new-session -d -s top -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 htop"
pid_of() { $T display-message -p -t "$1" '#{pane_pid}'; }
# The pane's process is the program itself (env execs it).
for _ in $(seq 50); do
    mon=$(pid_of mon 2>/dev/null || true); top=$(pid_of top 2>/dev/null || true)
    [ -n "$mon" ] && [ -n "$top" ] && grep -q rcttop "/proc/$mon/cmdline" 2>/dev/null && break
    sleep 0.1
done
rss() { awk '/^(VmRSS|RssAnon|RssFile):/ { printf "%s %d  ", $1, $2 }' "/proc/$1/status"; }
kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
echo "rcttop pid $mon, htop pid $top, ${minutes} min at 80x24 (kB)"
for m in $(seq 0 "$minutes"); do
    [ "$m" = 0 ] || sleep 60
    printf 'minute %2d  rcttop: %s\n           htop:   %s\n' "$m" "$(rss "$mon")" "$(rss "$top")"
done
# Where it is, by mapping: shared libraries count whole 64 kB runs the kernel maps around
# each page touched (fault-around), so their share moves by ~0.1 MB from run to run.
by_mapping() {
    awk '/^[0-9a-f]+-[0-9a-f]+ / { n = $6 == "" ? "[anonymous]" : $6; sub(/.*\//, "", n) }
         /^Rss:/ { kb[n] += $2 } END { for (n in kb) if (kb[n] >= 16) printf "%6d %s\n", kb[n], n }' \
        "/proc/$1/smaps" | sort -rn
}
echo "by mapping (kB), rcttop | htop:"
paste <(by_mapping "$mon") <(by_mapping "$top") | awk -F'\t' '{ printf "  %-34s %s\n", $1, $2 }'
# The program's code by section (CMakeLists.txt lays it out): the monitor's own, the other
# panes', and the code it never runs, which should have no page resident.
echo "rcttop's code by section (resident pages of all):"
python3 "$(dirname "$0")/../e2e/code_pages.py" resident "$mon" "$rcttop" .text .text.rcttop_panes .text.rcttop_cold 2>&1 |
    awk '{ printf "  %-20s %3d of %3d pages\n", $1, $4, $5 }'
r=$(kb "$mon"); h=$(kb "$top")
printf 'after %d min: rcttop %d kB, htop %d kB: rcttop %s htop\n' "$minutes" "$r" "$h" \
    "$([ "$r" -le "$h" ] && echo "at or below" || echo "ABOVE")"
