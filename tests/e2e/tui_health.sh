#!/usr/bin/env bash
# The Health pane against a simulator with problems: the findings worst first, Enter
# opens the evidence, the status bar marks them like faults, the dashboard's bottom line
# names the worst, and a snapshot carries them.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-health-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }
start_sim "$work" --riso 80000 --clock-offset -3600
$T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --rate 20 --config /dev/null; sleep 60"
$T send-keys -t mon 9
wait_for_re "critical +insulation" 30; check "Health shows the low insulation as critical" $?
wait_for_re "warning +device clock 1 h 00 min behind" 30; check "and the clock as a warning" $?
fourth_critical() { screen | sed -n 4p | grep -q "critical"; }
retry 10 fourth_critical; check "worst first" $?
retry 10 pane_has "1 CRIT 1 WARN"; check "the status bar marks them" $?
$T send-keys -t mon Enter
wait_for "iso_struct.r_min" 20; check "Enter opens the evidence (r_min named)" $?
$T send-keys -t mon Escape 1
wait_for_re "no active faults; +1 critical, 1 warning: insulation" 30; check "the dashboard names the worst findings" $?
$T send-keys -t mon s
wait_for "snapshot:" 20; check "snapshot written" $?
retry 10 grep -q '"id":"insulation","severity":"critical"' "$work"/rcttop-snapshot-*.json; check "the snapshot has the findings" $?
finish
