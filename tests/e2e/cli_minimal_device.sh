#!/usr/bin/env bash
# A device that skips OIDs it could do without (a gateway passing a dozen live values
# and every history query): history and events still read its logs, saying what they
# assumed; get says which OIDs it does not know; --clock utc asks no clock at all; and
# two profiles combine.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { sed 's/^/    | /' "$work/out" "$work/err" 2>/dev/null | tail -20; }
start_sim "$work" --answer-only minimal --latency 20
H="--host 127.0.0.1:$PORT --config /dev/null"
timeout 60 "$RCTTOP" history logger.minutes_soc_log_ts --since -6h $H > "$work/out" 2> "$work/err"
check "history exits 0 against a device that answers no clock" $?
points=$(grep -c '%' "$work/out")
[ "$points" -ge 70 ]; check "history returns the 6 hours ($points points)" $?
grep -q "device clock not read (flash_rtc.time_stamp unanswered): times taken as UTC" "$work/err"
check "and says what it assumed" $?
timeout 60 "$RCTTOP" events --since -7d $H > "$work/out" 2> "$work/err"
check "events exits 0 too" $?
grep -qv "does not answer" "$work/err"; check "without calling the device silent" $?
: > "$work/sim.err"
timeout 60 "$RCTTOP" history logger.minutes_soc_log_ts --since -1h --clock utc $H > "$work/out" 2> "$work/err"
check "history --clock utc" $?
grep -q "device clock not read" "$work/err"; [ $? -ne 0 ]; check "--clock utc needs no clock read" $?
timeout 60 "$RCTTOP" get battery.soc inverter_sn $H > "$work/out" 2> "$work/err"
grep -q "inverter_sn.*not supported by this device" "$work/out"; check "get: the serial is not supported" $?
grep -qE "battery.soc +0\.[0-9]+" "$work/out"; check "get: the SOC is read" $?
start_sim "$work" --profile dual-tower,old-firmware
H="--host 127.0.0.1:$PORT --config /dev/null"
timeout 60 "$RCTTOP" get battery_placeholder[0].bms_sn battery.cells_stat[0].u_max.value $H > "$work/out" 2> "$work/err"
grep -q "battery_placeholder\[0\].bms_sn" "$work/out" && ! grep -q "bms_sn.*not supported" "$work/out"
check "dual-tower,old-firmware: the second tower answers" $?
grep -q "cells_stat.*not supported" "$work/out"; check "and the cell statistics are unknown" $?
finish
