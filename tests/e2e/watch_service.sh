#!/usr/bin/env bash
# `rcttop watch` as a service: started with nothing listening it keeps running, says
# offline (why, since when) and, once a simulator listens on that port, online and the
# readings; SIGTERM and SIGINT are exit 0 at once; --give-up-after 3 is exit 2 after about
# 3 s with its reason on stderr and a last JSON line; a device that connects and never
# answers is no exit, and inside [alerts] expected_offline its offline is info, outside it
# a warning.
set -u
RCTTOP=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { for f in "$work"/*.jsonl "$work"/*.err; do echo "    | $f"; cut -c1-240 "$f" | tail -6 | sed 's/^/    | /'; done; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
running() { kill -0 "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# has FILE PATTERN: a line of FILE matches the extended regular expression.
has() { grep -qE -- "$2" "$1" 2>/dev/null; }
printf '[alerts]\nhold = 2\n' > "$work/hold.ini"

# A silent device (it connects, it never answers), watched inside and outside the expected
# offline window; started first, judged last: the old watch gave up on it after 34 s.
"$RCTTOP" sim --listen 127.0.0.1:0 --at 0:silent > "$work/silent.sim" 2> "$work/silent.simerr" &
retry 30 grep -q listening "$work/silent.sim"; check "the silent simulator listens" $?
silent_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/silent.sim")
# Windows of local time, as the watch judges them: this hour and the next, or the hours after.
printf '[alerts]\nhold = 2\nexpected_offline = %s-%s\n' "$(date -d '-60 min' +%H:%M)" "$(date -d '+60 min' +%H:%M)" > "$work/inside.ini"
printf '[alerts]\nhold = 2\nexpected_offline = %s-%s\n' "$(date -d '+120 min' +%H:%M)" "$(date -d '+180 min' +%H:%M)" > "$work/outside.ini"
silent_start=$(date +%s)
"$RCTTOP" watch -H 127.0.0.1:$silent_port --config "$work/inside.ini" --samples 5 > "$work/inside.jsonl" 2> "$work/inside.err" &
inside=$!
"$RCTTOP" watch -H 127.0.0.1:$silent_port --config "$work/outside.ini" --samples 5 > "$work/outside.jsonl" 2> "$work/outside.err" &
outside=$!

# Nothing listens: the watch keeps running and says offline, refused, since its start.
port=$(free_port)
start=$(date +%s)
"$RCTTOP" watch -H 127.0.0.1:$port --config "$work/hold.ini" --samples 2 > "$work/boot.jsonl" 2> "$work/boot.err" &
boot=$!
offline='"type":"event","event":"offline","state":"firing","severity":"warning"'
retry 30 has "$work/boot.jsonl" "$offline"; check "nothing listening: an offline event" $?
python3 - "$work/boot.jsonl" "$start" "$port" <<'PY'
import datetime, json, sys
ev = [j for j in map(json.loads, open(sys.argv[1], encoding="utf-8")) if j.get("event") == "offline"][0]
assert "refused" in ev["cause"].lower() and "refused" in ev["message"].lower(), ev
since = datetime.datetime.fromisoformat(ev["since"]).timestamp()
assert int(sys.argv[2]) - 2 <= since <= int(sys.argv[2]) + 5, (ev["since"], sys.argv[2])
assert ev["device"]["address"] == "127.0.0.1:" + sys.argv[3], ev["device"]
PY
check "the offline event says why (refused) and since when (the start)" $?
samples_while_down() { [ "$(grep -c '"type":"sample".*"online":false' "$work/boot.jsonl")" -ge 3 ]; }
retry 30 samples_while_down; check "and keeps running while nothing listens (samples: online false)" $?
running $boot; check "still running" $?

# The inverter comes up on that port: online again, and the readings.
"$RCTTOP" sim --listen 127.0.0.1:$port > "$work/late.sim" 2> "$work/late.simerr" &
retry 30 grep -q listening "$work/late.sim"; check "a simulator on the port that refused" $?
online='"type":"event","event":"offline","state":"resolved"'
retry 60 has "$work/boot.jsonl" "$online"; check "an online event (offline resolved)" $?
grep "$online" "$work/boot.jsonl" | grep -q '"message":"device online again after [0-9]'; check "which says how long it was offline" $?
retry 30 has "$work/boot.jsonl" '"type":"sample".*"online":true.*"soc":[0-9]'; check "readings in the samples" $?
kill -TERM $boot
retry 10 gone $boot; check "SIGTERM: it ends at once" $?
wait $boot; status=$?
[ $status = 0 ]; check "SIGTERM: exit 0 (got $status)" $?
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$work/boot.jsonl"
check "every line written whole (JSON to the end)" $?

# SIGINT, with nothing listening: exit 0 as well.
"$RCTTOP" watch -H 127.0.0.1:$(free_port) > "$work/int.jsonl" 2> "$work/int.err" &
int=$!
retry 30 has "$work/int.jsonl" "$offline"; check "another watch of nothing: offline" $?
kill -INT $int
retry 10 gone $int; check "SIGINT: it ends at once" $?
wait $int; status=$?
[ $status = 0 ]; check "SIGINT: exit 0 (got $status)" $?

# Giving up is an option.
t0=$(date +%s)
"$RCTTOP" watch -H 127.0.0.1:$(free_port) --give-up-after 3 > "$work/giveup.jsonl" 2> "$work/giveup.err" &
giveup=$!
retry 60 gone $giveup; check "--give-up-after 3: it ends" $?
wait $giveup; status=$?
took=$(( $(date +%s) - t0 ))
[ $status = 2 ]; check "--give-up-after 3: exit 2 (got $status)" $?
[ $took -ge 3 ]; check "not before 3 s ($took s)" $?
grep -q "no answer from 127.0.0.1:[0-9]* for 3 s (.*refused.*): giving up" "$work/giveup.err"; check "the reason on stderr" $?
tail -1 "$work/giveup.jsonl" | grep -q '"type":"give_up","message":"no answer from .* for 3 s.*"cause":".*refused'
check "and the last JSON line says it" $?
"$RCTTOP" watch -H 127.0.0.1:1 --give-up-after 0.5 > /dev/null 2> "$work/badgiveup.err"; status=$?
[ $status = 2 ] && grep -q -- "--give-up-after must be a number from 1" "$work/badgiveup.err"
check "--give-up-after 0.5: refused as an option (exit $status)" $?

# The silent device, 40 s on: no exit (the old limit was 34 s), offline info inside the
# expected window and no warning; outside it the warning.
ran_40s() { python3 - "$1" "$silent_start" <<'PY'
import datetime, json, sys
t = [datetime.datetime.fromisoformat(j["time"]).timestamp()
     for j in map(json.loads, open(sys.argv[1], encoding="utf-8")) if j["type"] == "sample"]
sys.exit(0 if t and t[-1] >= int(sys.argv[2]) + 40 else 1)
PY
}
retry 90 ran_40s "$work/inside.jsonl"; check "silent inside the window: samples 40 s on" $?
retry 30 ran_40s "$work/outside.jsonl"; check "silent outside the window: samples 40 s on" $?
running $inside && running $outside; check "neither gave up on the silent device" $?
has "$work/inside.jsonl" '"event":"offline","state":"firing","severity":"info".*expected offline window.*"cause":"connected, but no answer"'
check "inside the window: offline is info" $?
! has "$work/inside.jsonl" '"event":"offline","state":"firing","severity":"(warning|critical)"'
check "inside the window: no offline alert" $?
has "$work/outside.jsonl" '"event":"offline","state":"firing","severity":"warning".*"cause":"connected, but no answer"'
check "outside the window: offline is an alert (warning)" $?
kill -TERM $inside $outside
wait $inside; s1=$?
wait $outside; s2=$?
[ $s1 = 0 ] && [ $s2 = 0 ]; check "SIGTERM: exit 0 ($s1 $s2)" $?
finish
