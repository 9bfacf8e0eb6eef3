#!/usr/bin/env bash
# A seeded random "monkey" at the monitor under tmux: fast pane switches (5/4/5 while
# History and Events load), navigation, search text, the panes' own keys, Ctrl-L,
# help and resizes from 30x8 to 200x60, first on the demo, then against 'rcttop sim
# --quirks all' (recorded), then on the replay of that recording. The monitor must stay up the whole time, quit with q and status 0,
# and leave no AddressSanitizer/UBSan report. On a failure it prints the seed, the
# last keys sent and the screen; replay with
#     RCT_MONKEY_SEED=1234 bash tests/e2e/tui_monkey.sh build/rcttop tests/data
# (the same seed sends the same keys and resizes in the same order; the timing of
# the device's answers still varies). RCT_MONKEY_SECONDS sets each run's length
# (default 20). The monitor runs in a scratch directory, so 's' (snapshot) and 'w'
# (link log) write there.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ARGS="$1 ${2:-tests/data}"
seconds=${RCT_MONKEY_SECONDS:-20}
case $seconds in ''|*[!0-9]*) echo "RCT_MONKEY_SECONDS must be a whole number of seconds"; exit 2;; esac
if [ -n "${RCT_MONKEY_SEED:-}" ]; then
    seed=$RCT_MONKEY_SEED
    case $seed in *[!0-9]*) echo "RCT_MONKEY_SEED must be a non-negative integer"; exit 2;; esac
    seed=$((10#$seed % 1000000000))
else
    now=$(date +%s%N)
    case $now in *[!0-9]*) now=$(date +%s)$$;; esac
    seed=$(( (10#${now: -9} + $$) % 1000000000 ))
fi
echo "monkey: seed $seed, ${seconds}s per run (replay: RCT_MONKEY_SEED=$seed bash $0 $ARGS)"

work=$(mktemp -d)
SOCK="rcttop-monkey-$$"
T="tmux -L $SOCK"
SIM_PID=
keep_work=0
cleanup() {
    $T kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null
    wait 2>/dev/null
    [ "$keep_work" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
pass=0 fails=0

# ---- helpers -----------------------------------------------------------------------
# Never use $RANDOM inside $(...): a subshell reseeds it and the run would not replay.
screen() { $T capture-pane -p -t mon 2>/dev/null; }
wait_for() {  # wait_for TEXT SECONDS: the pane shows TEXT (fixed string)
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -le $deadline ]; do
        [ -e "$work/exit.$run" ] && return 1
        screen | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
t0=
log_key() {  # the key with the time since the run started
    local ms=$(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 )) line
    printf -v line '%4d.%02ds  %s' $((ms / 1000)) $((ms % 1000 / 10)) "$1"
    keylog+=("$line"); nkeys=$((nkeys + 1))
}
nap() {  # nap MIN_MS MAX_MS: a random pause
    local ms=$(( $1 + RANDOM % ($2 - $1 + 1) ))
    printf -v d '%d.%03d' $((ms / 1000)) $((ms % 1000))
    sleep "$d"
}
alive() { [ ! -e "$work/exit.$run" ]; }
send() {  # send KEY...: tmux key names, one at a time, logged
    local k
    for k in "$@"; do
        alive || return 1
        $T send-keys -t mon -- "$k" 2>/dev/null
        log_key "$k"
    done
}
send_text() {  # literal text, logged
    alive || return 1
    $T send-keys -t mon -l -- "$1" 2>/dev/null
    log_key "text '$1'"
}
resize() {
    alive || return 1
    $T resize-window -t mon -x "$1" -y "$2" 2>/dev/null
    log_key "resize ${1}x$2"
}

# The monitor's key map (tui/monitor/loop.c handle_key and the panes' .help strings); more
# copies make a key more likely. No q/Q and no Ctrl-C: only the end quits.
KEYS=(1 2 3 4 5 6 7 8 9 1 2 3 4 5 4 5 6 8
      Tab Tab BTab BTab Up Up Up Down Down Down PPage PPage NPage NPage Home End End
      Left Left Right Right Enter Enter Escape Escape / / BSpace
      p t '?' f w k k d m y + - Space Space g T s C-l '<' '>' S-Left S-Right '[' ']')
# Printable text for the values search (no q/Q, which would quit if '/' was not
# taken; no ';', which tmux reads as a command separator).
ALPHA='abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789 ._-/:,+*#%&()[]<>=~!?@'
EXOTIC=('é' '°' '─' 'ß' '€')

monkey_step() {
    local r=$((RANDOM % 100)) i n s
    if [ $r -lt 45 ]; then                       # a small burst of keys
        n=$((1 + RANDOM % 4))
        for ((i = 0; i < n; i++)); do
            send "${KEYS[RANDOM % ${#KEYS[@]}]}" || return
            [ $((RANDOM % 2)) = 0 ] && nap 0 60
        done
    elif [ $r -lt 60 ]; then                     # flip Events/History while they load
        case $((RANDOM % 5)) in
            0) s="5 4 5";; 1) s="4 5 4";; 2) s="5 4 5 4 5";; 3) s="2 5 4 5";; *) s="4 5 6 5 4";;
        esac
        for i in $s; do send "$i" || return; nap 20 150; done
    elif [ $r -lt 70 ]; then                     # a search with random text
        n=$((1 + RANDOM % 10)) s=
        for ((i = 0; i < n; i++)); do s+=${ALPHA:RANDOM % ${#ALPHA}:1}; done
        [ $((RANDOM % 8)) = 0 ] && s+=${EXOTIC[RANDOM % ${#EXOTIC[@]}]}
        [ $((RANDOM % 3)) = 0 ] && send 2
        send / || return
        send_text "$s" || return
        case $((RANDOM % 5)) in
            0) send Enter;; 1) send Escape;; 2) send Down;; 3) send BSpace BSpace Enter;; *) ;;
        esac
    elif [ $r -lt 80 ]; then                     # resize, often to the extremes
        case $((RANDOM % 8)) in
            0) resize 30 8;; 1) resize 200 60;; 2) resize 80 24;; 3) resize 30 60;;
            4) resize 200 8;;
            *) resize $((30 + RANDOM % 171)) $((8 + RANDOM % 53));;
        esac
    elif [ $r -lt 88 ]; then                     # a scroll storm
        n=$((3 + RANDOM % 12))
        local nav=(Up Down PPage NPage Home End Left Right)
        for ((i = 0; i < n; i++)); do send "${nav[RANDOM % ${#nav[@]}]}" || return; done
    elif [ $r -lt 94 ]; then                     # a pane, then stay a little
        send $((1 + RANDOM % 9)) || return
        nap 200 700
    else                                         # help, repaint, themes
        case $((RANDOM % 4)) in
            0) send '?'; nap 50 300; send Escape;; 1) send C-l;; 2) send t t;; *) send '?' '?';;
        esac
    fi
    nap 20 300
}

# ---- one run -------------------------------------------------------------------------
monkey_run() {  # monkey_run NAME RUN_NO ARGS...: the monitor under the monkey
    run=$1; local run_no=$2; shift 2
    local args="" a
    for a in "$@"; do args+=" $(printf '%q' "$a")"; done
    local qw; qw=$(printf '%q' "$work")
    local san="ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$qw/asan.$run"
    san+=" UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$qw/ubsan.$run"
    local cmd="cd $qw && env HOME=$qw XDG_CONFIG_HOME=$qw LANG=C.UTF-8 TERM=xterm-256color $san"
    cmd+=" $(printf '%q' "$RCTTOP")$args 2>$qw/stderr.$run; st=\$?;"
    cmd+=" echo \$st > $qw/exit.$run.tmp && mv $qw/exit.$run.tmp $qw/exit.$run;"
    cmd+=" echo \"rcttop exited with status \$st\"; sleep 600"
    keylog=() nkeys=0
    t0=${EPOCHREALTIME/[.,]/}
    local run_fails=$fails
    $T kill-session -t mon 2>/dev/null
    $T new-session -d -s mon -x 80 -y 24 -c "$work" "$cmd"

    wait_for "rcttop" 30; check "$run: the monitor starts" $?

    # The same seed gives each run the same sequence, however long the other run was.
    RANDOM=$(( (seed + run_no * 7919) % 1000000000 ))
    local end=$((SECONDS + seconds))
    while [ $SECONDS -lt $end ] && alive; do monkey_step; done
    local died=0
    if ! alive; then
        died=1
        log_key "-- the monitor had exited, status $(cat "$work/exit.$run") --"
    fi
    [ $died = 0 ]; check "$run: alive through the random phase ($nkeys keys/resizes sent)" $?
    before=$(screen)

    # The end: close search/detail/help, then quit.
    if alive; then
        resize 80 24; sleep 0.3
        send Escape; sleep 0.3; send Escape; sleep 0.3; send Escape; sleep 0.3
        send q
    fi
    # Generous: a sanitizer build on a busy machine writes its leak report before exiting.
    local deadline=$((SECONDS + 30))
    while [ ! -e "$work/exit.$run" ] && [ $SECONDS -le $deadline ]; do sleep 0.1; done
    [ $died = 1 ] || { [ -e "$work/exit.$run" ]; check "$run: q quits" $?; }
    status=$(cat "$work/exit.$run" 2>/dev/null || echo none)
    [ "$status" = 0 ]; check "$run: exit status 0 (got $status)" $?
    after=$(screen)
    reports=$(cat "$work"/asan."$run"* "$work"/ubsan."$run"* "$work/stderr.$run" 2>/dev/null |
              grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: ' | head -5)
    # (the status first: a $(...) in check's message would reset $?)
    [ -z "$reports" ]; r=$?; check "$run: no sanitizer report${reports:+: ${reports%%$'\n'*}}" $r
    printf '%s\n%s\n' "$before" "$after" |
        grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault|[Cc]ore dumped|Aborted|Assertion .* failed|stack smashing'
    [ $? != 0 ]; check "$run: the screen shows no crash" $?

    if [ "$fails" != "$run_fails" ]; then
        keep_work=1
        echo "---- $run FAILED with seed $seed (replay: RCT_MONKEY_SEED=$seed RCT_MONKEY_SECONDS=$seconds bash $0 $ARGS)"
        echo "---- last 30 of $nkeys keys/resizes sent (time since start):"
        printf '%s\n' "${keylog[@]: -30}" | sed 's/^/    /'
        echo "---- screen at the end of the random phase:"
        printf '%s\n' "$before" | sed 's/^/    | /'
        echo "---- screen after the quit:"
        printf '%s\n' "$after" | sed 's/^/    | /'
        local f
        for f in "$work"/asan."$run"* "$work"/ubsan."$run"* "$work/stderr.$run"; do
            [ -s "$f" ] || continue
            echo "---- $(basename "$f") (first 40 lines):"
            head -40 "$f" | sed 's/^/    /'
        done
    fi
    printf '%s\n' "${keylog[@]}" > "$work/keys.$run"
    $T kill-session -t mon 2>/dev/null
}
check() { if [ "$2" = 0 ]; then pass=$((pass + 1)); else echo "FAIL (seed $seed): $1"; fails=$((fails + 1)); fi; }

# ---- (a) the demo --------------------------------------------------------------------
monkey_run demo 1 --demo --config /dev/null

# ---- (b) a simulated device with every quirk -------------------------------------------
PORT=$((20000 + $$ % 10000))
start_sim() {  # start_sim PORT: 0 when it listens
    : > "$work/sim.out"
    ASAN_OPTIONS=detect_leaks=0:log_path=$work/asan.sim UBSAN_OPTIONS=print_stacktrace=1:log_path=$work/ubsan.sim \
        "$RCTTOP" sim --listen "127.0.0.1:$1" --quirks all > "$work/sim.out" 2> "$work/sim.err" &
    SIM_PID=$!
    for _ in $(seq 100); do
        grep -q listening "$work/sim.out" && return 0
        kill -0 $SIM_PID 2>/dev/null || break
        sleep 0.1
    done
    kill $SIM_PID 2>/dev/null; wait $SIM_PID 2>/dev/null; SIM_PID=
    return 1
}
for p in $PORT $((PORT + 1)) $((PORT + 137)) 0; do   # the port was taken: another one
    start_sim $p && break
done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/sim.out")
[ -n "$PORT" ]; check "the simulator listens (port ${PORT:-none})" $?
if [ -n "$PORT" ]; then
    monkey_run device 2 --host "127.0.0.1:$PORT" --config /dev/null --record "$work/device.rec"
    kill -0 $SIM_PID 2>/dev/null; check "the simulator survived the monkey" $?
    ! grep -q FORBIDDEN "$work/sim.err"; check "the simulator saw no forbidden frame (only reads and history queries)" $?
    kill $SIM_PID 2>/dev/null; wait $SIM_PID 2>/dev/null; SIM_PID=
    reports=$(cat "$work"/asan.sim* "$work"/ubsan.sim* "$work/sim.err" 2>/dev/null | grep -E 'ERROR: AddressSanitizer|runtime error:' | head -3)
    [ -z "$reports" ]; r=$?; check "the simulator has no sanitizer report${reports:+: ${reports%%$'\n'*}}" $r
fi

# ---- (c) the replay of (b): seeks, speeds, pauses and g under the same monkey -------------
if [ -s "$work/device.rec" ]; then
    monkey_run replay 3 replay "$work/device.rec" --config /dev/null --speed 4
fi

[ "$keep_work" = 1 ] && echo "monkey: keys, sanitizer logs and stderr kept in $work"
[ "$fails" = 0 ] || echo "monkey: FAILED with seed $seed (replay: RCT_MONKEY_SEED=$seed RCT_MONKEY_SECONDS=$seconds bash $0 $ARGS)"
echo "monkey: $pass passed, $fails failed"
[ "$fails" = 0 ]
