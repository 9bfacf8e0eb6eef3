#!/usr/bin/env bash
# The monitor frees what it made on every way out: a start that fails (an unknown theme,
# an unwritable --record path, a hook that cannot run, a recording that does not exist, a
# terminal it cannot drive) and a run quit with q, with and without --record. Each runs
# under valgrind when it is installed and the binary is not built with ASan; an ASan build
# (.ci/run) finds the same leaks with LeakSanitizer. A leak or a memory error changes the
# exit status, which must be 2 (said why) or 0.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-failed-starts-$$"
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT

WRAP=
if command -v valgrind > /dev/null && ! nm "$RCTTOP" 2>/dev/null | grep -q __asan_init; then
    WRAP="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible
          --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99
          --log-file=$work/%q{RUN}.vg"
    WRAP=$(echo $WRAP)
fi

# run NAME TERM ARGS...: the monitor in its own tmux session, its status in NAME.rc and
# its stderr in NAME.err once it exits.
run() {
    local name=$1 term=$2
    shift 2
    $T new-session -d -s "$name" -x 80 -y 24 \
        "cd $work && env RUN=$name TERM=$term $WRAP $RCTTOP $* --config /dev/null 2> $name.err; echo \$? > $name.rc; sleep 300"
}
status_is() { [ "$(cat "$work/$1.rc" 2>/dev/null)" = "$2" ]; }
exited() { [ -s "$work/$1.rc" ]; }
check_details() {
    local name=${1%%:*}
    echo "    status $(cat "$work/$name.rc" 2>/dev/null), stderr:"
    sed 's/^/    | /' "$work/$name.err" "$work/$name.vg" 2>/dev/null | head -30
}

run theme xterm --demo --theme no-such-theme
run record xterm --demo --record "$work/no-such-folder/x.rec"
run hook xterm --demo --on-alert "$work/no-such-hook"
run replay xterm replay "$work/no-such-recording.rec"
run terminal no-such-terminal --demo
run quit xterm --demo
run quit_recording xterm --demo --record "$work/quit.rec"

for name in theme record hook replay terminal; do
    retry 120 exited "$name"
    check "$name: a failed start exits 2, nothing leaked" "$(status_is "$name" 2; echo $?)"
    check "$name: says why" "$([ -s "$work/$name.err" ]; echo $?)"
done
grep -q "no-such-theme" "$work/theme.err"
check "theme: names the theme" $?
grep -q "no-such-folder/x.rec" "$work/record.err"
check "record: names the path" $?
grep -q -- "--on-alert" "$work/hook.err"
check "hook: names the option" $?
grep -q "no-such-recording.rec" "$work/replay.err"
check "replay: names the file" $?

for name in quit quit_recording; do
    retry 120 tab_is 1 "$name"
    check "$name: the monitor draws" $?
    $T send-keys -t "$name" q
    retry 60 exited "$name"
    check "$name: quit exits 0, nothing leaked" "$(status_is "$name" 0; echo $?)"
done
[ -s "$work/quit.rec" ]
check "quit_recording: the recording is written" $?

finish
