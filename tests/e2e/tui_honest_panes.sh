#!/usr/bin/env bash
# Honest state on every pane: no verdict before its inputs are read (no early WARN); a
# snapshot taken at once says "not read yet", never "did not answer"; with the device
# killed the Battery and Health panes say they are not current, CRIT/WARN get a '?',
# stale values are underlined where the terminal has no dim (vt220), r reconnects at
# once; the Link pane calls a history page a history query (and only rcttop's own); keys typed right after
# Ctrl-Z and fg are kept.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-panes-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }
ENV="env LANG=C.UTF-8 TERM=xterm-256color"

# --- the first seconds: no verdict before its inputs, a snapshot says "not read yet" ---
start_sim "$work" --seed 2 --latency 30
$T new-session -d -s mon -x 100 -y 30 "cd $work && $ENV $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 90"
$T send-keys -t mon 6
wait_for " online " 20
$T send-keys -t mon s
wait_for "snapshot:" 20; check "a snapshot at once" $?
snap=$(ls "$work"/rcttop-snapshot-*.txt 2>/dev/null | head -1)
grep -q "waiting for the first reading" "$snap"; check "it says what is not read yet" $?
! grep -q "did not answer" "$snap"; check "and never 'did not answer' for it" $?
early_warn=0
for _ in $(seq 40); do
    screen | head -1 | grep -q "WARN\|CRIT" && early_warn=1
    sleep 0.25
done
[ $early_warn = 0 ]; check "no WARN or CRIT in the first 10 s on a healthy site" $?
$T send-keys -t mon 9
wait_for_re "ok +2 battery modules, all with a serial" 40; check "the module count once every slot is read" $?

# --- the Link pane: a history page is a history query ----------------------------------
$T send-keys -t mon 5
$T send-keys -t mon 8
wait_for "history query" 30; check "the Link pane names history queries" $?
! screen | grep -q "WRITE"; check "and never WRITE" $?
$T kill-server 2>/dev/null

# --- ...but a WRITE rcttop did not send (the device's net.package) is not one of ours ---
start_sim "$work" --seed 3 --unsolicited 0.3
$T new-session -d -s mon -x 100 -y 30 "cd $work && $ENV $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 90"
$T send-keys -t mon 8
retry 30 pane_has "WRITE  *net.package .*unsolicited"; check "the device's WRITE is named WRITE, unsolicited" $?
! screen | grep -q "history query.*unsolicited"; check "and is not called a history query" $?
$T kill-server 2>/dev/null

# --- the device killed: Battery and Health not current, WARN?, underline on vt220 ------
start_sim "$work" --seed 2 --clock-offset -3600
$T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=vt220 $RCTTOP --host 127.0.0.1:$PORT --rate 20 --timeout 1 --config /dev/null; sleep 90"
$T send-keys -t mon 9
wait_for "device clock 1 h 00 min behind" 40; check "the clock warning is there while online" $?
$T send-keys -t mon 6
retry 30 pane_has "SOH [0-9].* [0-9]* cycles"; check "the Battery pane is read" $?
retry 30 pane_has "spread"
stop_sim
wait_for "not current" 20; check "the Battery pane says it is not current" $?
# The clock's warning, and on a busy machine perhaps the link's (slow answers): each
# count of warnings the bar shows is marked as not current.
retry 20 pane_has "[0-9] WARN?"; check "the status bar's WARN gets a '?'" $?
! screen | head -1 | grep -q "WARN \|CRIT "; check "and no WARN or CRIT without one" $?
underlined() { $T capture-pane -p -e -t mon | grep -E "Battery +SOH " | grep -q $'\e\[[0-9;]*4[;m]'; }
retry 20 underlined; check "stale is underlined on vt220, which has no dim" $?
$T send-keys -t mon 9
wait_for "NOT CURRENT" 20; check "the Health pane says NOT CURRENT at the top" $?
wait_for "warning?" 10; check "and its warning carries a '?'" $?
wait_for "offline since" 20; check "offline" $?
# The device comes back on the same address; r connects now instead of after the backoff.
# The backoff grows (1, 2, 4, 8 s): the device is brought back during a wait of 5 s or more,
# and r pressed while the bar still counts down, so the monitor has not tried by itself. A
# machine too busy for that (the monitor back by itself first) plays the round again.
# On the Link pane r is said twice: on the message line (which an alert resolving as the
# device answers may soon take over) and in the log.
$T send-keys -t mon 8
bar_counts_down() { screen | head -1 | grep -q "offline since.*retry in \($1\)s"; }
r_reconnects() {  # 0 once r is pressed with the device back and the monitor still waiting
    retry 40 bar_counts_down "[5-9]\|10" || return 1
    : > "$work/sim2.out"  # a round played again must not read the last round's line
    "$RCTTOP" sim --listen 127.0.0.1:$PORT --seed 2 > "$work/sim2.out" 2>&1 &
    SIM_PID=$!
    if retry 30 grep -q listening "$work/sim2.out" && bar_counts_down "[2-9]\|10"; then
        $T send-keys -t mon r
        return 0
    fi
    stop_sim
    return 1
}
for _ in 1 2 3; do r_reconnects && break; done
wait_for "reconnecting now" 10; check "r says it reconnects now" $?
wait_for " online " 10; check "and is online again at once" $?
$T kill-server 2>/dev/null

# --- Ctrl-Z, fg and a key typed at once ---------------------------------------------------
start_sim "$work" --seed 2
$T new-session -d -s sh -x 80 -y 24 "bash --norc --noprofile"
$T send-keys -t sh "cd $work && $ENV $RCTTOP --host 127.0.0.1:$PORT --config /dev/null" Enter
wait_for_pane sh " online " 20
$T send-keys -t sh C-z
wait_for_pane sh "Stopped" 10; check "Ctrl-Z stops the monitor" $?
$T send-keys -t sh "fg" Enter 9
retry 20 tab_is 9 sh; check "the key typed right after fg is kept" $?
$T send-keys -t sh q
finish
