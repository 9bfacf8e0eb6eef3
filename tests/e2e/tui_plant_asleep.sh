#!/usr/bin/env bash
# A plant's units each keep their own expected_offline window: the PV-only slave whose
# window covers now is "asleep" (info) when it goes dark, while the battery slave, which has
# no window, going dark is a plant warning (its master still counts it). The units are
# `rcttop sim --plant`, named in a configuration as an installer would.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-asleep-$$"
source "$(dirname "$0")/lib.bash"
"$RCTTOP" sim --plant master,inverter,storage-ac --listen 127.0.0.1:0 --no-night \
    --unit 2:--at=25:silent --unit 3:--at=25:silent > "$work/sim.out" 2> "$work/sim.err" &
SIM_PID=$!
trap cleanup_work EXIT
check_details() { print_pane; }
three() { [ "$(grep -c listening "$work/sim.out")" = 3 ]; }
retry 30 three || { echo "the plant did not start"; cat "$work/sim.err"; exit 1; }
mapfile -t ports < <(sed -n 's/^listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$work/sim.out")
# A window from an hour ago to an hour ahead (local time), for the PV-only unit alone.
window="$(date -d '-1 hour' +%H:%M)-$(date -d '+1 hour' +%H:%M)"
cat > "$work/config.ini" <<INI
[device:master]
host = 127.0.0.1
port = ${ports[0]}
label = master
[device:pi]
host = 127.0.0.1
port = ${ports[1]}
label = pi
expected_offline = $window
[device:ac]
host = 127.0.0.1
port = ${ports[2]}
label = ac
[plant:home]
devices = master pi ac
INI
$T new-session -d -s mon -x 120 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --config $work/config.ini --plant home; sleep 60"
wait_for "3 units: one master (master), its slaves point to it" 60; check "the plant is judged whole first" $?
wait_for "pi is asleep" 90; check "the PV-only slave gone dark inside its window is asleep" $?
wait_for "ac is offline, the master still counts it" 30; check "the battery slave gone dark, with no window, is a warning" $?
screen | grep -q "plant: info  pi is asleep"; check "asleep is info" $?
screen | grep -q "plant: warning  ac is offline"; check "offline is a warning" $?
finish
