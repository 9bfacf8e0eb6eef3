#!/usr/bin/env bash
# Sites that differ from the simulator's default: a device without a battery and an old
# firmware that does not know the cells' statistics and resistances. `check` at the
# default rate is done within 30 s with exit 0 and no link finding; what the device does
# not know is "not supported by this device", in `check`, `get` and `dump`.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT

declare -A port
for profile in storage inverter old-firmware; do
    "$RCTTOP" sim --listen 127.0.0.1:0 --profile $profile > "$work/$profile.sim" 2>&1 &
    retry 30 grep -q listening "$work/$profile.sim"
    port[$profile]=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$profile.sim")
done
# The three checks at once, at the polite default rate, each timed.
for profile in storage inverter old-firmware; do
    ( start=$(date +%s%N)
      "$RCTTOP" check --host 127.0.0.1:${port[$profile]} --config /dev/null > "$work/$profile.check" 2>&1
      echo "$? $(( ($(date +%s%N) - start) / 1000000 ))" > "$work/$profile.status" ) &
done
wait_checks() { [ -s "$work/storage.status" ] && [ -s "$work/inverter.status" ] && [ -s "$work/old-firmware.status" ]; }
retry 120 wait_checks
for profile in storage inverter old-firmware; do
    read -r status ms < "$work/$profile.status"
    echo "check --profile $profile: exit $status in $ms ms"
    [ "$status" = 0 ]; check "$profile: check exits 0 ($(head -1 "$work/$profile.check"))" $?
    [ "$ms" -le 30000 ]; check "$profile: within 30 s ($ms ms)" $?
    ! grep -q "^warning *link" "$work/$profile.check"; check "$profile: the link is not blamed" $?
    ! grep -q "^pending" "$work/$profile.check"; check "$profile: no rule left waiting" $?
done
grep -q "^info *battery.soh *battery.soh: not supported by this device" "$work/inverter.check"
check "inverter: the battery is not supported, said so" $?
grep -q "^info *battery.history *battery.history: not supported by this device" "$work/old-firmware.check"
check "old firmware: the cell statistics are not supported, said so" $?
grep -q "^ok *battery.cells.module0" "$work/old-firmware.check"; check "old firmware: the cells are still judged" $?

"$RCTTOP" get g_sync.p_acc_lp battery.soh --host 127.0.0.1:${port[inverter]} --rate 50 > "$work/get.out" 2>&1
status=$?
[ $status = 1 ] && grep -q "battery.soh .*not supported by this device" "$work/get.out"
check "get of an OID the device does not know: exit 1, 'not supported by this device' (exit $status)" $?
"$RCTTOP" get battery.soc battery.cells_stat[0] battery.cells_resist[0] battery.cells[0] --host 127.0.0.1:${port[old-firmware]} --rate 50 > "$work/get2.out" 2>&1
[ "$(grep -c "not supported by this device" "$work/get2.out")" = 2 ]
check "get on old firmware: the two it does not know, the two it does: $(cat "$work/get2.out" | cut -c1-90)" $?
start_sim "$work" --unknown-oids 0.3
"$RCTTOP" dump --group grid_mon --host 127.0.0.1:$PORT --rate 200 > /dev/null 2> "$work/dump.err"
grep -q "^not supported by this device: " "$work/dump.err"
check "dump lists what is not supported at the end: $(head -c 160 "$work/dump.err")" $?
finish
