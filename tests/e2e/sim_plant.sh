#!/usr/bin/env bash
# A simulated plant (rcttop sim --plant): three units on their own ports, read with
# `rcttop get` as a user would. Roles, the slaves' master address, the master's slave
# count and its S0 input (the slaves' signed AC sum at the same frozen time), which unit
# has a battery, and the PV-only slave asleep at night while the others answer.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT

# start_plant WHEN ARGS...: a plant frozen at WHEN; sets PORTS (one a unit, in order).
start_plant() {
    local when=$1
    shift
    stop_sim
    : > "$work/plant.out"
    "$RCTTOP" sim --plant master,inverter,storage-ac --listen 127.0.0.1:0 --speed 0 \
        --start "$when" "$@" > "$work/plant.out" 2> "$work/plant.err" &
    SIM_PID=$!
    retry 30 plant_listens
    PORTS=($(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) (unit [0-9]*: .*)$/\1/p' "$work/plant.out"))
}
plant_listens() { [ "$(grep -c '^listening on' "$work/plant.out")" = 3 ] || ! kill -0 "$SIM_PID" 2>/dev/null; }

# value PORT OID [GET-OPTIONS]: the value `rcttop get` prints for OID (CSV), empty when
# none came. absent PORT OID: true when none comes to one request; the unit answers
# others, so a slow machine cannot make a missing value pass for a late one unnoticed.
value() {
    "$RCTTOP" get --rate 1000 --timeout 2 --host "127.0.0.1:$1" --format csv "${@:3}" "$2" 2>/dev/null |
        awk -F, -v oid="$2" '$2 == oid { print $3 }'
}
absent() { [ -z "$(value "$1" "$2" --retries 0)" ]; }
near() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; exit !(a != "" && b != "" && d <= tol && -d <= tol) }'; }

start_plant 2026-06-21T12:00:00Z
[ ${#PORTS[@]} = 3 ]; check "three units listen, one line each: $(tr '\n' ';' < "$work/plant.out")" $?
grep -q '^listening on 127.0.0.1:[0-9]* (unit 1: master, master)$' "$work/plant.out" &&
    grep -q '(unit 2: inverter, slave)$' "$work/plant.out" &&
    grep -q '(unit 3: storage-ac, slave)$' "$work/plant.out"
check "each line names its unit, profile and role" $?
master=${PORTS[0]} inverter=${PORTS[1]} storage_ac=${PORTS[2]}
[ "$master" != "$inverter" ] && [ "$inverter" != "$storage_ac" ]; check "each unit on its own port" $?

[ "$(value "$master" wifi.sockb_protocol)" = 1 ]; check "unit 1 says it is the master" $?
[ "$(value "$master" net.n_slaves)" = 2 ]; check "the master counts two slaves" $?
for port in "$inverter" "$storage_ac"; do
    [ "$(value "$port" wifi.sockb_protocol)" = 2 ]; check "the unit on $port says it is a slave" $?
    [ "$(value "$port" wifi.sockb_ip)" = 127.0.0.1 ]; check "the slave on $port names the master's host" $?
    [ "$(value "$port" wifi.sockb_port)" = "$master" ]; check "the slave on $port names the master's port" $?
done
a=$(value "$inverter" inverter_sn) b=$(value "$storage_ac" inverter_sn) c=$(value "$master" inverter_sn)
[ -n "$a" ] && [ "$a" != "$b" ] && [ "$b" != "$c" ] && [ "$a" != "$c" ]; check "three serials: $a $b $c" $?

s0=$(value "$master" io_board.s0_external_power)
ac_inverter=$(value "$inverter" g_sync.p_ac_sum_lp) ac_storage=$(value "$storage_ac" g_sync.p_ac_sum_lp)
sum=$(awk -v a="$ac_inverter" -v b="$ac_storage" 'BEGIN { print a + b }')
near "$s0" "$sum" 1; check "the master's S0 input ($s0 W) is the slaves' AC sum ($ac_inverter + $ac_storage W)" $?
grid=$(value "$master" g_sync.p_ac_grid_sum_lp) house=$(value "$master" g_sync.p_ac_load_sum_lp)
own=$(value "$master" g_sync.p_ac_sum_lp)
near "$grid" "$(awk -v h="$house" -v o="$own" -v s="$s0" 'BEGIN { print h - o - s }')" 1
check "the master's grid ($grid W) = house ($house W) - its AC ($own W) - S0" $?

[ -n "$(value "$storage_ac" battery.soc)" ]; check "the storage-ac has a battery" $?
near "$(value "$storage_ac" dc_conv.dc_conv_struct[0].p_dc_lp)" 0 0 &&
    near "$(value "$storage_ac" dc_conv.dc_conv_struct[1].p_dc_lp)" 0 0
check "the storage-ac has no PV strings" $?
[ -n "$ac_inverter" ] && absent "$inverter" battery.soc
check "the inverter answers, but not for a battery" $?
slave_data=$(value "$master" net.slave_data)
[ ${#slave_data} = $((2 * 108 * 2)) ]; check "net.slave_data: one 108-byte record a slave (${#slave_data} hex digits)" $?

# At night the PV-only slave has no power: it accepts and stays silent; the rest answer.
start_plant 2026-06-21T01:00:00Z --unit 3:--fault=16
[ ${#PORTS[@]} = 3 ]; check "the night plant listens" $?
absent "${PORTS[1]}" g_sync.p_ac_sum_lp; check "the PV-only slave is silent at night" $?
[ -n "$(value "${PORTS[0]}" g_sync.p_ac_sum_lp)" ]; check "the master answers at night" $?
[ "$(value "${PORTS[2]}" fault[0].flt)" = 65536 ]; check "--unit 3:--fault=16 raises the fault on unit 3" $?
[ "$(value "${PORTS[0]}" fault[0].flt)" = 0 ]; check "and not on the master" $?
stop_sim
# Opting out: awake all night; and one unit taken down on a schedule.
start_plant 2026-06-21T01:00:00Z --unit 2:--no-night --unit 3:--at=0:silent
[ -n "$(value "${PORTS[1]}" g_sync.p_ac_sum_lp)" ]; check "--unit 2:--no-night keeps it answering" $?
retry 10 grep -q 'unit 3 at 0 s: silent' "$work/plant.err"; check "unit 3's schedule ran" $?
absent "${PORTS[2]}" g_sync.p_ac_sum_lp; check "--unit 3:--at=0:silent takes unit 3 down" $?
[ -n "$(value "${PORTS[0]}" net.n_slaves)" ]; check "the master still answers" $?
stop_sim
finish
