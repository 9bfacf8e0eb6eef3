#!/usr/bin/env python3
"""Reads a screen captured with `tmux capture-pane -e -p` on standard input and prints the
digit of the monitor's open tab: on the tab row (the second), the one tab digit whose look
(colours, bold, reverse) differs from every other tab digit's. Prints nothing when no
single tab stands out (the screen is not drawn yet, or too small for tabs)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screen_cells import SGR, apply, look  # noqa: E402


def main():
    lines = sys.stdin.read().split("\n")
    if len(lines) < 2:
        return
    state = {}
    for line in lines[:2]:  # the colours carry over from the first row
        cells, pos = [], 0
        for m in SGR.finditer(line):
            cells += [(ch, look(state, ch)) for ch in line[pos:m.start()]]
            apply(state, m.group(1))
            pos = m.end()
        cells += [(ch, look(state, ch)) for ch in line[pos:]]
    # A tab digit stands alone between spaces: " 3 " or " 3 Events ".
    digits = [(ch, lk) for i, (ch, lk) in enumerate(cells)
              if ch in "0123456789" and (i == 0 or cells[i - 1][0] == " ")
              and (i + 1 == len(cells) or cells[i + 1][0] == " ")]
    looks = [lk for _, lk in digits]
    alone = [ch for ch, lk in digits if looks.count(lk) == 1]
    if len(digits) >= 2 and len(alone) == 1:
        print(alone[0])


if __name__ == "__main__":
    main()
