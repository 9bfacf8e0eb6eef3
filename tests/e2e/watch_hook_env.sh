#!/usr/bin/env bash
# The hook's environment is the same from the monitor and from `rcttop watch`: for one
# fault that fires and resolves, both runs get every RCTTOP_* variable, RCTTOP_HOST with
# its port, RCTTOP_LABEL the device's label, RCTTOP_DURATION in whole seconds when it
# resolved (empty when it fired), and the same event words.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
T="tmux -L rcttop-hookenv-$$"
source "$(dirname "$0")/lib.bash"
trap 'kill $(jobs -p) 2>/dev/null; cleanup_work' EXIT
check_details() { print_pane; for f in "$work"/*.env "$work"/watch.err; do echo "    | $f"; sed "s/^/    |   /" "$f"; done; }

# The hook: its RCTTOP_* environment, sorted, into a file per caller, state and key.
cat > "$work/hook.sh" <<'SH'
#!/bin/sh
env | grep '^RCTTOP_' | sort > "$HOOK_DIR/$WHO.$RCTTOP_STATE.$RCTTOP_KEY.tmp"
mv "$HOOK_DIR/$WHO.$RCTTOP_STATE.$RCTTOP_KEY.tmp" "$HOOK_DIR/$WHO.$RCTTOP_STATE.$RCTTOP_KEY.env"
SH
chmod +x "$work/hook.sh"
start_sim "$work" --at 8:fault=16 --at 30:clear=16
cat > "$work/config.ini" <<EOF2
[alerts]
hold = 2
[device:home]
host = 127.0.0.1
port = $PORT
label = Home
EOF2
$T new-session -d -s mon -x 110 -y 32 "cd $work && env LANG=C.UTF-8 TERM=screen WHO=monitor HOOK_DIR=$work $RCTTOP --device home --config $work/config.ini --on-alert $work/hook.sh; sleep 60"
WHO=watch HOOK_DIR=$work "$RCTTOP" watch --device home --config "$work/config.ini" --on-alert "$work/hook.sh" > "$work/watch.jsonl" 2> "$work/watch.err" &
watcher=$!

both_resolved() { [ -s "$work/monitor.resolved.fault.16.env" ] && [ -s "$work/watch.resolved.fault.16.env" ]; }
retry 100 both_resolved; check "the hook ran for the fault's resolve in the monitor and in watch" $?
kill -TERM $watcher
wait $watcher; status=$?
[ $status = 0 ]; check "watch: SIGTERM, exit 0 (got $status)" $?

python3 - "$work" "$PORT" <<'PY'
import re, sys
work, port = sys.argv[1], sys.argv[2]
names = ["RCTTOP_DURATION", "RCTTOP_EVENT", "RCTTOP_HOST", "RCTTOP_KEY", "RCTTOP_LABEL",
         "RCTTOP_MESSAGE", "RCTTOP_SERIAL", "RCTTOP_SEVERITY", "RCTTOP_SINCE", "RCTTOP_STATE",
         "RCTTOP_TIME", "RCTTOP_VALUE"]
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
def env(who, state):
    d = {}
    for line in open(f"{work}/{who}.{state}.fault.16.env", encoding="utf-8"):
        k, _, v = line.rstrip("\n").partition("=")
        d[k] = v
    return d
for state in ["firing", "resolved"]:
    m, w = env("monitor", state), env("watch", state)
    assert sorted(m) == names and sorted(w) == names, (state, sorted(m), sorted(w))
    for e in (m, w):
        assert e["RCTTOP_HOST"] == "127.0.0.1:" + port, (state, e["RCTTOP_HOST"])
        assert e["RCTTOP_LABEL"] == "Home", (state, e["RCTTOP_LABEL"])
        assert iso.match(e["RCTTOP_SINCE"]) and iso.match(e["RCTTOP_TIME"]), e
        assert e["RCTTOP_SERIAL"], e
        if state == "resolved":
            assert re.fullmatch(r"\d+", e["RCTTOP_DURATION"]) and int(e["RCTTOP_DURATION"]) >= 5, e
        else:
            assert e["RCTTOP_DURATION"] == "", e
    for k in ["RCTTOP_EVENT", "RCTTOP_STATE", "RCTTOP_SEVERITY", "RCTTOP_KEY",
              "RCTTOP_HOST", "RCTTOP_LABEL", "RCTTOP_SERIAL", "RCTTOP_VALUE"]:
        assert m[k] == w[k], (state, k, m[k], w[k])
    # Each saw the fault on its own polls: how long it lasted may differ by a poll.
    said = [re.sub(r" \(resolved after \d+ s\)$", "", e["RCTTOP_MESSAGE"]) for e in (m, w)]
    assert said[0] == said[1] == "fault 16: Battery overcurrent (battery)", said
PY
check "the same variables from both: host:port, the label, the duration in seconds" $?
finish
