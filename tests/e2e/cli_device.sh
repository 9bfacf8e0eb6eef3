#!/usr/bin/env bash
# End to end against `rcttop sim` with every quirk on: get, dump, faults, events and
# history give exactly the simulator's values (or report them missing, never wrong);
# a dead address fails fast; every byte sent is a READ or a history query.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT

SIMOPTS="--seed 7 --start 2026-06-21T12:00:00Z --speed 0"
start_sim "$work" $SIMOPTS --quirks all --disconnect-every 3 --fault 16 \
    --fault 99 --record "$work/wire.bin" --duration 170
[ -n "$PORT" ]; check "simulator printed its port" $?
D="--host 127.0.0.1:$PORT --rate 300 --timeout 0.4"
"$RCTTOP" sim --print-values $SIMOPTS > "$work/truth.txt"

# Canonical values from CSV output: "name value" lines, comparable with --print-values.
# RFC 4180 fields (quotes, doubled quotes, commas inside) in plain awk (mawk has no FPAT).
csv_values() {
    tail -n +2 "$1" | awk '{
        n = 0; f = ""; q = 0
        for (i = 1; i <= length($0); i++) {
            c = substr($0, i, 1)
            if (q) {
                if (c == "\"" && substr($0, i + 1, 1) == "\"") { f = f c; i++ }
                else if (c == "\"") q = 0
                else f = f c
            } else if (c == "\"") q = 1
            else if (c == ",") { field[++n] = f; f = "" }
            else f = f c
        }
        field[++n] = f
        if (field[3] != "") print field[2], field[3]
    }' | sort
}

# get: several OIDs, in the given order, exactly the model's values.
"$RCTTOP" get battery.soc g_sync.p_acc_lp inverter_sn prim_sm.state 0x400F015B $D --format csv > "$work/get.csv"
status=$?
[ $status = 0 ] || [ $status = 1 ]; check "get ran (status $status)" $?
[ "$(tail -n +2 "$work/get.csv" | cut -d, -f2 | tr '\n' ' ')" = "battery.soc g_sync.p_acc_lp inverter_sn prim_sm.state g_sync.p_acc_lp " ]
check "get prints in the order given" $?
bad=$(csv_values "$work/get.csv" | sort -u | comm -23 - <(sort "$work/truth.txt"))
[ -z "$bad" ]; check "get values equal the simulator's: $bad" $?
"$RCTTOP" get battery.soc $D --format json | grep -q '"name":"battery.soc","value":0\.[0-9]*,"unit":null,"age_ms":[0-9]*'
check "get json: a fraction without a unit, and age_ms" $?
"$RCTTOP" get no.such.oid $D >/dev/null 2>&1; [ $? = 2 ]; check "unknown name exits 2" $?

# dump: a whole group; every value it prints is the model's, the rest is listed missing.
"$RCTTOP" dump --group battery $D --format csv > "$work/dump.csv" 2> "$work/dump.err"
[ $? = 0 ]; check "dump ran" $?
rows=$(tail -n +2 "$work/dump.csv" | wc -l)
[ "$rows" -gt 150 ]; check "dump printed the battery group ($rows rows)" $?
bad=$(csv_values "$work/dump.csv" | grep -v '\.cells\(_stat\|_resist\)\?\[' | comm -23 - <(sort "$work/truth.txt"))
[ -z "$bad" ]; ok=$?; check "dump values equal the simulator's: $(echo "$bad" | head -3)" $ok
# A module's composites: CSV has them in words (cells 1..24), the simulator in the
# protocol's compact form (c0..c23); the same millivolts in the same order.
grep '^battery\.cells\[0\] ' "$work/truth.txt" | grep -o '/[0-9]*mV' | tr -d '/mV' > "$work/mv.truth"
csv_values "$work/dump.csv" | grep '^battery\.cells\[0\] ' | grep -o 'cell [0-9]* [0-9.]* V' |
    awk '{ printf "%d\n", $3 * 1000 + 0.5 }' > "$work/mv.dump"
[ -s "$work/mv.truth" ] && cmp -s "$work/mv.truth" "$work/mv.dump"
check "dump's cells of module 0 are the simulator's, all 24 ($(wc -l < "$work/mv.dump"))" $?
answered=$(csv_values "$work/dump.csv" | wc -l)
[ "$answered" -gt $((rows * 9 / 10)) ]; check "most of the group answered ($answered of $rows)" $?
grep -Eq 'never answered|not supported by this device|all [0-9]+ OIDs answered' "$work/dump.err"; check "dump says what never answered" $?

# faults: the two set bits, exit status 1.
"$RCTTOP" faults $D > "$work/faults.txt"; status=$?
[ $status = 1 ]; check "faults exits 1 with active faults (got $status)" $?
grep -Eq '^ *16 +fault\[0\] bit 16 +Battery overcurrent' "$work/faults.txt"; check "fault 16 labelled" $?
grep -Eq '^ *99 +fault\[3\] bit 3\b' "$work/faults.txt"; check "fault 99 in word 3" $?
"$RCTTOP" faults $D --format json | grep -q '{"bit":16,"word":0,"bit_in_word":16,"label":"Battery overcurrent"}'
check "faults json" $?

# events: newest first, decoded; parameter changes name their OID.
"$RCTTOP" events $D --since 2026-05-01 --format json > "$work/events.json"
[ $? = 0 ]; check "events ran" $?
grep -q '"name":"PRM_CHANGE".*"oid_name":"' "$work/events.json"; check "PRM_CHANGE decoded" $?
ts=$(sed -n 's/.*"ts":\([0-9]*\).*/\1/p' "$work/events.json")
[ "$ts" = "$(echo "$ts" | sort -rn)" ] && [ -n "$ts" ]; check "events newest first" $?
"$RCTTOP" events $D --since 2026-06-10 --until 2026-06-20 --format json | \
    awk -F'"ts":' '{split($2,a,","); if (a[1] < 1781049600 || a[1] > 1781913600) bad=1} END {exit bad}'
check "events stay inside --since/--until" $?

# history: one day of 5-minute points, oldest first, no duplicates.
"$RCTTOP" history logger.minutes_soc_log_ts $D --since 2026-06-20T12:00:00Z --until 2026-06-21T11:59:59Z --format csv > "$work/hist.csv" 2>/dev/null
[ $? = 0 ]; check "history ran" $?
n=$(tail -n +2 "$work/hist.csv" | wc -l)
[ "$n" = 288 ]; check "288 points in a day (got $n)" $?
tail -n +2 "$work/hist.csv" | cut -d, -f1 | sort -c -n -u 2>/dev/null; check "ascending, no duplicates" $?
"$RCTTOP" history battery.soc $D >/dev/null 2>&1; [ $? = 2 ]; check "a non-series is refused" $?

# A dead address fails fast with one line and status 2.
start=$(date +%s%N)
err=$("$RCTTOP" get battery.soc --host 127.0.0.1:1 --timeout 1 2>&1 >/dev/null); status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ $status = 2 ]; check "dead host exits 2" $?
[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q 'cannot reach 127.0.0.1:1'; check "one clear line: $err" $?
[ $elapsed -lt 3000 ]; check "within the timeout ($elapsed ms)" $?

# Ctrl-C stops a long dump cleanly.
"$RCTTOP" dump --host 127.0.0.1:$PORT --rate 2 > /dev/null 2>&1 &
DPID=$!
sleep 1; kill -INT $DPID; wait $DPID; status=$?
[ $status = 130 ]; check "Ctrl-C ends dump with 130 (got $status)" $?

# The wire: only READs and history queries (WRITE of 4 bytes to a logger OID) were sent.
"$RCTTOP" decode --binary --format json "$work/wire.bin" > "$work/wire.json"
[ -s "$work/wire.json" ]; check "recorded the client's bytes" $?
others=$(grep -v '"command":"READ"' "$work/wire.json" | grep -v '"command":"WRITE","oid":"0x[0-9A-F]*","name":"logger\.[a-z_]*","address":null,"payload":"[0-9a-f]\{8\}"' | head -3)
[ -z "$others" ]; check "nothing but reads and history queries on the wire: $others" $?
! grep -q FORBIDDEN "$work/sim.err"; check "simulator saw no forbidden frame" $?

finish
