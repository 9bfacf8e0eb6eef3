#!/usr/bin/env bash
# `rcttop check` against the simulator in every condition it can be switched into: a
# healthy site checks OK (exit 0); each condition gives its finding and the exit status a
# monitoring system acts on; the combined case (an active fault, a cell 150 mV low, the
# clock an hour behind, insulation below r_min) is CRITICAL and names each in text and
# JSON; an unreachable device is UNKNOWN (3).
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { sed 's/^/    | /' "$work/out" 2>/dev/null | head -12; }

# case NAME EXPECTED_EXIT FINDING_ID [SIM OPTIONS...]
case_() {
    local name=$1 want=$2 id=$3
    shift 3
    start_sim "$work" --start 2026-06-21T12:00:00Z --clock-offset 0 "$@"
    "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$work/out" 2> "$work/err"
    local status=$?
    [ $status = "$want" ]; check "$name: exit $want (got $status)" $?
    if [ -n "$id" ]; then
        grep -Eq "^(warning|critical) +$id" "$work/out"; check "$name: finding $id" $?
        "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --format json > "$work/json" 2>/dev/null
        grep -q "\"id\":\"$id[^\"]*\",\"severity\":\"\(warning\|critical\)\"" "$work/json"; check "$name: $id in JSON" $?
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
grep -q "| soc=.*riso_ohm=.*clock_offset=.*rtt=" "$work/out"; check "healthy: perfdata" $?
case_start "active fault" 2 "faults.bit16" --fault 16
case_start "grid fault is a warning" 1 "faults.bit13" --fault 13
case_start "cell 150 mV low" 2 "battery.cells.module1" --cell-low 1:150
case_start "cell 70 mV low" 1 "battery.cells.module0" --cell-low 0:70
case_start "weak cell" 1 "battery.resistance.module1" --weak-cell 1
case_start "low insulation" 2 "insulation" --riso 80000
case_start "insulation near the limit" 1 "insulation" --riso 150000
case_start "grid voltage near a limit" 1 "grid.voltage.L1" --grid-voltage 262
case_start "grid voltage beyond a limit" 2 "grid.voltage.L1" --grid-voltage 270
case_start "clock an hour behind" 1 "clock" --clock-offset -3600
june=$(date -u -d 2026-06-21T12:00:00Z +%s)
case_ "a dead string at a sunny noon" 1 "pv.strings" --dead-string B --clock-offset $(( $(date +%s) - june ))
case_start "recurring grid losses" 1 "events.grid_losses" --grid-losses 4
case_start "a counter going back" 1 "energy.counters" --counter-back --speed 600
case_start "another client polling" 0 "" --foreign 0.5
grep -q "^info .*link.other_client" "$work/out"; check "another client polling: said as info" $?

# The combined case from the issue.
case_start "combined" 2 "" --fault 16 --cell-low 1:150 --clock-offset -3600 --riso 80000
for id in faults.bit16 battery.cells.module1 clock insulation; do
    grep -Eq "^(warning|critical) +$id" "$work/out"; check "combined: $id named in text" $?
done
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --format json > "$work/json"
[ $? = 2 ]; check "combined JSON exit 2" $?
grep -q '^{"status":"critical","device":{' "$work/json" && grep -q '"checked_at":"20' "$work/json"
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
check "unreadable fault words: UNKNOWN with the reason ($(head -1 "$work/out"))" $?

# Unreachable and bad usage are UNKNOWN.
stop_sim
"$RCTTOP" check --host 127.0.0.1:1 > "$work/out" 2>/dev/null
[ $? = 3 ] && grep -q "^RCT UNKNOWN - " "$work/out"; check "unreachable: RCT UNKNOWN, exit 3" $?
"$RCTTOP" check --only nosuchrule > "$work/out" 2>&1
[ $? = 3 ]; check "an unknown rule: exit 3" $?

finish
