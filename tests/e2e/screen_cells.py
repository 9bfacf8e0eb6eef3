#!/usr/bin/env python3
"""Reads a screen captured with `tmux capture-pane -e -p` and prints it as what a person
sees: each row's text, then each run of cells with the same look (bold, dim, underline,
reverse, foreground, background). A blank cell's foreground is left out: it shows
nothing. Two captures of the same screen print the same, however the terminal's escape
sequences happened to fall. Blanks at a row's end are left out whatever their colour: tmux
trims them from a capture unless an escape sequence follows, and whether one follows
depends on how far that row was ever written, not on what is shown. Usage: screen_cells.py FILE [FIRST_ROW LAST_ROW] (1-based)"""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def apply(state, params):
    codes = [p for p in params.replace(":", ";").split(";")] if params else ["0"]
    i = 0
    while i < len(codes):
        c = int(codes[i] or 0)
        if c == 0:
            state.clear()
        elif c in (1, 2, 3, 4, 5, 7, 8, 9):
            state[c] = True
        elif c == 22:
            state.pop(1, None)
            state.pop(2, None)
        elif 23 <= c <= 29:
            state.pop(c - 20, None)
        elif c in (38, 48):
            kind = codes[i + 1] if i + 1 < len(codes) else ""
            n = 3 if kind == "5" else 5 if kind == "2" else 1
            state["fg" if c == 38 else "bg"] = ";".join(codes[i + 1:i + 1 + n])
            i += n
        elif c == 39:
            state.pop("fg", None)
        elif c == 49:
            state.pop("bg", None)
        elif 30 <= c <= 37 or 90 <= c <= 97:
            state["fg"] = str(c)
        elif 40 <= c <= 47 or 100 <= c <= 107:
            state["bg"] = str(c)
        i += 1


def look(state, ch):
    keys = sorted((k for k in state if ch != " " or k in (7, "bg")), key=str)
    return ",".join(f"{k}={state[k]}" if k in ("fg", "bg") else str(k) for k in keys)


def main():
    lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    last = int(sys.argv[3]) if len(sys.argv) > 3 else len(lines)
    state = {}
    for n, line in enumerate(lines, 1):
        cells = []
        pos = 0
        for m in SGR.finditer(line):
            cells += [(ch, look(state, ch)) for ch in line[pos:m.start()]]
            apply(state, m.group(1))
            pos = m.end()
        cells += [(ch, look(state, ch)) for ch in line[pos:]]
        while cells and cells[-1][0] == " ":
            cells.pop()
        if not first <= n <= last:
            continue
        print("".join(ch for ch, _ in cells).rstrip())
        runs, prev, start = [], None, 0
        for x, (_, lk) in enumerate(cells + [(" ", None)]):
            if lk != prev:
                if prev:
                    runs.append(f"{start}-{x - 1}:{prev}")
                prev, start = lk, x
        print("  " + " ".join(runs))


if __name__ == "__main__":
    main()
