#!/usr/bin/env bash
# Listen-only: the monitor and `get --listen-only` connect and send nothing at all (the
# simulator counts every byte each client sends), and still show the values another
# client's requests bring, since the device copies every answer to every connection.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-listen-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; cat "$work/sim.err" 2>/dev/null | tail -5; }
start_sim "$work" --broadcast -v

# The monitor listens; another client polls the dashboard's values.
$T new-session -d -s mon -x 100 -y 30 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --listen-only --config /dev/null; sleep 60"
wait_for "LISTEN-ONLY" 20; check "the status bar says LISTEN-ONLY" $?
connections() { grep -c " connected$" "$work/sim.err" 2>/dev/null; }
more_connections() { [ "$(connections)" -gt "$1" ]; }
retry 20 more_connections 0; check "the listener connects" $?
listener=$(sed -n 's/^\[sim\] \(.*\) connected$/\1/p' "$work/sim.err" | head -1)
"$RCTTOP" get g_sync.p_ac_load_sum_lp battery.soc g_sync.p_acc_lp --host 127.0.0.1:$PORT > /dev/null 2>&1
for _ in 1 2 3; do
    "$RCTTOP" dump --group g_sync --host 127.0.0.1:$PORT --rate 100 > /dev/null 2>&1
done
wait_for " 7 %" 20 || wait_for "7.0 %" 5; check "the dashboard shows the SOC another client read" $?
screen | head -1 | grep -q "LISTEN-ONLY [1-9][0-9]* OIDs"; check "it counts the OIDs it heard" $?
$T send-keys -t mon 4
wait_for "listen-only: the event log is read by request" 20; check "Events says why it stays empty" $?
$T send-keys -t mon q
retry 20 grep -q "^\[sim\] $listener disconnected (0 bytes received from it)" "$work/sim.err"
check "the monitor sent not one byte ($listener)" $?

# get --listen-only --wait: prints what others' answers brought.
before=$(connections)
"$RCTTOP" get battery.soc battery.soh --host 127.0.0.1:$PORT --listen-only --wait 5 > "$work/get.out" 2>&1 &
GET=$!
retry 20 more_connections "$before"  # the listener is connected before the other client asks
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT > /dev/null 2>&1
wait $GET
status=$?
grep -q "^battery.soc .*%" "$work/get.out"; check "get --listen-only shows the value another client read" $?
grep -q "^battery.soh .*--" "$work/get.out"; check "and marks what nobody asked for" $?
[ $status = 1 ]; check "exit 1: some heard, some not (got $status)" $?
stop_sim
last=$(grep "disconnected" "$work/sim.err" | grep -c "(0 bytes received")
[ "$last" -ge 2 ]; check "both listeners sent nothing ($last connections with 0 bytes)" $?
"$RCTTOP" events --listen-only --host 127.0.0.1:1 > /dev/null 2>&1
[ $? = 2 ]; check "events refuses --listen-only" $?
finish
