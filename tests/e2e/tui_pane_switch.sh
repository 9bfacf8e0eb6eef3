#!/usr/bin/env bash
# Regression: switching between Events (4) and History (5) while either is loading from
# the device crashed the monitor (both panes took the other's history pages). The exact
# key sequence, in the demo and against `rcttop sim` over TCP; then both panes must show
# their own kind of data.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-switch-$$-demo"
source "$(dirname "$0")/lib.bash"
cleanup() { tmux -L rcttop-switch-$$-demo kill-server 2>/dev/null; tmux -L rcttop-switch-$$-tcp kill-server 2>/dev/null; kill $SIM_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
check_details() { print_pane; cat "$work"/err.* 2>/dev/null | head -20; }
wait_for() {  # wait_for PATTERN [SECONDS]: PATTERN is a regular expression (not lib.bash's wait_for)
    local deadline=$(( $(date +%s) + ${2:-20} ))
    while [ "$(date +%s)" -lt $deadline ]; do
        $T capture-pane -p -t mon 2>/dev/null | grep -q -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
alive() { [ ! -e "$work/exit.$1" ]; }

run() {  # run NAME ARGS...
    local name=$1
    shift
    T="tmux -L rcttop-switch-$$-$name"
    $T new-session -d -s mon -x 80 -y 24 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color \
        ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        $RCTTOP $* --config /dev/null 2> $work/err.$name; echo \$? > $work/exit.$name; sleep 60"
    wait_for "Power flow" 30; check "$name: dashboard opens" $?
    for _ in 1 2 3; do
        $T send-keys -t mon 5; sleep 0.8
        $T send-keys -t mon 4; sleep 0.8
    done
    # The stimulus is the timing itself: switches while a walk is loading.
    $T send-keys -t mon 5; sleep 0.3
    alive "$name"; check "$name: alive after 5 4 5 4 5 4 5" $?
    wait_for "SOC .*max [0-9]* %" 30; check "$name: History loads its series" $?
    retry 10 wait_for "kWh" 1; check "$name: History shows energies" $?
    $T send-keys -t mon 4
    wait_for "Event log (" 30; check "$name: Events pane" $?
    wait_for " 20[0-9][0-9]-" 30; check "$name: Events shows dated rows" $?
    $T send-keys -t mon 5 4 5 4 5 4 End End 5 4
    sleep 1
    alive "$name"; check "$name: alive after a burst of switches" $?
    $T send-keys -t mon q
    retry 20 [ -e "$work/exit.$name" ]
    [ "$(cat "$work/exit.$name" 2>/dev/null)" = 0 ]; check "$name: q exits 0" $?
    ! grep -q "runtime error\|AddressSanitizer" "$work/err.$name"; check "$name: no sanitizer report" $?
}

run demo --demo
start_sim "$work" --latency 100 --jitter 50
run tcp --host 127.0.0.1:$PORT

finish
