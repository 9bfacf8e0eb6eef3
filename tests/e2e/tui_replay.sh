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
    retry "$3" grep_pane "$1" "$2"
}
grep_pane() { $T capture-pane -p -t "$1" 2>/dev/null | grep -q -- "$2"; }
# The live monitor has quit (and closed its recording) once its shell runs `sleep`.
live_gone() { [ "$($T display-message -p -t live '#{pane_current_command}')" = sleep ]; }
start_sim "$work" --latency 20 --jitter 30 --drop 0.08 --crc-errors 0.03 \
    --noise 0.1 --foreign 0.05 --faults-cycle 6 --disconnect-every 15
ENV="env LANG=C.UTF-8 TERM=xterm-256color"
CELLS=$(cd "$(dirname "$0")" && pwd)/screen_cells.py
cd "$work" || exit 1

$T new-session -d -s live -x 100 -y 30 "$ENV $RCTTOP --host 127.0.0.1:$PORT --timeout 0.5 --config /dev/null --record $work/live.rec; sleep 60"
# Long enough for a fault to come and go and a reconnect or two (--disconnect-every 15):
# what is recorded, not how fast, is what the comparison needs.
retry 30 tab_is 1 live; check "the live monitor starts" $?
retry 30 grep_pane live "online"
# Record until the device has dropped the connection once (--disconnect-every 15) and a
# fault has come and gone (--faults-cycle 6): what is recorded, not how fast, matters.
retry 60 grep -aq "disconnected: " "$work/live.rec"; check "the live monitor sees a disconnect" $?
$T send-keys -t live p
snapshots() { ls rcttop-snapshot-*.txt 2>/dev/null | wc -l; }
newest_snapshot_shown() {  # the key bar names the snapshot just written
    local name
    name=$(ls -t rcttop-snapshot-*.txt 2>/dev/null | head -1)
    [ -n "$name" ] && [ "$(snapshots)" -gt "$1" ] && grep_pane live "${name%.txt}"
}
for k in 1 2 3 4 5 6 7 8 9; do
    open_pane "$k" live; check "live pane $k opens" $?
    case $k in 4|5) sleep 2 ;; esac  # a history walk runs meanwhile (paused: not drawn)
    # `s` writes the snapshot, marks the recording and draws the screen of that moment
    # (the display is paused: nothing else draws), so the capture is of the mark.
    before=$(snapshots)
    $T send-keys -t live s
    retry 20 newest_snapshot_shown "$before"; check "live pane $k: the snapshot is written and shown" $?
    $T capture-pane -e -p -t live > "$work/live$k.txt"
done
# Play again and let the history walks the snapshots caught loading finish, so that the
# recording holds the pages they were waiting for (the replay then says "loading" too,
# not "not in the recording").
$T send-keys -t live p
not_loading() { ! grep_pane live "loading"; }
for k in 4 5; do
    open_pane "$k" live && retry 90 not_loading; check "live pane $k finishes loading" $?
done
$T send-keys -t live q
retry 10 live_gone
"$RCTTOP" decode "$work/live.rec" > "$work/live.dec"
mapfile -t marks < <(sed -n 's/^# \([0-9-]* [0-9:.]*\)  *snapshot$/\1/p' "$work/live.dec")
[ ${#marks[@]} = 9 ]; check "each snapshot is marked in the recording (${#marks[@]} of 9)" $?
grep -q "disconnected: .*; retry in [0-9]* ms" "$work/live.dec"; check "reconnects are in the recording, with their delay" $?
ls rcttop-snapshot-*.rctrec > /dev/null 2>&1; check "a snapshot writes the last 15 minutes beside it" $?

$T new-session -d -s rep -x 100 -y 30 "$ENV $RCTTOP replay $work/live.rec --paused --config /dev/null; sleep 60"
wait_for rep "REPLAY" 20; check "the replay starts, marked REPLAY" $?
same=0
cells_same() {  # cells_same K: the replay's pane K now, cell for cell as it was live
    $T capture-pane -e -p -t rep > "$work/rep$1.txt"
    # The Health pane's list of alerts is a log of moments judged once a tick: a replay's
    # ticks fall a fraction of a second off the live ones, so its rows may say a second
    # or a link state apart. Its heading (how many fired) must match; the rows are left out.
    local last=29 heading
    heading=$(grep -n "Alerts: " "$work/live$1.txt" | head -1 | cut -d: -f1)
    if [ "$1" = 9 ] && [ -n "$heading" ]; then
        last=$((heading - 1))
        [ "$(sed -n "${heading}p" "$work/live$1.txt" | sed 's/\x1b\[[0-9;]*m//g')" = \
          "$(sed -n "${heading}p" "$work/rep$1.txt" | sed 's/\x1b\[[0-9;]*m//g')" ] || return 1
    fi
    diff <(python3 "$CELLS" "$work/live$1.txt" 2 $last) <(python3 "$CELLS" "$work/rep$1.txt" 2 $last) \
        > "$work/diff$1.txt"
}
for i in $(seq 0 8); do
    k=$((i + 1))
    mark=${marks[$i]:-none}
    $T send-keys -t rep g
    $T send-keys -t rep -l "$mark"
    $T send-keys -t rep Enter
    # There when the status bar says the mark's second and the pane's tab is open.
    retry 20 grep_pane rep "REPLAY ${mark%.*}"; check "g $mark: the replay is there" $?
    open_pane "$k" rep
    # A capture can catch a frame half drawn: compare again until it is whole (or 10 s).
    if retry 10 cells_same "$k"; then
        same=$((same + 1))
    else
        echo "pane $k at $mark differs:"; head -20 "$work/diff$k.txt"
    fi
    # The live status bar ends in its clock, or (when the link's state is long) that state.
    status=$(head -1 "$work/live$k.txt" | sed 's/\x1b\[[0-9;]*m//g')
    clock=$(echo "$status" | sed -n 's/.* \([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) *$/\1/p')
    [ "$clock" ] || clock=$(echo "$status" | sed -n 's/.*\(offline since [0-9:]*\).*/\1/p')
    # Marks (faults, findings, alerts) take the room of the link's details first, the clock
    # among them: a live bar that had no room for it leaves only REPLAY to be said.
    $T capture-pane -p -t rep | head -1 | grep -q "REPLAY.*${clock}"
    check "pane $k: the status bar says REPLAY${clock:+ and $clock}" $?
done
[ $same = 9 ]; check "all nine panes replay as they were live ($same of 9 the same)" $?

# The keys: play, speed, seek, the end.
status_says() { $T capture-pane -p -t rep | head -1 | grep -q "$1"; }
$T send-keys -t rep g; $T send-keys -t rep -l start; $T send-keys -t rep Enter
retry 10 status_says "REPLAY.* PAUSED x1 0:00/"; check "g start: paused at 0:00" $?
$T send-keys -t rep +
retry 10 status_says "REPLAY.* PAUSED x2 0:00/"; check "+ while paused: the speed shows at once" $?
$T send-keys -t rep -
$T send-keys -t rep + + +
$T send-keys -t rep Space
playing_x8() { status_says "REPLAY.* x8 [0-9:]*/" && ! status_says " x8 0:00/"; }
retry 10 playing_x8; check "+ + + and Space: playing at x8" $?
$T send-keys -t rep Space '>' '>' '>'
retry 10 status_says "REPLAY.* END [0-9:]*/"; check "> past the end stops at the end" $?
# Left: back one step from the end: a twentieth of the recording, 1 s to 1 min.
end=$($T capture-pane -p -t rep | head -1 | sed -n 's/.* END \([0-9]*\):\([0-9]*\)\/.*/\1 \2/p')
end_s=$(( ${end% *} * 60 + 10#${end#* } ))
step=$(( end_s / 20 )); [ $step -ge 1 ] || step=1; [ $step -le 60 ] || step=60
$T send-keys -t rep Left
back_by_step() {
    local at
    at=$($T capture-pane -p -t rep | head -1 | sed -n 's/.* PAUSED x[0-9/]* \([0-9]*\):\([0-9]*\)\/.*/\1 \2/p')
    [ -n "$at" ] || return 1
    local at_s=$(( ${at% *} * 60 + 10#${at#* } ))
    [ $(( end_s - at_s - step )) -ge -1 ] && [ $(( end_s - at_s - step )) -le 1 ]
}
retry 10 back_by_step; check "Left goes back one step of $step s from $end_s s" $?
$T send-keys -t rep g; $T send-keys -t rep -l 99:99; $T send-keys -t rep Enter
retry 10 eval '$T capture-pane -p -t rep | tail -1 | grep -q "not a time"'; check "g with a bad time says so" $?
$T send-keys -t rep q

# A snapshot's kept window replays on its own.
kept=$(ls rcttop-snapshot-*.rctrec | tail -1)
$T new-session -d -s kept -x 80 -y 24 "$ENV $RCTTOP replay $work/$kept --paused --at end --config /dev/null; sleep 60"
wait_for kept "REPLAY" 20 && open_pane 7 kept
retry 10 grep_pane kept "sn\|serial"; check "the kept window replays (Device pane shows the identity)" $?
"$RCTTOP" replay "$work/nothing.rec" > "$work/err.txt" 2>&1 < /dev/null
[ $? = 2 ] && grep -q "cannot open" "$work/err.txt"; check "replay of a missing file: a clear message, exit 2" $?
printf 'not a recording\n' > "$work/junk.rec"
$T new-session -d -s junk -x 80 -y 24 "$RCTTOP replay $work/junk.rec > $work/junk.out 2>&1; echo rc=\$? >> $work/junk.out"
retry 20 grep -q "rc=" "$work/junk.out"
grep -q "is not an rcttop recording" "$work/junk.out" && grep -q "rc=2" "$work/junk.out"
check "replay of something else: says it is not a recording, exit 2" $?
finish
