#!/usr/bin/env bash
# `rcttop scan` on loopback: three simulators (a master and two slaves) on 127.0.0.1-3 and
# a listener that accepts TCP and never answers on 127.0.0.4, all on one port. The scan of
# 127.0.0.0/29 finds exactly the three, with the serials and roles the simulators hold
# (from `sim --print-values`), does not count the silent one, writes an ini the
# configuration loads, and keeps its exit statuses; a range with nothing is exit 1, a /16
# without --force and malformed ranges are exit 2. Loopback only: 127.0.0.0/8 routes
# whole on Linux.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; cleanup_work' EXIT

# wait_listening FILE PID: until FILE has the "listening on HOST:PORT" line (30 s at most).
wait_listening() {
    for _ in $(seq 300); do
        grep -q "^listening on" "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
serve() {  # serve N ADDRESS:PORT SEED ROLE
    "$RCTTOP" sim --listen "$2" --seed "$3" --role "$4" --speed 0 --record "$work/wire$1.bin" \
        > "$work/sim$1.out" 2> "$work/sim$1.err" &
    pids+=($!)
    wait_listening "$work/sim$1.out" $!
}
serve 1 127.0.0.1:0 11 master; check "the master simulator listens" $?
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim1.out")
serve 2 127.0.0.2:$PORT 12 slave; check "a slave simulator listens on 127.0.0.2:$PORT" $?
serve 3 127.0.0.3:$PORT 13 slave; check "a second slave on 127.0.0.3" $?
python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.4", int(sys.argv[1])))
s.listen(16)
print("listening on 127.0.0.4:%s" % sys.argv[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])   # accepted and held open, never a byte back
    print("accepted", flush=True)
' "$PORT" > "$work/silent.out" 2>&1 &
pids+=($!)
wait_listening "$work/silent.out" $!; check "a silent listener on 127.0.0.4" $?
for seed in 11 12 13; do
    role=$([ $seed = 11 ] && echo master || echo slave)
    "$RCTTOP" sim --print-values --seed $seed --role $role > "$work/truth$seed.txt"
    sn[$seed]=$(sed -n 's/^inverter_sn //p' "$work/truth$seed.txt")
done
[ -n "${sn[11]}" ] && [ "${sn[11]}" != "${sn[12]}" ] && [ "${sn[12]}" != "${sn[13]}" ]
check "three distinct serials to find (${sn[11]} ${sn[12]} ${sn[13]})" $?

# The table: three units, in address order, their serials and roles; the summary line.
"$RCTTOP" scan 127.0.0.0/29 --port "$PORT" > "$work/scan.txt" 2> "$work/scan.err"
check "scan 127.0.0.0/29 finds units: exit 0" $?
grep -Eq "^127\.0\.0\.1:$PORT +${sn[11]} +.* master$" "$work/scan.txt"; check "127.0.0.1: its serial, master" $?
grep -Eq "^127\.0\.0\.2:$PORT +${sn[12]} +.* slave of " "$work/scan.txt"; check "127.0.0.2: its serial, slave of its master" $?
grep -Eq "^127\.0\.0\.3:$PORT +${sn[13]} +.* slave of " "$work/scan.txt"; check "127.0.0.3: its serial, slave" $?
[ "$(grep -Ec '^127\.0\.0\.[123]:' "$work/scan.txt")" = 3 ] && [ "$(grep -n '^127' "$work/scan.txt" | cut -d: -f2 | tr '\n' ' ')" = "127.0.0.1 127.0.0.2 127.0.0.3 " ]
check "the three, sorted by address" $?
! grep -q "^127\.0\.0\.4" "$work/scan.txt"; check "the silent listener is no unit" $?
grep -Eq "^3 units found in 6 addresses \([0-9.]+ s\); 1 more accepts TCP" "$work/scan.txt"
check "summary: 3 units in 6 addresses, 1 open port besides" $?
[ ! -s "$work/scan.err" ]; check "no progress bar when stderr is no terminal" $?

"$RCTTOP" scan 127.0.0.1-127.0.0.8 --port "$PORT" -v > "$work/scan_v.txt"
grep -Eq "^127\.0\.0\.4:$PORT +open, not RCT" "$work/scan_v.txt"; check "-v lists 127.0.0.4 as open, not RCT" $?
grep -q "^3 units found in 8 addresses" "$work/scan_v.txt"; check "FIRST-LAST: 8 addresses, still 3 units" $?

# JSON Lines: the units and the open port, each with its status.
"$RCTTOP" scan 127.0.0.0/29 --port "$PORT" --format json > "$work/scan.json" 2>/dev/null
check "json: exit 0" $?
python3 - "$work/scan.json" "${sn[11]}" "${sn[12]}" "${sn[13]}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
units = {r["address"]: r for r in rows if r["status"] == "unit"}
assert sorted(units) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"], units
assert [units[a]["serial"] for a in sorted(units)] == sys.argv[2:5]
assert [units[a]["role"] for a in sorted(units)] == ["master", "slave", "slave"]
assert units["127.0.0.2"]["master_ip"] and units["127.0.0.1"]["master_ip"] is None
assert [r["address"] for r in rows if r["status"] == "open, not RCT"] == ["127.0.0.4"]
PY
check "json: three units with serials and roles, 127.0.0.4 open, not RCT" $?

"$RCTTOP" scan 127.0.0.0/29 --port "$PORT" --format csv > "$work/scan.csv" 2>/dev/null
head -1 "$work/scan.csv" | grep -qx "address,port,status,serial,model,role,master_ip,master_port" &&
    [ "$(grep -c ",unit,${sn[11]},.*,master," "$work/scan.csv")" = 1 ] && [ "$(wc -l < "$work/scan.csv")" = 4 ]
check "csv: header and the three units" $?

# ini: a configuration file as it is; each device reads the serial it was found with.
"$RCTTOP" scan 127.0.0.0/29 --port "$PORT" --format ini > "$work/found.ini" 2>/dev/null
check "ini: exit 0" $?
for seed in 11 12 13; do
    out=$("$RCTTOP" get --config "$work/found.ini" --device "unit-${sn[$seed]}" inverter_sn --format csv 2>&1)
    echo "$out" | grep -q "\"\\?${sn[$seed]}\"\\?"; check "ini loads: --device unit-${sn[$seed]} reads its serial" $?
done
grep -qx "devices = unit-${sn[11]} unit-${sn[12]} unit-${sn[13]}" "$work/found.ini"
check "ini: a [plant:...] with the master first" $?
grep -qx "port = $PORT" "$work/found.ini"; check "ini: port = $PORT (not the default)" $?
plant=$(sed -n 's/^\[plant:\(.*\)\]$/\1/p' "$work/found.ini")
[ -n "$plant" ] && grep -q "^\[plant:$plant\]" "$work/found.ini"
check "ini: the plant section is named ($plant)" $?

# The monitor opens the plant the ini names, and shows its units (the Plant pane).
T="tmux -L rcttop-scan-$$"
$T new-session -d -s mon -x 140 -y 40 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --config $work/found.ini --plant $plant; sleep 60"
wait_for "${sn[13]}" 40; check "rcttop --config FOUND.ini --plant $plant shows the units" $?
$T kill-server 2>/dev/null

# Nothing there: exit 1. Refused and malformed ranges: exit 2, with the reason.
"$RCTTOP" scan 127.0.0.8/29 --port "$PORT" > "$work/none.txt" 2>&1
[ $? = 1 ] && grep -q "^0 units found in 6 addresses" "$work/none.txt"; check "a range with no unit: exit 1" $?
"$RCTTOP" scan 127.0.0.0/16 --port "$PORT" > /dev/null 2> "$work/wide.err"
[ $? = 2 ] && grep -q "more than a /22.*--force" "$work/wide.err"; check "a /16 without --force: exit 2, says --force" $?
"$RCTTOP" scan 127.0.0.0/8 --force > /dev/null 2> "$work/huge.err"
[ $? = 2 ] && grep -q "at most 65536" "$work/huge.err"; check "a /8 even with --force: exit 2" $?
for bad in 127.0.0.0/33 127.0.0.300 127.0.0.9-3 127.0.0.1/24 localhost 127.0.0.1-; do
    "$RCTTOP" scan "$bad" > /dev/null 2> "$work/bad.err"
    [ $? = 2 ] && grep -q "^rcttop scan: '$bad'" "$work/bad.err"; check "malformed '$bad': exit 2 with the reason" $?
done
"$RCTTOP" scan > /dev/null 2>&1; [ $? = 2 ]; check "no range: exit 2" $?
"$RCTTOP" scan 127.0.0.1 --concurrency 0 > /dev/null 2>&1; [ $? = 2 ]; check "--concurrency 0: exit 2" $?
"$RCTTOP" scan 127.0.0.1 --format xml > /dev/null 2>&1; [ $? = 2 ]; check "--format xml: exit 2" $?
"$RCTTOP" scan 127.0.0.2 --port "$PORT" --concurrency 1 | grep -q "^1 unit found in 1 address"
check "one address, one unit" $?

# Ctrl-C while the silent listener is being waited out: what has a verdict is printed, 130.
accepted=$(grep -c accepted "$work/silent.out")
"$RCTTOP" scan 127.0.0.3-127.0.0.6 --port "$PORT" --concurrency 1 > "$work/int.txt" 2>&1 &
spid=$!
silent_reached() { [ "$(grep -c accepted "$work/silent.out")" -gt "$accepted" ]; }
retry 30 silent_reached
kill -INT $spid; wait $spid; status=$?
[ $status = 130 ] && grep -Eq "^127\.0\.0\.3:$PORT +${sn[13]}" "$work/int.txt" &&
    grep -q "^1 unit found in 1 of 4 addresses (.*interrupted)" "$work/int.txt"
check "Ctrl-C: exit 130 (got $status), the unit found so far is printed" $?

# On a terminal the progress bar is drawn on stderr, and cleared before the table.
python3 - "$RCTTOP" "$PORT" > "$work/tty.txt" 2>&1 <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "scan", "127.0.0.0/29", "--port", sys.argv[2]])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
PY
grep -q "\] 6/6, 3 units" "$work/tty.txt"; check "a terminal gets the progress bar" $?

# Only reads went out: every byte the simulators were sent decodes to READ frames.
for i in 1 2 3; do
    "$RCTTOP" decode --binary --format json "$work/wire$i.bin" > "$work/wire$i.json"
    [ -s "$work/wire$i.json" ] && ! grep -v '"command":"READ"' "$work/wire$i.json" | grep -q . &&
        ! grep -q FORBIDDEN "$work/sim$i.err"
    check "simulator $i was sent READs only" $?
done
finish
