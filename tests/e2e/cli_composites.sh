#!/usr/bin/env bash
# A battery module's composite values from the command line: get shows all 24 cells (a
# low cell past the 8th is there), numbered 1..24 as check and the Battery pane number
# them; JSON gives each cell its number and the row its tower and module; CSV holds the
# whole value in one field; the BMS statistics give times as times.
set -u
RCTTOP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
source "$(dirname "$0")/lib.bash"
trap cleanup_work EXIT

start_sim "$work" --seed 3 --start 2026-06-21T12:00:00Z --speed 0 --soc 50 --cell-low 1:181 || exit 1
D="--host 127.0.0.1:$PORT --rate 200"
TZ=UTC "$RCTTOP" get 'battery.cells[1]' 'battery.cells_stat[1]' $D > "$work/get.txt" 2> "$work/get.err"
check "get ran (exit $?)" $?
rows=$(grep -c '^    cell ' "$work/get.txt")
[ "$rows" = 8 ]; check "24 cells on 8 indented lines (got $rows)" $?
for c in 1 10 24; do
    grep -q "cell $(printf '%2d' $c) 3\.[0-9][0-9][0-9] V" "$work/get.txt"; check "cell $c is shown whole" $?
done
! grep -q "c7=\|cell  0\|cell 25\|@" "$work/get.txt"; check "no compact form, no cell 0, no raw timestamps" $?
low=$(sed -n 's/^battery\.cells\[1\] .* V (cell \([0-9]*\)) \.\. .*/\1/p' "$work/get.txt")
[ -n "$low" ]; check "the summary names the lowest cell ($low)" $?
grep "cell $(printf '%2d' "$low") " "$work/get.txt" | grep -q "3\.1[0-9][0-9] V"; check "and that cell reads 181 mV low" $?
grep -q "lowest cell voltage .* cell  *[0-9]*  at 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] " "$work/get.txt"
check "statistics: the time as a time: $(grep 'lowest cell voltage' "$work/get.txt")" $?

XDG_STATE_HOME=$work/state TZ=UTC "$RCTTOP" check --only battery.cells $D --config /dev/null > "$work/check.txt" 2>&1
grep -q "module 1: cell $low lowest" "$work/check.txt"
check "check numbers the low cell as get does (cell $low): $(grep -m1 'module 1:' "$work/check.txt" | cut -c1-90)" $?

"$RCTTOP" get 'battery.cells[1]' 'battery.cells_resist[1]' 'battery.cells_stat[1]' $D --format json > "$work/get.json" 2>/dev/null
python3 - "$work/get.json" "$low" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cells, resist, stats = rows
assert cells["tower"] == "battery" and cells["module"] == 1, cells
assert [c["cell"] for c in cells["value"]] == list(range(1, 25)), cells["value"]
low = min(cells["value"], key=lambda c: c["mv"])
assert low["cell"] == int(sys.argv[2]), (low, sys.argv[2])
assert [c["cell"] for c in resist["value"]] == list(range(1, 25)) and all("mohm" in c for c in resist["value"])
assert 1 <= stats["value"]["u_min"]["cell"] <= 24, stats
PY
check "JSON: cells and resistances numbered 1..24, the row's tower and module" $?
"$RCTTOP" get 'battery.cells[1]' $D --format csv > "$work/get.csv" 2>/dev/null
python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
v = rows[0]["value"]
assert "cell 1 " in v and "cell 24 " in v and v.count("cell ") >= 24, v
' "$work/get.csv"
check "CSV: the whole value in one field" $?
finish
