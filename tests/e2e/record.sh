#!/usr/bin/env bash
# Recording: --record on a device command and on the monitor writes every byte both ways
# with times and direction (a private file, a header naming version, host and start);
# `rcttop decode` reads it back frame by frame; --record-max stops it with a note.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-record-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
start_sim "$work" --noise 0.2 --unsolicited 1
# Timeouts of 2 s, not 0.4: what is recorded is the point here, not how fast, and a
# sanitizer build on a busy machine can take longer than 0.4 s to answer.

"$RCTTOP" dump --group battery --host 127.0.0.1:$PORT --rate 200 --timeout 2 --record "$work/dump.rec" > "$work/dump.txt" 2>/dev/null
[ "$(stat -c %a "$work/dump.rec")" = 600 ]; check "the recording is private (0600)" $?
head -1 "$work/dump.rec" | grep -q "^RCTREC 1$" && grep -a -q "^host: 127.0.0.1:$PORT$" "$work/dump.rec"
check "a header with the format version and the host" $?
"$RCTTOP" decode --format json "$work/dump.rec" > "$work/dec.json"
reads=$(grep -c '"direction":"client->device","stream":[0-9]*,"command":"READ"' "$work/dec.json")
answers=$(grep -c '"direction":"device->client",.*"command":"RESPONSE"' "$work/dec.json")
rows=$(grep -c '^[^ ]' "$work/dump.txt")   # continuation lines of a module's cells are no OID
[ "$reads" -ge "$rows" ]; check "every READ sent is in the recording ($reads for $rows OIDs)" $?
[ "$answers" -gt 0 ]; check "and the answers ($answers)" $?
"$RCTTOP" decode "$work/dump.rec" | grep -Eq "^# [0-9-]+ [0-9:.]+ +connected to 127.0.0.1:$PORT"; check "connects are noted, with their time" $?

$T new-session -d -s mon -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --record $work/mon.rec --config /dev/null; sleep 30"
answered() { "$RCTTOP" decode "$work/mon.rec" 2>/dev/null | grep -Eq "device -> client +RESPONSE"; }
retry 30 answered
$T send-keys -t mon q
retry 20 shell_waits
"$RCTTOP" decode "$work/mon.rec" > "$work/mon.txt"
grep -Eq "client -> device +READ" "$work/mon.txt" && grep -Eq "device -> client +RESPONSE" "$work/mon.txt"
check "the monitor records both directions" $?

"$RCTTOP" dump --group battery --host 127.0.0.1:$PORT --rate 200 --timeout 2 --record "$work/small.rec" --record-max 0.01 > /dev/null 2>&1
size=$(stat -c %s "$work/small.rec")
[ "$size" -lt 10200 ]; check "--record-max 0.01 keeps the file near 10 kB ($size bytes)" $?
"$RCTTOP" decode "$work/small.rec" | grep -q "recording stopped: --record-max reached"; check "and says it stopped" $?
# --replay: a command reads its values from a recording instead of a device.
"$RCTTOP" get battery.soc battery.soh --replay "$work/dump.rec" > "$work/replay.txt"
grep -q "^battery.soc .*%" "$work/replay.txt" && grep -q "^battery.soh .*%" "$work/replay.txt"
check "get --replay gives the recorded values" $?
"$RCTTOP" faults --host 127.0.0.1:$PORT --timeout 2 --record "$work/faults.rec" > /dev/null 2>&1
"$RCTTOP" faults --replay "$work/faults.rec" > /dev/null
[ $? = 0 ]; check "faults --replay: the recorded fault words (none active)" $?
printf 'RCTREC 1\nx: y\n\n>\x00\x01' > "$work/broken.rec"
"$RCTTOP" decode "$work/broken.rec" > /dev/null 2> "$work/err"
[ $? = 2 ] && grep -q "damaged\|cut off" "$work/err"; check "a damaged recording is said, not guessed" $?
finish
