#!/usr/bin/env bash
# The README's Plant pane, from the real program: the monitor at 120x24 on a plant of three
# simulated units (`rcttop sim --plant master,inverter,storage-ac`, fixed seed, the plant's
# clock frozen at a sunny noon, 2026-06-21 12:00 UTC), named in a configuration as an
# installer would, after the pane is complete. Prints the screen.
# Usage: assets/screenshot_plant.sh BUILD/rcttop
set -eu
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-plantshot-$$"
offset=$(( $(date +%s) - $(date -u -d 2026-06-21T12:00:00Z +%s) ))
"$RCTTOP" sim --plant master,inverter,storage-ac --listen 127.0.0.1:0 --seed 1 \
    --start 2026-06-21T12:00:00Z --speed 0 --clock-offset "$offset" > "$work/sim.out" 2>&1 &
sim=$!
trap '$T kill-server 2>/dev/null || true; kill $sim 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do [ "$(grep -c listening "$work/sim.out" 2>/dev/null)" = 3 ] && break; sleep 0.1; done
mapfile -t ports < <(sed -n 's/^listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$work/sim.out")
[ "${#ports[@]}" = 3 ] || { echo "screenshot_plant: the plant did not start" >&2; cat "$work/sim.out" >&2; exit 1; }
names=(master pi ac)
{
    for i in 0 1 2; do
        printf '[device:%s]\nhost = 127.0.0.1\nport = %s\nlabel = %s\n\n' "${names[$i]}" "${ports[$i]}" "${names[$i]}"
    done
    printf '[plant:home]\ndevices = master pi ac\n'
} > "$work/config.ini"
$T new-session -d -s shot -x 120 -y 24 "env TZ=UTC LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --config $work/config.ini --plant home; sleep 60"
# Complete: three rows online, the totals current, the plant judged and the master's report
# of both slaves read; then a few seconds more.
complete() {
    local s; s=$($T capture-pane -p -t shot 2>/dev/null)
    [ "$(grep -cE '^│.* online ' <<<"$s")" = 3 ] && ! grep -q "not current" <<<"$s" &&
        grep -qE '^│ House +[0-9-]' <<<"$s" && grep -q "plant: ok" <<<"$s" &&
        [ "$(grep -c "(sn [0-9]*): AC" <<<"$s")" = 2 ]
}
for _ in $(seq 600); do complete && break; sleep 0.1; done
sleep "${RCT_SHOT_SECONDS:-8}"
$T capture-pane -p -t shot
