#!/usr/bin/env bash
# The mouse is on by default, like htop (README, `help monitor`): with no configuration
# file and no flag, a click on a tab opens it (`mouse = no` turning it off is tested with
# the option table's defaults). The click is the bytes an xterm sends for it (SGR mode 1006, which xterm-256color's kmous names), typed
# into the pane by tmux.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-mouse-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT
check_details() { print_pane; head -20 "$work/err" 2>/dev/null; }

# click ROW COLUMN: a left press and release at 1-based ROW, COLUMN.
click() {
    $T send-keys -t mon -l $'\e[<0;'"$2;$1"'M'
    $T send-keys -t mon -l $'\e[<0;'"$2;$1"'m'
}
# tab_column DIGIT: the 1-based column of DIGIT's tab on the tab row (the second).
tab_column() {
    screen | sed -n 2p | python3 -c "import sys; l = sys.stdin.read(); print(l.index(' $1 ') + 2)"
}

$T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=xterm-256color \
    XDG_CONFIG_HOME=$work/none $RCTTOP --demo 2> $work/err; sleep 60"
retry 30 tab_is 1; check "the demo opens on the dashboard" $?
click 2 "$(tab_column 4)"
retry 10 tab_is 4; check "a click on tab 4 opens Events, with no file and no flag" $?
wait_for "Event log (" 10; check "the Events pane is drawn" $?
click 2 "$(tab_column 9)"
retry 10 tab_is 9; check "a click on tab 9 opens Health" $?
! grep -q "runtime error\|AddressSanitizer" "$work/err"; check "no sanitizer report" $?

finish
