#!/usr/bin/env bash
# `rcttop watch` over the units of a plant: three simulators watched at once give one
# JSON Lines stream in which every line names its unit; a unit whose simulator is killed
# gets its own offline event (and its hook run, with the unit in RCTTOP_LABEL/HOST) while
# the others keep sending samples, and it comes back when a simulator listens on its port
# again; --record writes one file per unit, as the monitor names them.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { echo "    | $work/watch.jsonl"; tail -8 "$work/watch.jsonl" | cut -c1-240 | sed 's/^/    | /'; sed 's/^/    | err: /' "$work/watch.err" | head -5; }

start_at() {  # start_at NAME ARGS...: a simulator of our own; its port in $work/NAME.port
    local name=$1
    shift
    : > "$work/$name.sim"
    "$RCTTOP" sim "$@" > "$work/$name.sim" 2> "$work/$name.simerr" &
    echo $! > "$work/$name.pid"
    retry 30 grep -q listening "$work/$name.sim" || return 1
    sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$name.sim" > "$work/$name.port"
}
start_at master --listen 127.0.0.1:0 --role master --seed 1
start_at pv --listen 127.0.0.1:0 --role slave --seed 2
start_at ac --listen 127.0.0.1:0 --role slave --seed 3 --riso 80000
P1=$(cat "$work/master.port") P2=$(cat "$work/pv.port") P3=$(cat "$work/ac.port")

cat > "$work/hook.sh" <<'SH'
#!/bin/sh
echo "$RCTTOP_EVENT|$RCTTOP_STATE|$RCTTOP_LABEL|$RCTTOP_HOST" >> "$HOOK_LOG"
SH
chmod +x "$work/hook.sh"
printf '[alerts]\nhold = 2\n' > "$work/alerts.ini"
HOOK_LOG=$work/hook.log "$RCTTOP" watch -H 127.0.0.1:$P1 -H 127.0.0.1:$P2 -H 127.0.0.1:$P3 --samples 1 \
    --config "$work/alerts.ini" --on-alert "$work/hook.sh" --record "$work/plant.rctrec" \
    > "$work/watch.jsonl" 2> "$work/watch.err" &
watcher=$!

# samples PORT ONLINE [AFTER_LINE]: a sample of that unit with "online" ONLINE after the line.
samples() {
    python3 - "$work/watch.jsonl" "$1" "$2" "${3:-0}" <<'PY'
import json, sys
path, port, online, after = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "true", int(sys.argv[4])
for n, line in enumerate(open(path, encoding="utf-8")):
    if n < after or not line.endswith("\n"):
        continue
    d = json.loads(line)
    if d["type"] == "sample" and d["unit"]["port"] == port and d["online"] == online and d["unit"]["serial"]:
        sys.exit(0)
sys.exit(1)
PY
}
every_unit_online() { samples "$P1" true && samples "$P2" true && samples "$P3" true; }
retry 60 every_unit_online; check "each unit's samples, online, with its unit and serial" $?
python3 - "$work/watch.jsonl" "$P1" "$P2" "$P3" <<'PY'
import json, sys
ports = {int(p) for p in sys.argv[2:]}
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.endswith("\n"):
        continue
    u = json.loads(line)["unit"]
    assert u["host"] == "127.0.0.1" and u["port"] in ports and u["label"] == f"127.0.0.1:{u['port']}", u
PY
check "every line carries unit {label, host, port, serial}" $?

# The pv unit goes: its own offline event and hook, the others go on.
kill "$(cat "$work/pv.pid")"
wait "$(cat "$work/pv.pid")" 2>/dev/null
mark=$(wc -l < "$work/watch.jsonl")
offline_event() {
    python3 - "$work/watch.jsonl" "$1" "$2" <<'PY'
import json, sys
path, port, state = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for line in open(path, encoding="utf-8"):
    if line.endswith("\n"):
        d = json.loads(line)
        if d["type"] == "event" and d["event"] == "offline" and d["state"] == state and d["unit"]["port"] == port:
            sys.exit(0)
sys.exit(1)
PY
}
retry 60 offline_event "$P2" firing; check "the killed unit: an offline event naming it" $?
samples "$P2" false "$mark"; check "the killed unit's samples say offline" $?
others_go_on() { samples "$P1" true "$mark" && samples "$P3" true "$mark"; }
retry 30 others_go_on; check "the other units' samples go on, online" $?
! offline_event "$P1" firing && ! offline_event "$P3" firing; check "no offline event for the others" $?
hook_ran() { grep -q "^offline|firing|127.0.0.1:$P2|127.0.0.1:$P2$" "$work/hook.log" 2>/dev/null; }
retry 30 hook_ran; check "the hook ran for that unit's offline, RCTTOP_LABEL and RCTTOP_HOST naming it" $?

# Back on the same port: it answers again.
start_at pv --listen 127.0.0.1:$P2 --role slave --seed 2
mark=$(wc -l < "$work/watch.jsonl")
back() { offline_event "$P2" resolved && samples "$P2" true "$mark"; }
retry 60 back; check "restarted on its port: the offline resolves, its samples online again" $?

kill -TERM $watcher
wait $watcher; status=$?
[ $status = 0 ]; check "SIGTERM: exit 0 (got $status)" $?
recorded=0
for p in $P1 $P2 $P3; do
    [ -s "$work/plant.127_0_0_1_$p.rctrec" ] && recorded=$((recorded + 1))
done
[ $recorded = 3 ]; check "--record: one file per unit, plant.LABEL.rctrec ($recorded of 3)" $?
"$RCTTOP" decode "$work/plant.127_0_0_1_$P3.rctrec" > "$work/decoded" 2>&1 && [ -s "$work/decoded" ]
check "a unit's recording decodes" $?

finish
