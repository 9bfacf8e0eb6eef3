#!/usr/bin/env bash
# `rcttop watch` and the alert hook against simulators that change on a schedule: a fault
# raised at 20 s and cleared at 40 s is exactly one firing and one resolved event, and
# exactly two hook runs with the event in their environment and as JSON on stdin; a device
# that goes silent is one offline event within the silence limit and one online event when
# it answers again; a listener (--listen-only) sees the same fault from another client's
# answers; the recording of the watch replays into the same events; Ctrl-C/SIGTERM is
# exit 0. (A device never reached: watch_service.sh.)
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { for f in "$work"/*.jsonl; do echo "    | $f"; sed 's/^/    | /' "$f" | cut -c1-200 | head -8; done; }

# The hook: appends its environment and what came on stdin, one record a line.
cat > "$work/hook.sh" <<'EOF'
#!/bin/sh
stdin=$(cat)
printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$RCTTOP_EVENT" "$RCTTOP_STATE" "$RCTTOP_SEVERITY" \
    "$RCTTOP_KEY" "$RCTTOP_VALUE" "$RCTTOP_HOST" "$RCTTOP_SERIAL" "$RCTTOP_SINCE" "$RCTTOP_TIME" \
    "$stdin" >> "$HOOK_LOG"
EOF
chmod +x "$work/hook.sh"
# A short hold keeps the test short; the default (10 s) is what the unit tests hold to.
printf '[alerts]\nhold = 3\n' > "$work/alerts.ini"

start_at() {  # start_at NAME ARGS...: a simulator of our own; its port in $work/NAME.port
    local name=$1
    shift
    "$RCTTOP" sim --listen 127.0.0.1:0 --broadcast "$@" > "$work/$name.sim" 2> "$work/$name.simerr" &
    retry 30 grep -q listening "$work/$name.sim" || return 1
    sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/$name.sim" > "$work/$name.port"
}
start_at fault --at 20:fault=16 --at 40:clear=16
start_at silence --at 10:silent --at 25:answer
fault_port=$(cat "$work/fault.port") silence_port=$(cat "$work/silence.port")

HOOK_LOG=$work/hook.log "$RCTTOP" watch -H 127.0.0.1:$fault_port --config "$work/alerts.ini" --on-alert "$work/hook.sh" \
    --record "$work/fault.rec" > "$work/fault.jsonl" 2> "$work/fault.err" &
watcher=$!
"$RCTTOP" watch -H 127.0.0.1:$fault_port --config "$work/alerts.ini" --listen-only > "$work/listen.jsonl" 2> "$work/listen.err" &
listener=$!
silence_start=$(( $(date +%s) + 10 ))   # the simulator's schedule counts from its start
"$RCTTOP" watch -H 127.0.0.1:$silence_port --config "$work/alerts.ini" --samples 5 > "$work/silence.jsonl" 2> "$work/silence.err" &
silent_watch=$!

# A machine busy enough to starve the watchers for a few seconds makes them say offline
# and online again (rightly): the waits and counts below are for the scheduled events only.
hook_saw_resolve() { grep -q '^fault|resolved|' "$work/hook.log" 2>/dev/null; }
retry 120 hook_saw_resolve; check "the hook ran for the firing and the resolved event" $?
# offline_events FILE: "firing|resolved UNIX-TIME" for each offline event, in order.
offline_events() {
    python3 -c '
import json, sys, datetime
for l in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(l)
    if j.get("event") == "offline":
        print(j["state"], int(datetime.datetime.fromisoformat(j["time"]).timestamp()))' "$1" 2>/dev/null
}
# The silence ends at the simulator's 25 s (silence_start + 15, less the moments the
# simulator started before this script counted); an online event later is its end.
back_online() { offline_events "$work/silence.jsonl" | awk -v t=$((silence_start + 12)) '$1 == "resolved" && $2 >= t {f = 1} END {exit !f}'; }
retry 90 back_online; check "the silent device came back: an online event" $?
resolved_seen() { grep -q '"state":"resolved","severity":"critical","key":"fault.16"' "$work/listen.jsonl"; }
retry 30 resolved_seen; check "the listener saw the fault resolve too" $?
# Listening sends nothing and waits for nothing: it must not spin (it once did, at 100 %).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(cpu_ticks $listener)
[ "${ticks:-999}" -lt 300 ]; check "the listener used ${ticks} CPU ticks in about a minute (a spinning loop uses 6000)" $?
kill -TERM $watcher $listener $silent_watch
wait $watcher; w1=$?
wait $listener; w2=$?
wait $silent_watch; w3=$?
[ $w1 = 0 ] && [ $w2 = 0 ] && [ $w3 = 0 ]; check "SIGTERM: exit 0 (got $w1 $w2 $w3)" $?

# Exactly one firing and one resolved for the fault, from the watch and the listener.
for f in fault listen; do
    firing=$(grep -c '"state":"firing","severity":"critical","key":"fault.16"' "$work/$f.jsonl")
    resolved=$(grep -c '"state":"resolved","severity":"critical","key":"fault.16"' "$work/$f.jsonl")
    [ "$firing" = 1 ] && [ "$resolved" = 1 ]; check "$f: exactly one firing and one resolved fault.16 ($firing, $resolved)" $?
done
python3 - "$work/fault.jsonl" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ev = [l for l in lines if l.get("key") == "fault.16"]
assert [e["state"] for e in ev] == ["firing", "resolved"], ev
fire, res = ev
for e in ev:
    assert e["type"] == "event" and e["event"] == "fault" and e["fault"]["bit"] == 16
    assert e["fault"]["category"] == "battery" and e["device"]["serial"]
    assert e["time"][10] == "T" and e["time"][-6] in "+-", e["time"]
assert res["duration_s"] >= 15 and res["duration_s"] <= 25, res["duration_s"]
assert fire["since"] == res["since"]
EOF
check "the events: stable keys, ISO times with the zone, the duration" $?
[ "$(grep -c '^fault|' "$work/hook.log")" = 2 ]; check "exactly two hook runs for the fault" $?
! grep -v '^fault|\|^offline|' "$work/hook.log" | grep -q .; check "and no run for anything but the fault and a busy machine's offline moment" $?
python3 - "$work/hook.log" "$fault_port" <<'EOF'
import json, sys
runs = [l.rstrip("\n").split("|", 9) for l in open(sys.argv[1], encoding="utf-8") if l.startswith("fault|")]
for run, state in zip(runs, ["firing", "resolved"]):
    event, st, sev, key, value, host, serial, since, when, stdin = run
    assert (event, st, sev, key, value) == ("fault", state, "critical", "fault.16", "16"), run
    assert host == "127.0.0.1:" + sys.argv[2] and serial and "T" in since and "T" in when, run
    j = json.loads(stdin)
    assert j["key"] == "fault.16" and j["state"] == state, j
EOF
check "the hook's environment and its stdin JSON" $?

# Silence: offline once, within the silence limit (2 polls of the fault words, 11 s) and
# the moment the session gives up, and online once when it answers again.
offline_events "$work/silence.jsonl" > "$work/silence.offline"
read -r offline online late < <(awk -v s=$silence_start '
    $1 == "firing" && $2 >= s - 1 && $2 <= s + 15 {n_fire++; late = $2 - s; in_silence = 1; next}
    in_silence && $1 == "resolved" {n_res++; in_silence = 0}
    END {print n_fire + 0, n_res + 0, (late == "" ? 99 : late)}' "$work/silence.offline")
[ "$offline" = 1 ] && [ "$online" = 1 ]; check "silence: one offline and one online event ($offline, $online)" $?
[ "$late" -le 15 ]; check "offline said $late s after the silence began (limit 11 s, 4 s margin)" $?
grep -q '"type":"sample".*"online":false.*"soc":null' "$work/silence.jsonl"; check "a sample while offline has null figures, not old ones" $?
grep -q '"type":"sample".*"online":true.*"soc":[0-9]' "$work/silence.jsonl"; check "a sample while online has the figures" $?

# The recording replays into the same events, as fast as it is read.
"$RCTTOP" watch --replay "$work/fault.rec" --config "$work/alerts.ini" > "$work/replay.jsonl" 2> "$work/replay.err"
status=$?
firing=$(grep -c '"state":"firing","severity":"critical","key":"fault.16"' "$work/replay.jsonl")
resolved=$(grep -c '"state":"resolved","severity":"critical","key":"fault.16"' "$work/replay.jsonl")
[ $status = 0 ] && [ "$firing" = 1 ] && [ "$resolved" = 1 ]
check "--replay: the recording's fault, one firing, one resolved (exit $status; $firing, $resolved)" $?

# A hook that cannot run is refused at start.
"$RCTTOP" watch -H 127.0.0.1:1 --on-alert /nonexistent/notify > /dev/null 2> "$work/bad.err"
status=$?
[ $status = 2 ] && grep -q "not a program" "$work/bad.err"; check "a hook that cannot run: refused at start (exit $status)" $?

finish
