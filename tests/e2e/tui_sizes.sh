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
start() {  # start COLS ROWS ENV...
    local c=$1 r=$2
    shift 2
    fresh
    $T new-session -d -s mon -x "$c" -y "$r" "cd $work && env $* $RCTTOP --demo --config /dev/null; sleep 120"
    sleep 2.5
}

panes_at() {  # panes_at COLS ROWS: every pane, checked
    local c=$1 r=$2
    for p in 1 2 3 4 5 6 7 8; do
        $T send-keys -t mon $p
        sleep 0.4
        capture
        out=$($CHECK "$c" "$r" "$work/screen")
        ok=$?
        check "${c}x${r} pane $p: $out" $ok
    done
}

for size in 30x8 40x12 60x20 80x24 100x30 120x40 200x60 250x80; do
    c=${size%x*} r=${size#*x}
    start "$c" "$r" LANG=C.UTF-8 TERM=xterm-256color
    panes_at "$c" "$r"
done

# 80x24 essentials: all eight tabs, the help whole, the dashboard's parts.
start 80 24 LANG=C.UTF-8 TERM=xterm-256color
sleep 3
capture
out=$($CHECK 80 24 "$work/screen" --need "Power flow" --need "Battery" --need "Grid" \
      --need "Last 15 min" --need "Today" --need "Inverter" --need " 8 Link")
ok=$?; check "80x24 dashboard has every part and every tab: $out" $ok
for t in 1 2 3 4 5 6 7 8; do
    sed -n 2p "$work/screen" | grep -q " $t [A-Z]"; check "80x24 tab $t shown with its name" $?
done
$T send-keys -t mon '?'
sleep 0.5
capture
out=$($CHECK 80 24 "$work/screen" --title-only "Keys:" --need "Keys:")
ok=$?; check "80x24 help box whole: $out" $ok
$T send-keys -t mon End
sleep 0.3
capture
grep -q "after FAULTS" "$work/screen"; check "the help scrolls to its legend" $?
$T send-keys -t mon x

# Larger terminals get more: the dashboard at 120x40 leaves at most 8 blank rows.
start 120 40 LANG=C.UTF-8 TERM=xterm-256color
sleep 3
capture
out=$($CHECK 120 40 "$work/screen" --max-blank 8)
ok=$?; check "120x40 dashboard nearly full: $out" $ok

# Resized while running, through the ladder and back.
start 80 24 LANG=C.UTF-8 TERM=xterm-256color
for size in 200x60 30x8 120x40 40x12 250x80 60x20 80x24; do
    c=${size%x*} r=${size#*x}
    $T resize-window -t mon -x "$c" -y "$r"
    sleep 0.7
    capture
    out=$($CHECK "$c" "$r" "$work/screen")
    ok=$?; check "resized to $size: $out" $ok
done
$T resize-window -t mon -x 29 -y 8
sleep 0.5
capture
grep -q "terminal too small (29x8, need 30x8)" "$work/screen" || grep -q "too small" "$work/screen"
check "below 30x8 the message says so" $?
$T resize-window -t mon -x 25 -y 6
sleep 0.5
capture
grep -qx ".*too small.*" "$work/screen" && ! grep -q "…" "$work/screen"
check "the too-small message is whole at 25x6" $?

# Pure ASCII with --ascii and under LANG=C, on every pane.
for mode in "LANG=C.UTF-8 TERM=xterm-256color --ascii" "LANG=C TERM=xterm-256color"; do
    fresh
    set -- $mode
    $T new-session -d -s mon -x 100 -y 30 "cd $work && env $1 $2 $RCTTOP --demo --config /dev/null ${3:-}; sleep 120"
    $T pipe-pane -o -t mon "cat > $work/raw"
    sleep 2.5
    for p in 1 2 3 4 5 6 7 8 '?'; do $T send-keys -t mon "$p"; sleep 0.6; done
    $T send-keys -t mon x 3
    sleep 0.5
    ! LC_ALL=C grep -q -a -P '[\x80-\xFF]' "$work/raw"; check "only ASCII bytes ($mode)" $?
done

# Eight colours: nothing black (30) on the default background, no black background (40).
for term in linux xterm; do
    fresh
    $T new-session -d -s mon -x 100 -y 30 "cd $work && env LANG=C.UTF-8 TERM=$term $RCTTOP --demo --config /dev/null; sleep 120"
    $T pipe-pane -o -t mon "cat > $work/raw"
    sleep 2.5
    for p in 1 2 3 6 7 8; do $T send-keys -t mon "$p"; sleep 0.5; done
    # Black text is fine on a coloured background (the active tab: black on cyan).
    ! LC_ALL=C grep -q -a -P '\x1b\[(?:[0-9;]*;)?30m(?!\x1b\[(?:[0-9;]*;)?4[1-7]m)|\x1b\[(?:[0-9;]*;)?40m' "$work/raw"
    check "TERM=$term: no black text on the background, no black background" $?
done

finish
