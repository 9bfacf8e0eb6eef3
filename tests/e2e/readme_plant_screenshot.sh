#!/usr/bin/env bash
# The README's Plant pane is the real program's: assets/screenshot_plant.sh makes it anew
# (a frozen plant of three simulated units) and it must match the README's block under
# "Plants", apart from the clock, the measured request rate and the error count (how many
# requests are still out when the screen is taken depends on timing). Fails when the README
# is stale; regenerate with: bash assets/screenshot_plant.sh build/rcttop
set -u
RCTTOP=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
shot=$(mktemp)
trap 'rm -f "$shot"' EXIT
bash "$here/assets/screenshot_plant.sh" "$RCTTOP" > "$shot"
python3 - "$here/README.md" "$shot" <<'PY'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
section = readme[readme.index("### Plants"):]
block = re.search(r"```text\n(.*?)```", section, re.S).group(1).rstrip("\n").split("\n")
fresh = [l.rstrip() for l in open(sys.argv[2], encoding="utf-8").read().rstrip("\n").split("\n")]
collapsed = []  # the README keeps one blank row where the screen has several
for l in fresh:
    if not (l == "" and collapsed and collapsed[-1] == ""):
        collapsed.append(l)
def mask(lines):
    out = []
    for l in lines:
        l = re.sub(r"\d\d:\d\d:\d\d", "HH:MM:SS", l)
        l = re.sub(r"\d+\.\d req/s", "N req/s", l)
        l = re.sub(r"\d+ err", "N err", l)
        out.append(re.sub(r" +", " ", l.rstrip()))
    return out
a, b = mask(block), mask(collapsed)
bad = [i for i in range(max(len(a), len(b))) if (a[i] if i < len(a) else "") != (b[i] if i < len(b) else "")]
for i in bad:
    print(f"row {i + 1}:\n  README: {a[i] if i < len(a) else ''}\n  now:    {b[i] if i < len(b) else ''}")
print(f"{max(len(a), len(b)) - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
PY
