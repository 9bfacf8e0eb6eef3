#!/usr/bin/env bash
# Replay: a monitor session recorded against a simulator with its quirks on (latency,
# lost answers, CRC errors, junk, foreign answers, reconnects, a fault that comes and
# goes) replays to the same screens. Live, the display is paused and each pane is
# snapshotted (`s` marks the moment in the recording); the replay goes to each mark
# with `g` and must show the pane as it was, cell for cell and attribute for attribute
# (only the status bar and the key bar, which say PAUSED/REPLAY, are left out). Then the
# replay keys: pause, seek, speed, the end, and a snapshot's own last-15-minutes file.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-replay-$$"
source "$(dirname "$0")/lib.bash"
cleanup() { $T kill-server 2>/dev/null; kill $SIM_PID 2>/dev/null; wait 2>/dev/null; [ "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
wait_for() {  # wait_for SESSION PATTERN SECONDS: PATTERN is a regular expression (not lib.bash's wait_for)
    for _ in $(seq $(($3 * 10))); do
        $T capture-pane -p -t "$1" | grep -q -- "$2" && return 0
        sleep 0.1
    done
    return 1
}
start_sim "$work" --latency 20 --jitter 30 --drop 0.08 --crc-errors 0.03 \
    --noise 0.1 --foreign 0.05 --faults-cycle 6 --disconnect-every 15
ENV="env LANG=C.UTF-8 TERM=xterm-256color"
CELLS=$(cd "$(dirname "$0")" && pwd)/screen_cells.py
cd "$work" || exit 1

$T new-session -d -s live -x 100 -y 30 "$ENV $RCTTOP --host 127.0.0.1:$PORT --timeout 0.5 --config /dev/null --record $work/live.rec; sleep 60"
sleep 9
$T send-keys -t live p
for k in 1 2 3 4 5 6 7 8 9; do
    $T send-keys -t live "$k"
    case $k in 4|5) sleep 2.5 ;; *) sleep 0.6 ;; esac
    $T send-keys -t live s
    sleep 0.5
    $T capture-pane -e -p -t live > "$work/live$k.txt"
done
$T send-keys -t live q
sleep 0.5
"$RCTTOP" decode "$work/live.rec" > "$work/live.dec"
mapfile -t marks < <(sed -n 's/^# \([0-9-]* [0-9:.]*\)  snapshot$/\1/p' "$work/live.dec")
[ ${#marks[@]} = 9 ]; check "each snapshot is marked in the recording (${#marks[@]} of 9)" $?
grep -q "disconnected: .*; retry in [0-9]* ms" "$work/live.dec"; check "reconnects are in the recording, with their delay" $?
ls rcttop-snapshot-*.rctrec > /dev/null 2>&1; check "a snapshot writes the last 15 minutes beside it" $?

$T new-session -d -s rep -x 100 -y 30 "$ENV $RCTTOP replay $work/live.rec --paused --config /dev/null; sleep 60"
wait_for rep "REPLAY" 5; check "the replay starts, marked REPLAY" $?
same=0
for i in $(seq 0 8); do
    k=$((i + 1))
    $T send-keys -t rep g
    $T send-keys -t rep -l "${marks[$i]:-none}"
    $T send-keys -t rep Enter
    sleep 0.3
    $T send-keys -t rep "$k"
    sleep 0.8
    $T capture-pane -e -p -t rep > "$work/rep$k.txt"
    if diff <(python3 "$CELLS" "$work/live$k.txt" 2 29) <(python3 "$CELLS" "$work/rep$k.txt" 2 29) > "$work/diff$k.txt"; then
        same=$((same + 1))
    else
        echo "pane $k at ${marks[$i]:-?} differs:"; head -20 "$work/diff$k.txt"
    fi
    # The live status bar ends in its clock, or (when the link's state is long) that state.
    status=$(head -1 "$work/live$k.txt" | sed 's/\x1b\[[0-9;]*m//g')
    clock=$(echo "$status" | sed -n 's/.* \([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) *$/\1/p')
    [ "$clock" ] || clock=$(echo "$status" | sed -n 's/.*\(offline since [0-9:]*\).*/\1/p')
    $T capture-pane -p -t rep | head -1 | grep -q "REPLAY.*${clock:-no clock in the live status}"
    check "pane $k: the status bar says REPLAY and ${clock:-?}" $?
done
[ $same = 9 ]; check "all nine panes replay as they were live ($same of 9 the same)" $?

# The keys: play, speed, seek, the end.
$T send-keys -t rep g; $T send-keys -t rep -l start; $T send-keys -t rep Enter
sleep 0.3
$T capture-pane -p -t rep | head -1 | grep -q "REPLAY.* PAUSED 0:00/"; check "g start: paused at 0:00" $?
$T send-keys -t rep + + +
$T send-keys -t rep Space
sleep 1.2
$T capture-pane -p -t rep | head -1 | grep -q "REPLAY.* x8 0:0[5-9]/"; check "+ + + and Space: playing at x8" $?
$T send-keys -t rep Space Right
sleep 0.3
$T capture-pane -p -t rep | head -1 | grep -q "REPLAY.* END 0:[2-3][0-9]/"; check "Right past the end stops at the end" $?
$T send-keys -t rep Left
sleep 0.3
$T capture-pane -p -t rep | head -1 | grep -q "REPLAY.* PAUSED 0:00/"; check "Left goes back a minute (to the start)" $?
$T send-keys -t rep g; $T send-keys -t rep -l 99:99; $T send-keys -t rep Enter
sleep 0.3
$T capture-pane -p -t rep | tail -1 | grep -q "not a time"; check "g with a bad time says so" $?
$T send-keys -t rep q
sleep 0.3

# A snapshot's kept window replays on its own.
kept=$(ls rcttop-snapshot-*.rctrec | tail -1)
$T new-session -d -s kept -x 80 -y 24 "$ENV $RCTTOP replay $work/$kept --paused --at end --config /dev/null; sleep 60"
wait_for kept "REPLAY" 5 && $T send-keys -t kept 7 && sleep 0.5
$T capture-pane -p -t kept | grep -q "sn\|serial"; check "the kept window replays (Device pane shows the identity)" $?
"$RCTTOP" replay "$work/nothing.rec" > "$work/err.txt" 2>&1 < /dev/null
[ $? = 2 ] && grep -q "cannot open" "$work/err.txt"; check "replay of a missing file: a clear message, exit 2" $?
printf 'not a recording\n' > "$work/junk.rec"
$T new-session -d -s junk -x 80 -y 24 "$RCTTOP replay $work/junk.rec > $work/junk.out 2>&1; echo rc=\$? >> $work/junk.out"
sleep 1
grep -q "is not an rcttop recording" "$work/junk.out" && grep -q "rc=2" "$work/junk.out"
check "replay of something else: says it is not a recording, exit 2" $?
finish
