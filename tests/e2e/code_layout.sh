#!/usr/bin/env bash
# Where the program's code lies (CMakeLists.txt, the layout script): what the monitor runs
# all the time first, the panes other than the dashboard next, and on a 64 kB boundary the
# code the monitor never runs (other commands, the simulator, capture and replay readers,
# the alert hook). The kernel maps the 64 kB around each page of code run, so the never-run
# code stays out of memory only if nothing in it runs. Checked in the binary (which code
# lies where, the alignment), then live: the monitor against `rcttop sim`, on its dashboard
# and after every pane was opened, has not one page of that code resident.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-layout-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }
PAGES="python3 $(dirname "$0")/code_pages.py"

# ---- in the binary ----------------------------------------------------------
section_addr() { $PAGES sections "$RCTTOP" "$1" 2>/dev/null | awk '{ print $2 }'; }
cold=$(section_addr .text.rcttop_cold)
panes=$(section_addr .text.rcttop_panes)
[ -n "$cold" ] && [ -n "$panes" ]; check "the binary has its panes' and never-run code sections" $?
[ -n "$cold" ] && [ $((cold % 0x10000)) = 0 ]; check "the never-run code starts on a 64 kB boundary ($cold)" $?
aligns=$(readelf -lW "$RCTTOP" | awk '$1 == "LOAD" { print $NF }' | sort -u)
[ "$aligns" = 0x10000 ]; check "every loaded segment is aligned to 64 kB ($aligns)" $?
# Each function and the section its code is in, one "FUNCTION SECTION" line each.
lies_in() {  # lies_in SECTION FUNCTION...: checks each FUNCTION is in SECTION
    local want=$1 f s n=0
    shift
    while read -r f s; do
        [ "$s" = "$want" ]; check "$f lies in $want ($s)" $?
        n=$((n + 1))
    done < <($PAGES where "$RCTTOP" "$@")
    [ "$n" = $# ]; check "code_pages.py placed all $# functions ($n)" $?
}
lies_in .text monitor_run session_new store_put rct_decoder_feed alert_engine_tick box_draw
lies_in .text.rcttop_cold sim_new cmd_check cmd_decode replay_load capture_read hook_runner_new snapshot_write

# ---- live ---------------------------------------------------------------------
# A sanitizer build runs a constructor in every object file at start (registering its
# globals), never-run code included: its code layout is checked above, its pages are not.
if nm "$RCTTOP" | grep -q " __asan_init"; then
    echo "(a sanitizer build: the live check of resident pages is for the release build)"
    finish
    exit
fi
never_run_resident() {  # never_run_resident: pages of the never-run code resident now
    local pid
    pid=$(pgrep -f "^$RCTTOP --host 127.0.0.1:$PORT " | head -1)  # (other tests run monitors too)
    [ -n "$pid" ] || { echo "no monitor"; return; }
    $PAGES resident "$pid" "$RCTTOP" .text.rcttop_cold | awk '{ print $4 " of " $5 }'
}
start_sim "$work"; check "the simulator starts" $?
$T new-session -d -s mon -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 60"
wait_for "online" 30; check "the monitor goes online" $?
# A few seconds of ticks: the status bar's clock moves on three times.
clock() { screen | head -1 | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' | tail -1; }
for _ in 1 2 3; do
    now=$(clock)
    retry 20 eval '[ "$(clock)" != "$now" ]'
done
resident=$(never_run_resident)
case $resident in 0\ of\ *) r=0 ;; *) r=1 ;; esac
check "on the dashboard, no page of the never-run code is resident ($resident)" $r
for k in 2 3 4 5 6 7 8 9 1; do
    open_pane "$k"; check "pane $k opens" $?
done
$T send-keys -t mon '?'
wait_for "never writes" 10; check "the help overlay opens" $?
$T send-keys -t mon Escape
resident=$(never_run_resident)
case $resident in 0\ of\ *) r=0 ;; *) r=1 ;; esac
check "after every pane and the help, still no page of the never-run code ($resident)" $r
finish
