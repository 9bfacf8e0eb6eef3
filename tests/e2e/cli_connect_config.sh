#!/usr/bin/env bash
# A connect that never completes (a listener whose backlog is full drops the SYN) is
# bounded by the answer timeout, in line mode and in `check`; every device command takes
# --device and --config and the configured default device.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $HOLD 2>/dev/null; cleanup_work' EXIT

# --- a connect that hangs ------------------------------------------------------------
python3 - "$work/hold.port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
port = s.getsockname()[1]
held = []
for _ in range(8):  # fill the accept queue: later SYNs are dropped, never refused
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    held.append(c)
open(sys.argv[1], "w").write(str(port))
time.sleep(170)
PY
HOLD=$!
retry 10 test -s "$work/hold.port"
HP=$(cat "$work/hold.port")
hangs() { python3 - "$HP" <<'PY'
import socket, sys
c = socket.socket(); c.settimeout(1)
try:
    c.connect(("127.0.0.1", int(sys.argv[1]))); print("connected")
except socket.timeout:
    print("hangs")
except OSError as e:
    print(e)
PY
}
[ "$(hangs)" = hangs ]; check "the held listener makes a connect hang" $?

start=$(date +%s%N)
"$RCTTOP" get battery.soc --host 127.0.0.1:$HP --timeout 1 --retries 0 > /dev/null 2> "$work/get.err"
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "get against a hung connect: $ms ms"
[ $status = 2 ]; check "get exits 2 (got $status)" $?
[ $ms -lt 8000 ]; check "within the timeout, not the kernel's 2 minutes ($ms ms)" $?
grep -q "no answer to the connect in 1.0 s" "$work/get.err"; ok=$?; check "and says why: $(cat "$work/get.err")" $ok

start=$(date +%s%N)
"$RCTTOP" check --host 127.0.0.1:$HP -t 3 --config /dev/null > "$work/check.out" 2>&1
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "check -t 3 against a hung connect: $ms ms"
[ $status = 3 ] && [ $ms -lt 15000 ]; check "check -t 3 is UNKNOWN within its timeout (exit $status, $ms ms)" $?

# --- the configuration everywhere -------------------------------------------------------
start_sim "$work" --seed 5
cat > "$work/site.ini" <<INI
[general]
device = roof

[device:roof]
host = 127.0.0.1
port = $PORT
rate = 200
INI
for cmd in "get battery.soc" "dump --group battery" "faults" "events --since -1d" \
           "history logger.minutes_soc_log_ts --since -1h"; do
    "$RCTTOP" $cmd --config "$work/site.ini" > "$work/out" 2> "$work/err"
    status=$?
    [ $status = 0 ] && [ -s "$work/out" ]; ok=$?; check "$cmd goes to the configured default device (exit $status: $(head -c 200 "$work/err"))" $ok
done
"$RCTTOP" get battery.soc --config "$work/site.ini" --device roof > /dev/null; check "get --device NAME" $?
"$RCTTOP" get battery.soc --config "$work/site.ini" --device cellar > /dev/null 2> "$work/err"
status=$?
[ $status = 2 ] && grep -q "no device 'cellar'" "$work/err"; check "an unknown device is named (exit $status)" $?
"$RCTTOP" get battery.soc --config "$work/missing.ini" > /dev/null 2> "$work/err"
[ $? = 2 ] && grep -q "missing.ini" "$work/err"; check "a missing --config file is named" $?
"$RCTTOP" get battery.soc --host http://127.0.0.1 > /dev/null 2> "$work/err"
grep -q "URL" "$work/err"; check "--host with a URL: give the address alone" $?
"$RCTTOP" get 0xDEADBEEF --config "$work/site.ini" --timeout 0.5 --retries 0 > "$work/out" 2>&1
status=$?
[ $status = 1 ] && grep -q "0xDEADBEEF .*not supported by this device" "$work/out"
check "an OID outside the registry is read, and its silence told from the device's (exit $status)" $?

# --- every key, once: `help config` and the sample come from one table -----------------
"$RCTTOP" help config > "$work/keys" 2>&1
status=$?
missing=$("$RCTTOP" monitor --print-sample-config | sed -n 's/^;\{0,1\} *\([a-z_][a-z_0-9.]*\) *=.*/\1/p' | sort -u |
    while read -r key; do grep -Eq "^  $key( = | \()" "$work/keys" || echo "$key"; done)
[ $status = 0 ] && [ -z "$missing" ] && grep -A1 '^  rate = 4$' "$work/keys" | grep -q 'requests per second'
check "help config lists every key of the sample with its default${missing:+ (missing: $missing)}" $?
"$RCTTOP" --rate 0.05 --demo > "$work/out" 2>&1
status=$?
[ $status = 2 ] && grep -q -- "--rate" "$work/out"
check "--rate below the configuration's range is refused as [general] rate is (exit $status)" $?
finish
