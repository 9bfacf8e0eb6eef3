#!/usr/bin/env bash
# The README's screenshot, from the real program: the monitor at 80x24 against `rcttop
# sim` with a fixed seed and a frozen clock (2026-06-21 12:00 UTC, a sunny noon), after
# 20 seconds of polling. Prints the screen. Usage: assets/screenshot.sh BUILD/rcttop
set -eu
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-shot-$$"
out="$work/sim.out"
# The plant's clock is frozen at that noon; the device's clock is the host's (as on a
# well-kept site), so nothing is flagged for a clock that only the screenshot stopped.
offset=$(( $(date +%s) - $(date -u -d 2026-06-21T12:00:00Z +%s) ))
"$RCTTOP" sim --listen 127.0.0.1:0 --seed 1 --start 2026-06-21T12:00:00Z --speed 0 \
    --clock-offset "$offset" > "$out" 2>&1 &
sim=$!
trap '$T kill-server 2>/dev/null; kill $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
$T new-session -d -s shot -x 80 -y 24 "env TZ=UTC LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$port --config /dev/null; sleep 60"
sleep "${RCT_SHOT_SECONDS:-20}"
$T capture-pane -p -t shot
