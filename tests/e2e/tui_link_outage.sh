#!/usr/bin/env bash
# The link rule after an outage: a device silent for 30 s and back is judged over the
# requests since it came back (the silence is the offline alert's to report), so its
# link verdict turns ok again within a minute instead of warning for the whole session.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-outage-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; }
start_sim "$work" --at 12:silent --at 42:answer || exit 1
$T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color $RCTTOP --host 127.0.0.1:$PORT --config /dev/null; sleep 60"
wait_for "online" 30; check "the monitor is online" $?
open_pane 9; check "Health opens" $?
wait_for_re "ok +[0-9]+ % of requests answered" 40; check "the link is ok before the outage" $?
wait_for_re "no answer for|offline since|degraded" 60; check "the silence shows in the status bar" $?
wait_for_re "warning +[0-9]+ % of requests answered" 60
saw_warning=$?
wait_for_re "  online  " 90; check "the device is back online" $?
back=$SECONDS
# Thirty requests settled after its return make a verdict (about 8 s at 4 requests/s); the
# whole session's ratio, outage included, would stay under 90 % for over a minute more.
wait_for_re "ok +[0-9]+ % of requests answered" 45; check "the link verdict is ok again soon after the outage" $?
echo "    (link ok $((SECONDS - back)) s after the device came back)"
echo "    (a link warning during the outage: $([ $saw_warning = 0 ] && echo seen || echo not seen))"
screen | grep -q -- "-1 ms"; [ $? != 0 ]; check "no -1 ms sentinel on the pane" $?
finish
