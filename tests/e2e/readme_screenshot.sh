#!/usr/bin/env bash
# The README's screenshot is the real program's screen: assets/screenshot.sh makes it
# anew and it must match the README's block, apart from the clock, the measured request
# rate and the sparklines'
# history (how many samples there are depends on timing). Fails when the README is stale;
# regenerate with: bash assets/screenshot.sh build/rcttop
set -u
RCTTOP=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
shot=$(mktemp)
trap 'rm -f "$shot"' EXIT
bash "$here/assets/screenshot.sh" "$RCTTOP" > "$shot"
python3 - "$here/README.md" "$shot" <<'PY'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"```text\n(.*?)```", readme, re.S).group(1).split("\n")[:24]
fresh = open(sys.argv[2], encoding="utf-8").read().split("\n")[:24]
def mask(lines):
    out = []
    for i, l in enumerate(lines):
        l = re.sub(r"\d\d:\d\d:\d\d", "HH:MM:SS", l)
        l = re.sub(r"\d+\.\d req/s", "N req/s", l)  # the measured rate wobbles (3.9, 4.0)
        if 11 <= i <= 19:  # the sparkline rows: label, latest value and scale only
            l = l[:11] + " " * max(0, len(l) - 35) + l[-24:] if len(l) > 35 else l
        out.append(l.rstrip())
    return out
a, b = mask(block), mask(fresh)
bad = [i for i in range(max(len(a), len(b))) if (a[i] if i < len(a) else "") != (b[i] if i < len(b) else "")]
for i in bad:
    print(f"row {i + 1}:\n  README: {a[i] if i < len(a) else ''}\n  now:    {b[i] if i < len(b) else ''}")
print(f"{24 - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
PY
