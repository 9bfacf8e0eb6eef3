#!/usr/bin/env bash
# Every pane at a ladder of sizes from 30x8 to 250x80, fresh and after resizes: boxes
# closed, nothing over a border, no row wider than the terminal (tests/e2e/screen_check.py);
# at 80x24 every tab and the help whole; at 120x40 the dashboard nearly full; the smallest
# size says it is too small in full. Then the bytes: --ascii and LANG=C send pure ASCII on
# every pane; TERM=linux and TERM=xterm (8 colours) draw nothing black on the background.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CHECK="python3 $(cd "$(dirname "$0")" && pwd)/screen_check.py"
work=$(mktemp -d)
n=0
T="tmux -L rcttop-sizes-$$-0"
cleanup() { for k in $(seq 0 $n); do tmux -L rcttop-sizes-$$-$k kill-server 2>/dev/null; done; rm -rf "$work"; }
# A fresh tmux server (socket) each time: killing one and starting another on the same
# socket at once races.
fresh() { $T kill-server 2>/dev/null; n=$((n + 1)); T="tmux -L rcttop-sizes-$$-$n"; }
source "$(dirname "$0")/lib.bash"
trap cleanup EXIT
check_details() { sed 's/^/    | /' "$work/screen" 2>/dev/null; }
capture() { $T capture-pane -p -t mon > "$work/screen"; }
# checked COLS ROWS [screen_check options]: captures until the screen passes the check
# (a capture can catch a frame half drawn, more so on a busy machine), at most 15 s;
# $out is the last check's report.
screen_ok() { capture; out=$($CHECK "$1" "$2" "$work/screen" "${@:3}" 2>&1); }
checked() {
    local c=$1 r=$2
    shift 2
    retry 15 screen_ok "$c" "$r" "$@"
}
grep_screen() { capture; grep -q "$@" "$work/screen"; }
start() {  # start COLS ROWS ENV...: the demo, once it has drawn its first screen
    local c=$1 r=$2
    shift 2
    fresh
    $T new-session -d -s mon -x "$c" -y "$r" "cd $work && env $* $RCTTOP --demo --config /dev/null; sleep 120"
    retry 30 tab_is 1 || retry 5 grep_screen "too small"
}

panes_at() {  # panes_at COLS ROWS: every pane, checked
    local c=$1 r=$2
    for p in 1 2 3 4 5 6 7 8; do
        open_pane $p || { check "${c}x${r} pane $p opens" 1; continue; }
        checked "$c" "$r"
        check "${c}x${r} pane $p: $out" $?
    done
}

for size in 30x8 40x12 60x20 80x24 100x30 120x40 200x60 250x80; do
    c=${size%x*} r=${size#*x}
    start "$c" "$r" LANG=C.UTF-8 TERM=xterm-256color
    panes_at "$c" "$r"
done

# 80x24 essentials: all eight tabs, the help whole, the dashboard's parts.
start 80 24 LANG=C.UTF-8 TERM=xterm-256color
checked 80 24 --need "Power flow" --need "Battery" --need "Grid" --need "Last 15 min" \
    --need "Today" --need "Inverter" --need " 8 Link"
check "80x24 dashboard has every part and every tab: $out" $?
for t in 1 2 3 4 5 6 7 8; do
    sed -n 2p "$work/screen" | grep -q " $t [A-Z]"; check "80x24 tab $t shown with its name" $?
done
$T send-keys -t mon '?'
checked 80 24 --title-only "Keys:" --need "Keys:"
check "80x24 help box whole: $out" $?
$T send-keys -t mon End
retry 10 grep_screen "after FAULTS"; check "the help scrolls to its legend" $?
$T send-keys -t mon x
# The panes with the longest key names: every key whole in the help at 80 columns.
for k in 7 8 9; do
    $T send-keys -t mon "$k"
    $T send-keys -t mon '?'
    retry 10 grep_screen "Up Down PgUp PgDn Home End  *[a-z]"
    check "80x24 help of pane $k: its scroll keys whole, their text beside them" $?
    $T send-keys -t mon x
done
$T send-keys -t mon 1

# Larger terminals get more: the dashboard at 120x40 leaves at most 8 blank rows.
start 120 40 LANG=C.UTF-8 TERM=xterm-256color
checked 120 40 --max-blank 8
check "120x40 dashboard nearly full: $out" $?

# Resized while running, through the ladder and back.
start 80 24 LANG=C.UTF-8 TERM=xterm-256color
for size in 200x60 30x8 120x40 40x12 250x80 60x20 80x24; do
    c=${size%x*} r=${size#*x}
    $T resize-window -t mon -x "$c" -y "$r"
    checked "$c" "$r"
    check "resized to $size: $out" $?
done
$T resize-window -t mon -x 29 -y 8
retry 10 grep_screen "too small.*29x8"
check "below 30x8 the message says so" $?
$T resize-window -t mon -x 25 -y 6
whole_small() { grep_screen -x ".*too small.*" && ! grep -q "…" "$work/screen"; }
retry 10 whole_small
check "the too-small message is whole at 25x6" $?

# Pure ASCII with --ascii and under LANG=C, on every pane.
for mode in "LANG=C.UTF-8 TERM=xterm-256color --ascii" "LANG=C TERM=xterm-256color"; do
    fresh
    set -- $mode
    $T new-session -d -s mon -x 100 -y 30 "cd $work && env $1 $2 $RCTTOP --demo --config /dev/null ${3:-}; sleep 120"
    $T pipe-pane -o -t mon "cat > $work/raw"
    retry 30 tab_is 1
    for p in 2 3 4 5 6 7 8 1; do open_pane "$p"; check "pane $p opens ($mode)" $?; done
    $T send-keys -t mon '?'
    retry 10 grep_screen "Keys:"; check "the help opens ($mode)" $?
    $T send-keys -t mon x
    open_pane 3
    ! LC_ALL=C grep -q -a -P '[\x80-\xFF]' "$work/raw"; check "only ASCII bytes ($mode)" $?
done

# Eight colours: nothing black (30) on the default background, no black background (40).
for term in linux xterm; do
    fresh
    $T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=$term $RCTTOP --demo --config /dev/null; sleep 120"
    $T pipe-pane -o -t mon "cat > $work/raw"
    retry 30 tab_is 1
    for p in 2 3 6 7 8 1; do open_pane "$p"; check "pane $p opens (TERM=$term)" $?; done
    # Black text is fine on a coloured background (the active tab: black on cyan).
    ! LC_ALL=C grep -q -a -P '\x1b\[(?:[0-9;]*;)?30m(?!\x1b\[(?:[0-9;]*;)?4[1-7]m)|\x1b\[(?:[0-9;]*;)?40m' "$work/raw"
    check "TERM=$term: no black text on the background, no black background" $?
done

finish
