# Helpers shared by the end-to-end scripts in tests/e2e. Not a test itself: the name does
# not end in .sh, so tests/CMakeLists.txt does not pick it up. A script sources it after
# `set -u` and after setting RCTTOP (the binary, for start_sim):
#     source "$(dirname "$0")/lib.bash"
# The tmux helpers use $T, the script's tmux command (T="tmux -L SOCKET"), as it is when
# they are called; their session defaults to "mon".

pass=0 fails=0  # the counts check keeps and finish reports
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIM_PID=        # the simulator start_sim started, empty when none runs
# What `check` keeps between runs (energy totals, its lock) goes under the script's own
# scratch directory, never the user's: a test must not read what another left behind.
if [ -n "${work:-}" ]; then
    export XDG_STATE_HOME=$work/xdg-state XDG_RUNTIME_DIR=$work/xdg-run
    mkdir -p "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
fi

# check NAME STATUS: counts a pass when STATUS is 0, else prints "FAIL: NAME" and counts a
# failure. A script that wants more said on a failure (the screen, a log) defines
# check_details, which is called after the FAIL line with check's own arguments. Always
# returns 0.
check() {
    [ -z "${CHECK_TIMES:-}" ] || echo "  [$SECONDS s] $1" >&2
    if [ "$2" = 0 ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: $1"
        if declare -F check_details > /dev/null; then check_details "$@"; fi
        fails=$((fails + 1))
    fi
}

# finish: the summary line ctest shows; returns 0 when nothing failed. The script's last
# command, so that its status is the script's.
finish() {
    echo "$pass passed, $fails failed"
    [ "$fails" = 0 ]
}

# start_sim WORKDIR ARGS...: stops the simulator running (if any), then starts
# `$RCTTOP sim --listen 127.0.0.1:0 ARGS...` in the background, its stdout in
# WORKDIR/sim.out and stderr in WORKDIR/sim.err. Sets SIM_PID and PORT (the port from its
# "listening on HOST:PORT" line). When it exits or does not listen within 30 s (a busy
# machine is slow to start it) it says so
# on stderr with the end of sim.err, leaves PORT empty and returns 1.
start_sim() {
    local dir=$1
    shift
    stop_sim
    # Emptied first: the new simulator's shell opens the file a moment after this returns,
    # and until then the last simulator's "listening" line (an old port) would be read.
    : > "$dir/sim.out"
    "$RCTTOP" sim --listen 127.0.0.1:0 "$@" > "$dir/sim.out" 2> "$dir/sim.err" &
    SIM_PID=$!
    PORT=
    for _ in $(seq 300); do
        if grep -q listening "$dir/sim.out" 2>/dev/null; then
            PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$dir/sim.out")
            break
        fi
        kill -0 "$SIM_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$PORT" ]; then
        local why="did not listen within 30 s"
        kill -0 "$SIM_PID" 2>/dev/null || why="exited without listening"
        echo "start_sim: the simulator $why: rcttop sim --listen 127.0.0.1:0 $*" >&2
        tail -5 "$dir/sim.err" 2>/dev/null | sed 's/^/    | /' >&2
        return 1
    fi
}

# cleanup_work: for `trap cleanup_work EXIT`: stops the tmux server $T (when T is set),
# the simulator and any other background job, and removes the scratch directory $work.
cleanup_work() {
    [ -z "${T:-}" ] || $T kill-server 2>/dev/null
    kill $SIM_PID 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}

# stop_sim: stops the simulator start_sim started, if any, and waits for it.
stop_sim() {
    [ -n "$SIM_PID" ] || return 0
    kill "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
    SIM_PID=
}

# screen [SESSION]: the text the tmux pane shows now.
screen() { $T capture-pane -p -t "${1:-mon}"; }

# print_pane [SESSION]: the pane's text indented under a FAIL line, for check_details.
print_pane() { $T capture-pane -p -t "${1:-mon}" 2>/dev/null | sed 's/^/    | /'; }

# wait_for_pane SESSION TEXT [SECONDS]: polls the pane every 0.2 s until it shows TEXT (a
# fixed string, not a pattern); returns 1 when SECONDS (default 20) pass first.
wait_for_pane() {
    local deadline=$(( $(date +%s) + ${3:-20} ))
    while [ "$(date +%s)" -lt $deadline ]; do
        $T capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
        sleep 0.2
    done
    return 1
}

# wait_for TEXT [SECONDS]: wait_for_pane on the session "mon".
wait_for() { wait_for_pane mon "$@"; }

# wait_for_pane_re SESSION PATTERN [SECONDS]: wait_for_pane with an extended regular
# expression. For text laid out in columns: " +" between the words, so that a column
# that moves does not fail a test, while a word or figure that changes does.
wait_for_pane_re() {
    local deadline=$(( $(date +%s) + ${3:-20} ))
    while [ "$(date +%s)" -lt $deadline ]; do
        $T capture-pane -p -t "$1" 2>/dev/null | grep -qE -- "$2" && return 0
        sleep 0.2
    done
    return 1
}

# wait_for_re PATTERN [SECONDS]: wait_for_pane_re on the session "mon".
wait_for_re() { wait_for_pane_re mon "$@"; }

# retry SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; returns 1 when
# SECONDS pass first. What a test waits for is a condition, never a fixed time: on a busy
# machine a screen takes longer to come, and a capture may catch it half drawn.
retry() {
    local deadline=$(( $(date +%s) + $1 ))
    shift
    while :; do
        "$@" && return 0
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# active_tab [SESSION]: the digit of the monitor's open tab (tests/e2e/active_tab.py), or
# nothing when no tab stands out.
active_tab() { $T capture-pane -e -p -t "${1:-mon}" 2>/dev/null | python3 "$E2E_DIR/active_tab.py"; }

# tab_is DIGIT [SESSION]: true when DIGIT's tab is the open one.
tab_is() { [ "$(active_tab "${2:-mon}")" = "$1" ]; }

# open_pane DIGIT [SESSION] [SECONDS]: presses DIGIT and waits (default 20 s) until its
# tab is the open one.
open_pane() {
    $T send-keys -t "${2:-mon}" "$1"
    retry "${3:-20}" tab_is "$1" "${2:-mon}"
}

# shell_waits [SESSION]: true once the program in the pane has exited and its shell runs
# the `sleep` the tests put after it (so its files are closed).
shell_waits() { [ "$($T display-message -p -t "${1:-mon}" '#{pane_current_command}' 2>/dev/null)" = sleep ]; }

# pane_has TEXT [SESSION]: the pane shows TEXT (a basic regular expression) now.
pane_has() { $T capture-pane -p -t "${2:-mon}" 2>/dev/null | grep -q -- "$1"; }
