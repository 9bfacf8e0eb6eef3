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
section_addr() { readelf -SW "$RCTTOP" | sed -n "s/.* $1 *PROGBITS *\([0-9a-f]*\) .*/\1/p"; }
cold=$(section_addr .text.rcttop_cold)
panes=$(section_addr .text.rcttop_panes)
[ -n "$cold" ] && [ -n "$panes" ]; check "the binary has its panes' and never-run code sections" $?
[ -n "$cold" ] && [ $((0x$cold % 0x10000)) = 0 ]; check "the never-run code starts on a 64 kB boundary (0x$cold)" $?
aligns=$(readelf -lW "$RCTTOP" | awk '$1 == "LOAD" { print $NF }' | sort -u)
[ "$aligns" = 0x10000 ]; check "every loaded segment is aligned to 64 kB ($aligns)" $?
# Which section a function's code is in: nm gives its address; readelf the sections' ranges.
section_of() {
    local addr
    addr=$(nm "$RCTTOP" | awk -v f="$1" '$3 == f && ($2 == "T" || $2 == "t") { print $1; exit }')
    [ -n "$addr" ] || { echo "none"; return; }
    readelf -SW "$RCTTOP" | python3 -c '
import re, sys
addr = int(sys.argv[1], 16)
for line in sys.stdin:
    m = re.match(r"\s*\[\s*\d+\]\s+(\.text\S*)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
    if m and int(m.group(2), 16) <= addr < int(m.group(2), 16) + int(m.group(3), 16):
        print(m.group(1))
' "$addr"
}
for f in monitor_run session_new store_put rct_decoder_feed alert_engine_tick box_draw; do
    s=$(section_of "$f")
    [ "$s" = .text ]; check "$f lies with the code the monitor runs ($s)" $?
done
for f in sim_new cmd_check cmd_decode replay_load capture_read hook_runner_new snapshot_write; do
    s=$(section_of "$f")
    [ "$s" = .text.rcttop_cold ]; check "$f lies with the code the monitor never runs ($s)" $?
done

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
    $PAGES "$pid" "$RCTTOP" .text.rcttop_cold | awk '{ print $4 " of " $5 }'
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
