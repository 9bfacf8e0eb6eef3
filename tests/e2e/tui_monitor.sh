#!/usr/bin/env bash
# The monitor under tmux, as a person uses it: the demo dashboard with live values, the
# values browser (search, RO settings, detail), faults from a simulator with a fault
# set, the link pane, help, resize down to "too small", TERM=dumb refused, q restoring
# the shell; and the whole session's bytes on the wire are reads and history queries.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
SOCK="rcttop-test-$$"
T="tmux -L $SOCK"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane "${3:-mon}"; }  # check NAME STATUS [SESSION]

# --- the demo -------------------------------------------------------------------
$T new-session -d -s mon -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --demo --config /dev/null; echo EXIT=\$?; sleep 60"
wait_for_pane mon "Power flow"; check "demo dashboard opens" $?
wait_for_pane mon "PS 6.0 BA3L"; check "identity read from the simulator" $?
wait_for_pane mon "Inverter"; check "power flow drawn" $?
retry 10 pane_has "DEMO" mon; check "DEMO badge" $?
wait_for_pane mon " W " 20; check "watts shown" $?
retry 10 pane_has "no active faults\|FAULT" mon; check "fault line" $?

$T send-keys -t mon 2
wait_for_pane mon "kind: all"; check "values pane" $?
$T send-keys -t mon / s o c _ m i n
wait_for_pane mon "power_mng.soc_min "; check "search finds power_mng.soc_min" $?
retry 10 pane_has " RO power_mng.soc_min" mon; check "a setting shows RO" $?
$T send-keys -t mon Enter Down Down Enter
wait_for_pane mon "rcttop never writes"; check "detail of a setting says why it is read-only" $?
$T send-keys -t mon Escape Escape
$T send-keys -t mon k k
wait_for_pane mon "kind: setting"; check "kind filter" $?
$T send-keys -t mon Escape

$T send-keys -t mon 8
wait_for_pane mon "CRC "; check "link pane counters" $?
wait_for_pane mon "READ"; check "link log shows frames" $?
$T send-keys -t mon f
wait_for_pane mon "FROZEN"; check "f freezes the log" $?

$T send-keys -t mon 1 Tab
wait_for_pane mon "kind: all" 30; check "Tab goes to the next pane" $?
$T send-keys -t mon BTab
wait_for_pane mon "Power flow" 30; check "Shift-Tab goes back" $?
$T send-keys -t mon p
wait_for_pane mon "PAUSED" 30; check "p pauses with a visible mark" $?
$T send-keys -t mon p
not_paused() { ! pane_has "PAUSED" mon; }
retry 10 not_paused; check "p again resumes" $?
$T send-keys -t mon t
wait_for_pane mon "theme:" 30; check "t cycles themes and says which" $?
$T send-keys -t mon C-l
wait_for_pane mon "Power flow" 30; check "Ctrl-L repaints" $?
$T send-keys -t mon '?'
wait_for_pane mon "Keys:"; check "help overlay" $?
$T send-keys -t mon x
$T send-keys -t mon 1
$T resize-window -t mon -x 120 -y 30
wait_for_pane mon "House L1"; check "wider terminal shows per-phase powers" $?
$T resize-window -t mon -x 40 -y 12
retry 10 pane_has "Power flow" mon; check "40x12 still draws" $?
$T resize-window -t mon -x 20 -y 5
wait_for_pane mon "too small" 30; check "20x5 says too small" $?
$T resize-window -t mon -x 80 -y 24
wait_for_pane mon "Power flow" 30; check "back to 80x24" $?
$T send-keys -t mon q
wait_for_pane mon "EXIT=0" 30; check "q quits with status 0" $?

# --- a terminal that cannot be driven ---------------------------------------------
out=$(TERM=dumb "$RCTTOP" --demo </dev/null 2>&1); status=$?
[ $status = 2 ]; check "non-terminal/dumb refused with status 2" $?
echo "$out" | grep -q "line-mode"; check "and points to the line-mode commands" $?
$T new-session -d -s dumb -x 80 -y 24 "env TERM=dumb $RCTTOP --demo --config /dev/null; echo EXIT=\$?; sleep 30"
wait_for_pane dumb "EXIT=2" 30; check "TERM=dumb exits 2" $? dumb
screen dumb | grep -q "cannot move the cursor"; check "TERM=dumb explained" $? dumb

# --- against rcttop sim with a fault and quirks; record the wire ---------------------
start_sim "$work" --fault 16 --quirks all --record "$work/wire.bin"
$T new-session -d -s dev -x 100 -y 30 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --rate 20 --config /dev/null; echo EXIT=\$?; sleep 60"
wait_for_pane dev "1 FAULT" 25 dev; check "status bar shows the active fault" $? dev
wait_for_pane dev "ACTIVE FAULT: Battery overcurrent" 30 dev; check "dashboard fault banner" $? dev
open_pane 3 dev
wait_for_pane dev "Battery overcurrent" 30 dev; check "faults pane lists it" $? dev
retry 10 pane_has "Active now (1)" dev; check "one active" $? dev
open_pane 4 dev
wait_for_pane dev "Event log (" 30 dev; check "events pane" $? dev
wait_for_pane dev "PRM_CHANGE" 20 dev; check "events decoded (PRM_CHANGE)" $? dev
count() { screen dev | sed -n 's/.*Event log (\([0-9]*\)).*/\1/p' | head -1; }
before=$(count)
$T send-keys -t dev End
for _ in $(seq 150); do [ "$(count)" -gt "${before:-0}" ] 2>/dev/null && break; sleep 0.2; done
[ "$(count)" -gt "${before:-0}" ]; ok=$?; check "End loads older events ($before -> $(count))" $ok dev
open_pane 6 dev
wait_for_pane dev "Module 1" 30 dev; check "battery pane" $? dev
wait_for_pane dev "spread" 20 dev; check "cell voltages with spread" $? dev
open_pane 7 dev
wait_for_pane dev "Identity and firmware" 30 dev; check "device pane" $? dev
wait_for_pane dev "android_description" 30 dev; check "identity listed" $? dev
open_pane 5 dev
wait_for_pane dev "5-minute data of" 30 dev; check "history pane" $? dev
loaded=1
for _ in $(seq 200); do screen dev | grep -q "SOC .*max [0-9]* %" && ! screen dev | grep -q "loading " && { loaded=0; break; }; sleep 0.2; done
check "history loaded through the pager" $loaded dev
retry 10 pane_has "12:00" dev; check "time axis" $? dev
today=$(screen dev | sed -n 's/.*5-minute data of \([A-Za-z]* [0-9-]*\).*/\1/p' | head -1)
$T send-keys -t dev Left
day_changed() {
    yesterday=$(screen dev | sed -n 's/.*5-minute data of \([A-Za-z]* [0-9-]*\).*/\1/p' | head -1)
    [ -n "$today" ] && [ -n "$yesterday" ] && [ "$today" != "$yesterday" ]
}
retry 20 day_changed; ok=$?
check "Left goes to the previous day ($today -> $yesterday)" $ok dev
$T send-keys -t dev T
wait_for_pane dev "(today)" 30 dev; check "T comes back to the device's today" $? dev
$T send-keys -t dev m
wait_for_pane dev "Energy per day," 30 dev; check "month view" $? dev
$T send-keys -t dev s
wait_for_pane dev "snapshot:" 30 dev; check "s writes a snapshot and says where" $? dev
snap=$(screen dev | sed -n 's/.*snapshot: \([^ ]*\.txt\).*/\1/p' | head -1)
[ -n "$snap" ] && [ -s "$snap" ] && [ -s "${snap%.txt}.json" ]; check "snapshot files exist ($snap)" $? dev
grep -q "Battery overcurrent" "$snap" 2>/dev/null; check "snapshot has the active fault" $? dev
"$RCTTOP" decode "${snap%.txt}.rctrec" 2>/dev/null | grep -Eq "device -> client +RESPONSE"
check "beside it, the last minutes of traffic as a recording" $? dev
rm -f "$snap" "${snap%.txt}.json" "${snap%.txt}.rctrec"
open_pane 2 dev && wait_for_pane dev "kind: all" 30  # the values pane's reads go on the wire too
$T send-keys -t dev q
wait_for_pane dev "EXIT=0" 30 dev; check "quit from a device session" $? dev
stop_sim
"$RCTTOP" decode --binary --format json "$work/wire.bin" > "$work/wire.json"
[ -s "$work/wire.json" ]; check "the TUI's bytes were recorded" $?
others=$(grep -v '"command":"READ"' "$work/wire.json" | grep -v '"command":"WRITE","oid":"0x[0-9A-F]*","name":"logger\.' | head -3)
[ -z "$others" ]; check "the TUI sent only reads and history queries: $others" $?
! grep -q FORBIDDEN "$work/sim.err"; check "the simulator saw no forbidden frame" $?

finish
