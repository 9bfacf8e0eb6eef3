#!/usr/bin/env bash
# Alerts in the monitor against a simulator that raises fault 16, clears it, then raises
# fault 13: the status bar marks what fires, the Health pane lists the alerts, a hook that
# sleeps forever is killed at its timeout (said in the Link pane's log) while the monitor
# keeps drawing, and the bell rings once per alert into warning or critical (counted in the
# raw terminal output: fault 16 firing, fault 13 firing; never for a resolve).
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-alerts-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }
cat > "$work/alerts.ini" <<'EOF'
[alerts]
hold = 2
hook_timeout = 3
bell = yes
EOF
start_sim "$work" --at 4:fault=16 --at 16:clear=16 --at 26:fault=13
$T new-session -d -s mon -x 110 -y 32 "cd $work && env LANG=C.UTF-8 TERM=screen $RCTTOP --host 127.0.0.1:$PORT --rate 20 --config $work/alerts.ini --on-alert 'sleep 1000'; sleep 60"
$T pipe-pane -o -t mon "cat >> $work/raw"

wait_for "1 ALERT" 30; check "the status bar marks the alert that fires" $?
clock_now() { screen | head -1 | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' | tail -1; }
first=$(clock_now)
clock_moved() { [ "$(clock_now)" != "$first" ]; }
retry 3 clock_moved; check "the monitor keeps drawing while the hook runs ($first, then $(clock_now))" $?
open_pane 8
wait_for "alert hook for fault.16 (firing): killed after 3 s" 20; check "the hook is killed at its timeout, in the Link pane's log" $?
open_pane 9
wait_for_re "resolved +critical +fault 16: Battery overcurrent \(battery\) \(resolved after" 30; check "the Health pane lists the resolved alert" $?
wait_for_re "firing +warning +fault 13:" 30; check "and the next one firing" $?
bells() { tr -cd '\007' < "$work/raw" | wc -c; }
two_bells() { [ "$(bells)" -ge 2 ]; }
retry 10 two_bells
[ "$(bells)" = 2 ]; check "the bell rang once per alert into warning or critical ($(bells) for 2)" $?
finish
