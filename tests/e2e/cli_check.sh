#!/usr/bin/env bash
# `rcttop check` against the simulator in every condition it can be switched into: a
# healthy site checks OK (exit 0); each condition gives its finding and the exit status a
# monitoring system acts on, and what is normal (top balancing, cold, not measured yet,
# dawn, a single string) is never a warning; the combined case (an active fault, a cell
# 160 mV low, the clock an hour behind, insulation below r_min) is CRITICAL and names each
# in text and JSON; an unreachable device is UNKNOWN (3). The plugin contract is in
# cli_check_contract.sh.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
# The check keeps energy totals and a lock: in this test's own directories.
export XDG_STATE_HOME=$work/state XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR"
cases=0
check_details() { sed 's/^/    | /' "$work/out" 2>/dev/null | head -12; }

# case NAME EXPECTED_EXIT FINDING_ID [SIM OPTIONS...]
case_() {
    local name=$1 want=$2 id=$3
    shift 3
    start_sim "$work" --start 2026-06-21T12:00:00Z --clock-offset 0 "$@"
    # Each simulated site is another device with the same serial: its own kept totals.
    export XDG_STATE_HOME=$work/state/$((++cases))
    "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$work/out" 2> "$work/err"
    local status=$?
    [ $status = "$want" ]; check "$name: exit $want (got $status)" $?
    if [ -n "$id" ]; then
        grep -Eq "^(warning|critical) +$id" "$work/out"; check "$name: finding $id" $?
        "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --format json > "$work/json" 2>/dev/null
        grep -q "\"id\":\"$id[^\"]*\",\"rule\":\"[^\"]*\",\"severity\":\"\(warning\|critical\)\"" "$work/json"; check "$name: $id in JSON" $?
    fi
}

# The clock: the simulator runs at a fixed June noon, so --clock-offset is relative to
# the host's clock; the check compares with the host. Use the host's time for healthy runs.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
kill $SIM_PID 2>/dev/null
healthy() { case_ "$@" ; }
case_start() {  # like case_, at the host's time
    local name=$1 want=$2 id=$3
    shift 3
    case_ "$name" "$want" "$id" --start "$now" "$@"
}
case_start "healthy site" 0 ""
grep -q "^RCT OK - no problems found" "$work/out"; check "healthy: RCT OK first line" $?
grep -q "| 'soc'=.*'riso'=.*'clock_offset'=.*'rtt'=" "$work/out"; check "healthy: perfdata" $?
case_start "active fault" 2 "faults.bit16" --fault 16
case_start "grid fault is a warning" 1 "faults.bit13" --fault 13
case_start "cell 160 mV low on the flat" 2 "battery.cells.module1" --soc 50 --cell-low 1:160
case_start "cell 100 mV low on the flat" 1 "battery.cells.module0" --soc 50 --cell-low 0:100
case_start "120 mV at 97 % SOC is top balancing" 0 "" --soc 97 --cell-low 0:120
grep -q "^info  *battery.cells.module0 .*no verdict off the flat" "$work/out"; check "top balancing: said as info" $?
case_start "every cell at 3.70 V" 2 "battery.cells.module0" --soc 97 --cell-mv 3700
case_start "a module with a serial and no cell voltage" 1 "battery.cells.module1" --soc 50 --silent-module 1
grep -q "not reporting" "$work/out"; check "silent module: 'not reporting'" $?
case_start "cells at -2 °C (raw 254)" 1 "battery.temperature.module0" --cell-temp -2
grep -q "cell temperatures -2..-2 °C" "$work/out"; check "raw 254 is -2 °C, a warning, never 254 °C" $?
case_start "SOH 0 is not measured yet" 0 "" --soh 0
grep -q "^info  *battery.soh .*not measured yet" "$work/out"; check "SOH 0: not measured yet" $?
case_start "Riso 0 is not measured yet" 0 "" --riso 0
grep -q "^info  *insulation .*not measured yet" "$work/out"; check "Riso 0: not measured yet" $?
case_start "weak cell" 1 "battery.resistance.module1" --weak-cell 1
case_start "low insulation" 2 "insulation" --riso 80000
case_start "insulation near the limit" 1 "insulation" --riso 150000
case_start "grid voltage near the tightest limit" 1 "grid.voltage.L1" --grid-voltage 250
case_start "258 V against a 253 V limit" 2 "grid.voltage.L1" --grid-voltage 258
grep -q "grid_mon\[1\].u_over.threshold" "$work/out"; check "258 V: the limit that applies is named" $?
case_start "clock an hour behind" 1 "clock" --clock-offset -3600
june=$(date -u -d 2026-06-21T12:00:00Z +%s)
case_ "a dead string at a sunny noon" 1 "pv.strings" --dead-string B --clock-offset $(( $(date +%s) - june ))
january=$(date -u -d 2026-01-15T12:00:00Z +%s)
case_ "a dead string on a winter noon" 1 "pv.strings" --start 2026-01-15T12:00:00Z --dead-string A --clock-offset $(( $(date +%s) - january ))
case_ "a string with light and no power" 1 "pv.strings" --stuck-string B --clock-offset $(( $(date +%s) - june ))
grep -q "tracker or connector" "$work/out"; check "stuck string: tracker or connector" $?
dawn=$(date -u -d 2026-06-21T04:10:00Z +%s)
case_ "dawn, one roof face first" 0 "" --start 2026-06-21T04:10:00Z --clock-offset $(( $(date +%s) - dawn ))
grep -q "^ok  *pv.strings" "$work/out"; ok=$?; check "dawn: pv.strings ok ($(grep pv.strings "$work/out" | head -1 | cut -c1-90))" $ok
case_ "a single-string plant at noon" 0 "" --profile single-string --clock-offset $(( $(date +%s) - june ))
grep -q "^ok  *pv.strings .*B not in use" "$work/out"; check "single string: B not in use" $?
case_start "recurring grid losses" 1 "events.grid_losses" --grid-losses 4
# A counter reset between two checks: the first keeps the totals, the second finds it.
start_sim "$work" --start "$now" --counter-back --speed 600
export XDG_STATE_HOME=$work/state/counters
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$work/out" 2>&1
grep -q "^info  *energy.counters .*nothing to compare with yet" "$work/out"; check "counters: the first check keeps the totals" $?
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$work/out" 2>&1
[ $? = 1 ] && grep -q "^warning  *energy.counters.e_ac_total .*went back by" "$work/out"
check "counters: the second check finds e_ac_total went back" $?
case_start "another client polling" 0 "" --foreign 0.5
grep -q "^info .*link.other_client" "$work/out"; check "another client polling: said as info" $?

# The combined case from the issue.
case_start "combined" 2 "" --fault 16 --soc 50 --cell-low 1:160 --clock-offset -3600 --riso 80000
for id in faults.bit16 battery.cells.module1 clock insulation; do
    grep -Eq "^(warning|critical) +$id" "$work/out"; check "combined: $id named in text" $?
done
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --format json > "$work/json"
[ $? = 2 ]; check "combined JSON exit 2" $?
grep -q '^{"schema":"rcttop-check/1","status":"critical","exit_code":2,' "$work/json" &&
    grep -q '"checked_at":"20[0-9-]*T[0-9:]*[+-][0-9][0-9]:[0-9][0-9]"' "$work/json" && grep -q '"device":{"address"' "$work/json"
check "combined JSON has status, device, checked_at" $?
for id in faults.bit16 battery.cells.module1 clock insulation; do
    grep -q "\"id\":\"$id\"" "$work/json"; check "combined: $id named in JSON" $?
done
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --only battery,insulation > "$work/out"
! grep -q "faults.bit16" "$work/out" && grep -q "insulation" "$work/out"; check "--only picks rules" $?
# An --only that selects no rule is a usage error, never "OK (0 checks)": whole id
# segments only.
for only in fault bat battery.cell battery.cells.module1 ","; do
    "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --only "$only" > "$work/out" 2>/dev/null
    [ $? = 3 ] && grep -q "^RCT UNKNOWN - --only" "$work/out"; check "--only '$only' selects nothing: UNKNOWN, exit 3" $?
done
# Fault words that cannot be read: UNKNOWN with the reason, never OK.
"$RCTTOP" get battery.soc battery.soh --host 127.0.0.1:$PORT --rate 200 --record "$work/nofaults.rec" > /dev/null
"$RCTTOP" check --replay "$work/nofaults.rec" > "$work/out" 2>/dev/null
[ $? = 3 ] && grep -q "^RCT UNKNOWN - the fault words could not be read" "$work/out"
ok=$?; check "unreadable fault words: UNKNOWN with the reason ($(head -1 "$work/out"))" $ok

# Unreachable and bad usage are UNKNOWN.
stop_sim
"$RCTTOP" check --host 127.0.0.1:1 > "$work/out" 2>/dev/null
[ $? = 3 ] && grep -q "^RCT UNKNOWN - " "$work/out"; check "unreachable: RCT UNKNOWN, exit 3" $?
"$RCTTOP" check --only nosuchrule > "$work/out" 2>&1
[ $? = 3 ]; check "an unknown rule: exit 3" $?

finish
