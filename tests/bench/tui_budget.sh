#!/usr/bin/env bash
# Resource budget of the monitor on the demo dashboard at 80x24, once values settle:
# CPU (% of one core), private dirty memory (what the kernel cannot drop), and bytes written to the terminal per second
# (what an SSH link carries). Runs rcttop inside `script` inside a tmux pane, so the
# terminal is real and every byte rcttop writes is counted.
# Usage: tests/bench/tui_budget.sh path/to/rcttop [SETTLE_SECONDS] [WINDOWS] [WINDOW_SECONDS]
#        tests/bench/tui_budget.sh --smoke path/to/rcttop   (one window of a second, for ctest)
set -eu
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SETTLE=${2:-15}
WINDOWS=${3:-5}
WINDOW=${4:-10}
[ "$smoke" = 0 ] || { SETTLE=1; WINDOWS=1; WINDOW=1; }
work=$(mktemp -d)
SOCK="rcttop-budget-$$"
trap 'tmux -L $SOCK kill-server 2>/dev/null; rm -rf "$work"' EXIT
tmux -L "$SOCK" new-session -d -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=xterm-256color script -q -f -c '$RCTTOP --demo --config /dev/null' $work/typescript"
# rcttop is a descendant of this pane (tmux, sh, script): other tests may run the same
# binary at the same time, so a search by command line could measure theirs. Read from
# /proc (field 4 of stat is the parent), as procps is not on every machine.
descendant_rcttop() {
    local -A parent=()
    local stat pid rest fields
    for stat in /proc/[0-9]*/stat; do
        { read -r pid rest < "$stat"; } 2>/dev/null || continue
        rest=${rest##*) }   # past the command name, which may hold spaces
        read -ra fields <<< "$rest"
        parent[$pid]=${fields[1]}
    done
    for pid in "${!parent[@]}"; do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rcttop ] || continue
        local up=$pid
        while [ -n "${parent[$up]:-}" ] && [ "$up" != 1 ]; do
            up=${parent[$up]}
            [ "$up" = "$1" ] && { echo "$pid"; return; }
        done
    done
}
pid=""
for _ in $(seq 300); do
    pane=$(tmux -L "$SOCK" display-message -p '#{pane_pid}' 2>/dev/null || true)
    [ -n "$pane" ] && pid=$(descendant_rcttop "$pane")
    [ -n "$pid" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { echo "rcttop did not start within 30 s"; exit 1; }
sleep "$SETTLE"
hz=$(getconf CLK_TCK)
calc() { awk "BEGIN { print $1 }"; }   # awk, not bc: bc is not on every machine
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
cpus=() dirty=() rates=()
for _ in $(seq "$WINDOWS"); do
    t0=$(cpu_ticks); b0=$(stat -c %s "$work/typescript"); s0=$(date +%s.%N)
    sleep "$WINDOW"
    t1=$(cpu_ticks); b1=$(stat -c %s "$work/typescript"); s1=$(date +%s.%N)
    el=$(calc "$s1 - $s0")
    cpus+=("$(calc "($t1 - $t0) / $hz / $el * 100")")
    rates+=("$(calc "($b1 - $b0) / $el")")
    dirty+=("$(awk '$1 == "Private_Dirty:" {print $2}' "/proc/$pid/smaps_rollup")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median over %d windows of %d s: CPU %.2f %% of one core, private dirty %.1f MB, terminal output %.0f bytes/s\n' \
    "$WINDOWS" "$WINDOW" "$(median "${cpus[@]}")" "$(calc "$(median "${dirty[@]}") / 1024")" "$(median "${rates[@]}")"
echo "budget: < 1 % CPU, < 16 MB private dirty, < 2048 bytes/s"
