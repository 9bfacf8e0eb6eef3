#!/usr/bin/env python3
"""Checks a screen captured from the monitor (tmux capture-pane -p) for layout damage:
every box closed and its borders intact (text over a border breaks them), no line wider
than the terminal, and, on request, that a text is present. Prints one line per problem
and exits 1 if there is any. Usage: screen_check.py COLS ROWS FILE [--title-only TEXT]
[--max-blank N] [--need TEXT ...]"""
import sys
import unicodedata


def cells(line):
    out = []
    for ch in line:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("")  # the second cell of a wide character
    return out


def check_boxes(grid, width, only_title=None):
    problems = []
    rows = len(grid)
    at = lambda r, c: grid[r][c] if 0 <= r < rows and 0 <= c < len(grid[r]) else " "
    for r in range(rows):
        for c in range(len(grid[r])):
            if grid[r][c] != "┌":
                continue
            j = c + 1
            while j < len(grid[r]) and grid[r][j] != "┐":
                j += 1
            top = "".join(grid[r][c:j + 1])
            if only_title and only_title not in top:
                continue
            if j >= len(grid[r]):
                problems.append(f"row {r}: box at column {c} has no top-right corner")
                continue
            i = r + 1
            while i < rows and at(i, c) == "│":
                i += 1
            if at(i, c) != "└":
                problems.append(f"box at {r},{c}: left border broken at row {i} ({at(i, c)!r})")
                continue
            for k in range(r + 1, i):
                if at(k, j) != "│":
                    problems.append(f"box at {r},{c}: right border broken at row {k} ({at(k, j)!r})")
                    break
            if at(i, j) != "┘":
                problems.append(f"box at {r},{c}: no bottom-right corner at {i},{j}")
            bottom = [at(i, k) for k in range(c + 1, j)]
            if any(ch != "─" for ch in bottom):
                problems.append(f"box at {r},{c}: bottom border broken")
    return problems


def main():
    args = sys.argv[1:]
    cols, rows, path = int(args[0]), int(args[1]), args[2]
    only_title, need, max_blank = None, [], None
    k = 3
    while k < len(args):
        if args[k] == "--title-only":
            only_title = args[k + 1]
            k += 2
        elif args[k] == "--need":
            need.append(args[k + 1])
            k += 2
        elif args[k] == "--max-blank":
            max_blank = int(args[k + 1])
            k += 2
        else:
            raise SystemExit(f"unknown argument {args[k]}")
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    lines = lines[:rows]
    grid = [cells(l) for l in lines]
    problems = []
    for r, g in enumerate(grid):
        if len(g) > cols:
            problems.append(f"row {r} is {len(g)} cells wide on a {cols}-column terminal")
    problems += check_boxes(grid, cols, only_title)
    text = "\n".join(lines)
    for n in need:
        if n not in text:
            problems.append(f"missing: {n!r}")
    if max_blank is not None:
        blank = sum(1 for l in lines[2:rows - 1] if not l.strip(" │─┌┐└┘"))
        if blank > max_blank:
            problems.append(f"{blank} blank rows (at most {max_blank})")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
