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
check_details() { sed 's/^/    | /' "$work/out" 2>/dev/null | head -12; }

# Every site is its own simulator, checked at once (a few at a time); the verdicts are
# judged afterwards. launch KEY [SIM OPTIONS...] starts one; its text and JSON output and
# exit statuses land in $work/KEY/.
launch() {
    local key=$1
    shift
    while [ "$(jobs -rp | wc -l)" -ge 6 ]; do sleep 0.1; done
    (
        dir=$work/$key
        mkdir -p "$dir"
        # Each simulated site is another device with the same serial: its own kept totals.
        export XDG_STATE_HOME=$dir/state
        trap 'stop_sim' EXIT
        start_sim "$dir" --start 2026-06-21T12:00:00Z --clock-offset 0 "$@" || exit 1
        "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$dir/out" 2> "$dir/err"
        echo $? > "$dir/status"
        "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --format json > "$dir/json" 2>/dev/null
        echo $? > "$dir/json.status"
    ) &
    sites+=($!)
}
sites=()
# judge KEY NAME EXPECTED_EXIT FINDING_ID: the exit status, and the finding in text and JSON.
judge() {
    local dir=$work/$1 name=$2 want=$3 id=$4
    local status
    status=$(cat "$dir/status" 2>/dev/null)
    [ "$status" = "$want" ]; check "$name: exit $want (got $status)" $?
    [ -z "$id" ] && return
    grep -Eq "^(warning|critical) +$id" "$dir/out"; check "$name: finding $id" $?
    grep -q "\"id\":\"$id[^\"]*\",\"rule\":\"[^\"]*\",\"severity\":\"\(warning\|critical\)\"" "$dir/json"
    check "$name: $id in JSON" $?
}
out() { echo "$work/$1/out"; }

# The clock: the simulator runs at a fixed June noon, so --clock-offset is relative to
# the host's clock; the check compares with the host. Use the host's time for healthy runs.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
june=$(date -u -d 2026-06-21T12:00:00Z +%s)
january=$(date -u -d 2026-01-15T12:00:00Z +%s)
dawn=$(date -u -d 2026-06-21T04:10:00Z +%s)
launch healthy --start "$now"
launch fault16 --start "$now" --fault 16
launch fault13 --start "$now" --fault 13
launch cell160 --start "$now" --soc 50 --cell-low 1:160
launch cell100 --start "$now" --soc 50 --cell-low 0:100
launch top --start "$now" --soc 97 --cell-low 0:120
launch overcharged --start "$now" --soc 97 --cell-mv 3700
launch silentmodule --start "$now" --soc 50 --silent-module 1
launch cold --start "$now" --cell-temp -2
launch soh0 --start "$now" --soh 0
launch riso0 --start "$now" --riso 0
launch weak --start "$now" --weak-cell 1
launch riso80k --start "$now" --riso 80000
launch riso150k --start "$now" --riso 150000
launch grid250 --start "$now" --grid-voltage 250
launch grid258 --start "$now" --grid-voltage 258
launch clock --start "$now" --clock-offset -3600
launch deadnoon --dead-string B --clock-offset $(( $(date +%s) - june ))
launch deadwinter --start 2026-01-15T12:00:00Z --dead-string A --clock-offset $(( $(date +%s) - january ))
launch stuck --stuck-string B --clock-offset $(( $(date +%s) - june ))
launch dawn --start 2026-06-21T04:10:00Z --clock-offset $(( $(date +%s) - dawn ))
launch single --profile single-string --clock-offset $(( $(date +%s) - june ))
launch losses --start "$now" --grid-losses 4
launch foreign --start "$now" --foreign 0.5
# A counter reset between two checks: the first keeps the totals, the second finds it.
(
    dir=$work/counters
    mkdir -p "$dir"
    export XDG_STATE_HOME=$dir/state
    trap 'stop_sim' EXIT
    start_sim "$dir" --start "$now" --counter-back --speed 600 || exit 1
    "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$dir/first" 2>&1
    "$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$dir/out" 2>&1
    echo $? > "$dir/status"
) &
sites+=($!)
wait "${sites[@]}"

judge healthy "healthy site" 0 ""
grep -q "^RCT OK - no problems found" "$(out healthy)"; check "healthy: RCT OK first line" $?
grep -q "| 'soc'=.*'riso'=.*'clock_offset'=.*'rtt'=" "$(out healthy)"; check "healthy: perfdata" $?
judge fault16 "active fault" 2 "faults.bit16"
judge fault13 "grid fault is a warning" 1 "faults.bit13"
judge cell160 "cell 160 mV low on the flat" 2 "battery.cells.module1"
judge cell100 "cell 100 mV low on the flat" 1 "battery.cells.module0"
judge top "120 mV at 97 % SOC is top balancing" 0 ""
grep -q "^info  *battery.cells.module0 .*no verdict off the flat" "$(out top)"; check "top balancing: said as info" $?
judge overcharged "every cell at 3.70 V" 2 "battery.cells.module0"
judge silentmodule "a module with a serial and no cell voltage" 1 "battery.cells.module1"
grep -q "not reporting" "$(out silentmodule)"; check "silent module: 'not reporting'" $?
judge cold "cells at -2 °C (raw 254)" 1 "battery.temperature.module0"
grep -q "cell temperatures -2..-2 °C" "$(out cold)"; check "raw 254 is -2 °C, a warning, never 254 °C" $?
judge soh0 "SOH 0 is not measured yet" 0 ""
grep -q "^info  *battery.soh .*not measured yet" "$(out soh0)"; check "SOH 0: not measured yet" $?
judge riso0 "Riso 0 is not measured yet" 0 ""
grep -q "^info  *insulation .*not measured yet" "$(out riso0)"; check "Riso 0: not measured yet" $?
judge weak "weak cell" 1 "battery.resistance.module1"
judge riso80k "low insulation" 2 "insulation"
judge riso150k "insulation near the limit" 1 "insulation"
judge grid250 "grid voltage near the tightest limit" 1 "grid.voltage.L1"
judge grid258 "258 V against a 253 V limit" 2 "grid.voltage.L1"
grep -q "grid_mon\[1\].u_over.threshold" "$(out grid258)"; check "258 V: the limit that applies is named" $?
judge clock "clock an hour behind" 1 "clock"
judge deadnoon "a dead string at a sunny noon" 1 "pv.strings"
judge deadwinter "a dead string on a winter noon" 1 "pv.strings"
judge stuck "a string with light and no power" 1 "pv.strings"
grep -q "tracker or connector" "$(out stuck)"; check "stuck string: tracker or connector" $?
judge dawn "dawn, one roof face first" 0 ""
grep -q "^ok  *pv.strings" "$(out dawn)"; ok=$?; check "dawn: pv.strings ok ($(grep pv.strings "$(out dawn)" | head -1 | cut -c1-90))" $ok
judge single "a single-string plant at noon" 0 ""
grep -q "^ok  *pv.strings .*B not in use" "$(out single)"; check "single string: B not in use" $?
judge losses "recurring grid losses" 1 "events.grid_losses"
grep -q "^info  *energy.counters .*nothing to compare with yet" "$work/counters/first"; check "counters: the first check keeps the totals" $?
[ "$(cat "$work/counters/status")" = 1 ] && grep -q "^warning  *energy.counters.e_ac_total .*went back by" "$(out counters)"
check "counters: the second check finds e_ac_total went back" $?
judge foreign "another client polling" 0 ""
grep -q "^info .*link.other_client" "$(out foreign)"; check "another client polling: said as info" $?

# The combined case from the issue.
export XDG_STATE_HOME=$work/state/combined
start_sim "$work" --start "$now" --fault 16 --soc 50 --cell-low 1:160 --clock-offset -3600 --riso 80000
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 > "$work/out" 2> "$work/err"
[ $? = 2 ]; check "combined: exit 2" $?
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
# --only reads what its rules need and prints their perfdata only: no battery OID asked
# for an insulation check.
"$RCTTOP" check --host 127.0.0.1:$PORT --rate 200 --only insulation --record "$work/only.rec" > "$work/out"
head -1 "$work/out" | grep -q "'riso'=" && ! head -1 "$work/out" | grep -q "'soc'="
check "--only insulation: its perfdata, no battery's" $?
"$RCTTOP" decode "$work/only.rec" > "$work/only.txt" 2>&1
grep -q "iso_struct.Riso" "$work/only.txt" && ! grep -q "battery\." "$work/only.txt" &&
    ! grep -q "fault\[0\]" "$work/only.txt"
check "--only insulation: reads no battery or fault OID ($(grep -c READ "$work/only.txt") reads)" $?
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
