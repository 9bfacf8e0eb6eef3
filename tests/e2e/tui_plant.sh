#!/usr/bin/env bash
# A plant of three units in one monitor: the Plant pane lists each with its totals, the
# status bar counts a finding on a unit not shown, [ ] and Enter change the unit panes 1-9
# show, Health adds the plant's findings, and a unit killed under the monitor turns its
# row offline (the totals say a unit is not current) while the others stay online, until
# it comes back on the same address.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-plant-$$"
source "$(dirname "$0")/lib.bash"
declare -a UNIT_PID UNIT_PORT
stop_units() { for pid in "${UNIT_PID[@]}"; do kill "$pid" 2>/dev/null; done; }
trap 'stop_units; cleanup_work' EXIT
check_details() { print_pane; }

# start_unit N LISTEN ARGS...: a simulator on LISTEN (127.0.0.1:0 picks a port), its pid
# and port kept as unit N's.
start_unit() {
    local n=$1 listen=$2
    shift 2
    : > "$work/sim$n.out"
    "$RCTTOP" sim --listen "$listen" "$@" > "$work/sim$n.out" 2> "$work/sim$n.err" &
    UNIT_PID[$n]=$!
    retry 30 grep -q listening "$work/sim$n.out" || { echo "unit $n did not listen" >&2; return 1; }
    UNIT_PORT[$n]=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim$n.out")
}
start_unit 1 127.0.0.1:0 --role master --seed 1 || exit 1
start_unit 2 127.0.0.1:0 --role slave --profile inverter --seed 2 || exit 1
start_unit 3 127.0.0.1:0 --role slave --seed 3 --riso 80000 || exit 1

hosts="--host 127.0.0.1:${UNIT_PORT[1]} --host 127.0.0.1:${UNIT_PORT[2]} --host 127.0.0.1:${UNIT_PORT[3]}"
$T new-session -d -s mon -x 120 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP $hosts --config /dev/null; sleep 60"
started=$SECONDS
wait_for "Units (3)" 30; check "the monitor opens on the Plant pane with three units" $?
tab_is 0; check "pane 0 is the open tab" $?
# Complete: every row online and the PV total over every unit, with no unit left out.
plant_complete() {
    local s; s=$(screen)
    [ "$(grep -cE '^│.*127\.0\.0\.1:[0-9]+ .* online ' <<<"$s")" = 3 ] &&
        grep -qE '^│ PV +[0-9][0-9 ]* W +strings A \+ B of every unit' <<<"$s" &&
        grep -qE '^│ House +[0-9][0-9 ]* W +the master' <<<"$s"
}
retry 90 plant_complete; check "every row online and the totals current (goal 30 s)" $?
echo "    (Plant pane complete after $((SECONDS - started)) s)"
wait_for_re "1 CRIT" 150; check "unit 3's insulation finding counts in the status bar while unit 1 is shown" $?
wait_for_re "External .* not PV" 5; check "the S0 input has its own line, said not to be PV" $?

$T send-keys -t mon ']'
wait_for_re "\[1 2\* 3!?\]|\[1 [^]]*2 [^]]*\* 3" 10; check "] shows unit 2 (its mark in the unit list)" $?
$T send-keys -t mon '['
wait_for_re "\[1\* 2 3!?\]|\[1 [^]*]*\* 2" 10; check "[ goes back to unit 1" $?

$T send-keys -t mon Down Enter
retry 20 tab_is 1; check "Enter on the second row opens the dashboard" $?
wait_for "unit 2 of 3" 10; check "... of unit 2, as the key bar says" $?
open_pane 9; check "Health opens" $?
wait_for "plant:" 30; check "Health lists the plant's findings below the unit's" $?

open_pane 0; check "back to the Plant pane" $?
kill "${UNIT_PID[2]}"; wait "${UNIT_PID[2]}" 2>/dev/null
killed=$SECONDS
unit2_offline() {
    screen | grep -E "^│.*127\.0\.0\.1:${UNIT_PORT[2]} " | grep -qE 'offline|connecting|silent|not answer'
}
retry 60 unit2_offline; check "the killed unit's row turns offline" $?
echo "    (row offline $((SECONDS - killed)) s after the kill)"
others_online() {
    local s; s=$(screen)
    grep -E "^│.*127\.0\.0\.1:${UNIT_PORT[1]} " <<<"$s" | grep -q ' online ' &&
        grep -E "^│.*127\.0\.0\.1:${UNIT_PORT[3]} " <<<"$s" | grep -q ' online '
}
others_online; check "the other units stay online" $?
wait_for_re "PV +.*1 unit not current" 30; check "the PV total says one unit is not current" $?

start_unit 2 "127.0.0.1:${UNIT_PORT[2]}" --role slave --profile inverter --seed 2
check "unit 2 restarts on its address" $?
retry 90 plant_complete; check "unit 2 comes back online and the totals are whole again" $?

$T send-keys -t mon q
retry 20 shell_waits; check "q quits" $?
finish
