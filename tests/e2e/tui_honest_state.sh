#!/usr/bin/env bash
# Honest state: the device killed under a running monitor turns it "offline since ..."
# within 15 s, with the fault state unknown and never "no active faults"; a device that
# accepts TCP but never answers is never "online", in the monitor or in line mode (get
# and faults exit 2 with one line naming host:port); Ctrl-C in dump prints only what
# was read.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-honest-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }

# --- the device goes away under the monitor ----------------------------------------
start_sim "$work" --seed 3
$T new-session -d -s mon -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 60"
wait_for "no active faults" 20; check "a healthy device shows no active faults" $?
wait_for " online " 20; check "online after answers" $?
stop_sim
killed=$(date +%s)
wait_for "offline since" 15; check "offline within 15 s of the kill" $?
wait_for "fault state unknown" 15; check "the fault line says the fault state is unknown" $?
elapsed=$(( $(date +%s) - killed ))
[ $elapsed -le 15 ]; check "both within 15 s (took $elapsed s)" $?
! screen | grep -q "no active faults"; check "no 'no active faults' anywhere" $?
$T send-keys -t mon 3
wait_for "Fault state unknown" 20; check "the faults pane says unknown too" $?
! screen | grep -q "no active faults"; check "nor on the faults pane" $?
# Dimmed: the Today line and the values are drawn in the stale role (A_DIM on this theme).
open_pane 1
today_dim() { $T capture-pane -p -e -t mon | grep "Today" | grep -q $'\e\[[0-9;]*2[;m]'; }
retry 20 today_dim; check "the Today line is dimmed" $?
$T kill-server 2>/dev/null

# --- connected, never answered ------------------------------------------------------
start_sim "$work" --night --start 2026-11-26T01:00:00Z --speed 0
$T new-session -d -s mon -x 100 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 60"
wait_for "no answer yet" 20; check "a silent device is 'connected, no answer yet'" $?
seen_online=1
for _ in $(seq 40); do screen | head -1 | grep -q " online " && seen_online=0; sleep 0.25; done
[ $seen_online = 1 ]; check "never shown online in 10 s" $?
$T kill-server 2>/dev/null
start=$(date +%s)
"$RCTTOP" get battery.soc --host 127.0.0.1:$PORT > "$work/get.out" 2> "$work/get.err"
status=$?
took=$(( $(date +%s) - start ))
[ $status = 2 ]; check "get against a silent device exits 2 (got $status)" $?
[ $took -le 12 ]; check "within the attempts for one request (took $took s)" $?
[ "$(wc -l < "$work/get.err")" = 1 ] && grep -q "127.0.0.1:$PORT" "$work/get.err"
ok=$?; check "one line on stderr naming host:port: $(cat "$work/get.err")" $ok
start=$(date +%s)
"$RCTTOP" faults --host 127.0.0.1:$PORT --timeout 1 --retries 1 > /dev/null 2> "$work/faults.err"
status=$?
took=$(( $(date +%s) - start ))
[ $status = 2 ] && [ $took -le 6 ]; check "faults exits 2 after one request's attempts (got $status in $took s)" $?
stop_sim

# --- resolver and refused connections -----------------------------------------------
"$RCTTOP" get battery.soc --host no-such-host.invalid > /dev/null 2> "$work/dns.err"
status=$?
[ $status = 2 ] && grep -q "no-such-host.invalid:8899" "$work/dns.err" && ! grep -q "No such file" "$work/dns.err"
ok=$?; check "an unknown host is named with the resolver's message: $(cat "$work/dns.err")" $ok

# --- Ctrl-C in dump prints only what was read ---------------------------------------
start_sim "$work" --latency 50
"$RCTTOP" dump --host 127.0.0.1:$PORT > "$work/dump.out" 2> "$work/dump.err" &
DUMP=$!
sleep 2
kill -INT $DUMP
wait $DUMP
status=$?
[ $status = 130 ]; check "Ctrl-C: exit 130 (got $status)" $?
rows=$(wc -l < "$work/dump.out")
[ "$rows" -lt 100 ]; check "only what was read is printed ($rows rows)" $?
! grep -q "no answer" "$work/dump.out"; check "no rows for OIDs never asked" $?
[ "$(wc -l < "$work/dump.err")" = 1 ] && grep -q "interrupted" "$work/dump.err"
ok=$?; check "one summary line on stderr: $(cat "$work/dump.err")" $ok

# --- history follows the device's clock, not the host's --------------------------
start_sim "$work" --start 2026-06-21T12:00:00Z --clock-offset -3600
$T new-session -d -s mon -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color TZ=UTC $RCTTOP --host 127.0.0.1:$PORT --rate 50 --config /dev/null; sleep 60"
wait_for "Power flow" 20
open_pane 5
wait_for "5-minute data of Sun 2026-06-21 (today)" 30; check "History opens on the device's day" $?
wait_for "device clock" 20; check "the device clock's offset from the host is shown" $?
$T send-keys -t mon g 2 0 2 6 - 0 6 - 1 0 Enter
wait_for "5-minute data of Wed 2026-06-10" 20; check "g jumps to a typed date" $?
$T send-keys -t mon T
wait_for "(today)" 20; check "T returns to the device's today" $?
$T send-keys -t mon y
wait_for "Energy per month, 2026 (so far)" 20; check "the year view covers the running year" $?
$T kill-server 2>/dev/null
TZ=UTC "$RCTTOP" history logger.minutes_soc_log_ts --host 127.0.0.1:$PORT --rate 200 > "$work/h.txt" 2> "$work/h.err"
tail -1 "$work/h.txt" | grep -q "^2026-06-21 1[01]:"; ok=$?; check "history's default range ends at the device's now: $(tail -1 "$work/h.txt")" $ok
grep -q "device clock is .* behind" "$work/h.err"; check "history says the device clock is off" $?
TZ=UTC "$RCTTOP" history logger.year_ea_log_ts --since 2020-01-01 --host 127.0.0.1:$PORT --rate 200 > "$work/y.txt" 2>/dev/null
[ -s "$work/y.txt" ]; check "a long range returns the years the device logged" $?

finish
