#!/usr/bin/env bash
# The Health pane against a simulator with problems: the findings worst first, Enter
# opens the evidence, the status bar marks them like faults, the dashboard's bottom line
# names the worst, and a snapshot carries them.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-health-$$"
SIM_PID=
cleanup() { $T kill-server 2>/dev/null; kill $SIM_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
pass=0 fails=0
check() { if [ "$2" = 0 ]; then pass=$((pass + 1)); else echo "FAIL: $1"; $T capture-pane -p -t mon 2>/dev/null | sed 's/^/    | /'; fails=$((fails + 1)); fi; }
screen() { $T capture-pane -p -t mon; }
wait_for() {
    local deadline=$(( $(date +%s) + ${2:-20} ))
    while [ "$(date +%s)" -lt $deadline ]; do
        screen 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
"$RCTTOP" sim --listen 127.0.0.1:0 --riso 80000 --clock-offset -3600 > "$work/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 50); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim.out")
$T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --rate 20 --config /dev/null; sleep 60"
$T send-keys -t mon 9
wait_for "critical  insulation" 30 || wait_for "critical insulation" 5; check "Health shows the low insulation as critical" $?
wait_for "warning  device clock 1 h 00 min behind" 10; check "and the clock as a warning" $?
screen | sed -n 4p | grep -q "critical"; check "worst first" $?
screen | head -1 | grep -q "1 CRIT 1 WARN"; check "the status bar marks them" $?
$T send-keys -t mon Enter
wait_for "iso_struct.r_min" 5; check "Enter opens the evidence (r_min named)" $?
$T send-keys -t mon Escape 1
wait_for "no active faults;  1 critical, 1 warning: insulation" 10; check "the dashboard names the worst findings" $?
$T send-keys -t mon s
wait_for "snapshot:" 5; check "snapshot written" $?
grep -q '"id":"insulation","severity":"critical"' "$work"/rcttop-snapshot-*.json; check "the snapshot has the findings" $?
echo "$pass passed, $fails failed"
[ $fails = 0 ]
