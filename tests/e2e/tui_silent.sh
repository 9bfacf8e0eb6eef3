#!/usr/bin/env bash
# A device that answered and went silent (the simulator stops answering after 6 s and
# keeps the connection) is "no answer for N s (last answer HH:MM:SS)" in the status bar
# and the link log, through every reconnect; never "connected, no answer yet", which is
# for a device that never answered.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-silent-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; head -20 "$work/err" 2>/dev/null; }

start_sim "$work" --at 6:silent || exit 1
$T new-session -d -s mon -x 140 -y 36 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color \
    $RCTTOP --host 127.0.0.1:$PORT --config /dev/null 2> $work/err; sleep 60"
wait_for "online" 20; check "the device answers first" $?
open_pane 8; check "the Link pane opens" $?
wait_for_re "no answer for [0-9]+ s \(last answer [0-9]{2}:[0-9]{2}:[0-9]{2}\)" 40
check "silent: 'no answer for N s (last answer HH:MM:SS)'" $?

# Watched until the monitor has connected again twice: every screen on the way.
said_no_answer_yet=0
reconnected() { screen | grep -qE "reconnects [2-9]"; }
deadline=$(( $(date +%s) + 90 ))
while ! reconnected && [ "$(date +%s)" -lt $deadline ]; do
    screen | grep -q "no answer yet" && said_no_answer_yet=1
    sleep 0.2
done
reconnected; check "the monitor connected again twice" $?
[ $said_no_answer_yet = 0 ]; check "never 'connected, no answer yet' for a device that answered" $?
screen | grep -qE "^ [0-9:.]+ \* no answer for [0-9]+ s \(last answer "
check "the link log says so when it connects again" $?
! grep -q "runtime error\|AddressSanitizer" "$work/err"; check "no sanitizer report" $?

finish
