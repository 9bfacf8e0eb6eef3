#!/usr/bin/env python3
"""The house rules, checked on every build: rooms point one way, no two files call each
other (directly or round a circle), proto/ and the device module never reach ncurses,
and no hand-written source or test file is longer than 600 lines.

usage: check_architecture.py SOURCE_DIR LIBRARY.a... (the built static libraries, read
with nm per object file, so calls that no #include shows are seen as well). A function
whose body sits in a header (static inline) leaves no symbol for nm: it is counted as
code of the header's own file (x.h and x_internal.h belong to x.c), so a circle through
helpers in a shared header is seen too."""
import collections
import os
import re
import subprocess
import sys

MAX_LINES = 600

# Each room and the rooms it may use (its own room always). Rooms are folders; the first
# match in ROOMS wins, so deeper folders come first.
ROOMS = ["tui/commands", "tui/panes", "tui/monitor", "tui/plant", "tui/device", "tui/config", "tui/alerts",
         "tui/diagnosis", "tui/format", "tui", "widgets", "proto/sim", "proto/capture", "proto/core",
         "proto/codec", "generated"]
PROTO = {"proto/sim", "proto/capture", "proto/core", "proto/codec", "generated"}
TUI_BELOW = {"tui/format": set(), "tui/diagnosis": {"tui/format"}}
TUI_BELOW["tui/alerts"] = {"tui/diagnosis"} | TUI_BELOW["tui/diagnosis"]
TUI_BELOW["tui/config"] = {"tui/alerts"} | TUI_BELOW["tui/alerts"]
TUI_BELOW["tui/device"] = {"tui/config"} | TUI_BELOW["tui/config"]
TUI_BELOW["tui/plant"] = {"tui/device"} | TUI_BELOW["tui/device"]
TUI_BELOW["tui/monitor"] = {"tui/plant"} | TUI_BELOW["tui/plant"]
TUI_BELOW["tui/panes"] = {"tui/monitor"} | TUI_BELOW["tui/monitor"]
TUI_BELOW["tui/commands"] = {"tui/panes"} | TUI_BELOW["tui/panes"]
TUI_BELOW["tui"] = {"tui/commands"} | TUI_BELOW["tui/commands"]
MAY_USE = {room: below | {"widgets"} | PROTO for room, below in TUI_BELOW.items()}
MAY_USE.update({
    "widgets": set(),
    "proto/sim": {"proto/core", "proto/codec", "generated"},
    "proto/capture": {"proto/core", "proto/codec", "generated"},
    "proto/core": {"proto/codec", "generated"},
    "proto/codec": {"generated"},
    "generated": {"proto/codec", "widgets"},
})
# Plain data, testable without a terminal: these never reach a curses header, even
# through the headers they include.
NO_TERMINAL = [r"^proto/", r"^tui/diagnosis/", r"^tui/alerts/", r"^tui/device/", r"^tui/plant/"]
CURSES = re.compile(r"^(n?curses(w/)?\w*|ncursesw/.*|term|panel|menu|form)\.h$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# A function body in a header: static and/or inline, a name, its parameters, a brace.
HEADER_BODY = re.compile(r"\b(?:static|inline)\b[\w\s\*]*?\b(\w+)\s*\(([^;{}()]|\([^;{}()]*\))*\)\s*\{")
COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)

problems = []


def room_of(path):
    folder = os.path.dirname(path)
    for room in ROOMS:
        if folder == room or (room != "tui" and folder.startswith(room + "/")):
            return room
    return None


def sources(top):
    found = []
    for layer in ("proto", "tui", "widgets"):
        for dirpath, _, files in os.walk(os.path.join(top, layer)):
            for f in files:
                if f.endswith((".c", ".h")):
                    found.append(os.path.relpath(os.path.join(dirpath, f), top))
    return sorted(found)


def includes(top, path):
    with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
        return INCLUDE.findall(f.read())


def check_files(top, files):
    for path in files:
        with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
            n = sum(1 for _ in f)
        if n > MAX_LINES:
            problems.append(f"{path}: {n} lines (at most {MAX_LINES}: split it by role)")
        if room_of(path) is None:
            problems.append(f"{path}: in no room (rooms: {', '.join(ROOMS)})")


def check_test_lengths(top):
    """Tests are hand-written too: the same length limit, in every folder of tests/."""
    for dirpath, _, files in os.walk(os.path.join(top, "tests")):
        for f in files:
            if not f.endswith((".c", ".h", ".py", ".sh", ".bash")):
                continue
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8", errors="replace") as fh:
                n = sum(1 for _ in fh)
            if n > MAX_LINES:
                problems.append(f"{os.path.relpath(path, top)}: {n} lines (at most {MAX_LINES}: split it by role)")


def code_of(top, path):
    """The file's text without comments and string literals: names in it are code."""
    with open(os.path.join(top, path), encoding="utf-8", errors="replace") as f:
        return COMMENT_OR_STRING.sub(" ", f.read())


def check_includes(top, files):
    """Checks includes against the rooms; returns each file's includes, for the calls."""
    graph = {}
    for path in files:
        room = room_of(path)
        local = []
        for kind, name in includes(top, path):
            if kind == "<":
                local.append("<" + name)
                continue
            if not os.path.exists(os.path.join(top, name)):
                problems.append(f"{path}: includes \"{name}\", which is not a path from the top")
                continue
            local.append(name)
            other = room_of(name)
            if other != room and other not in MAY_USE.get(room, set()):
                problems.append(f"{path}: includes {name}: room {room} may not use {other}")
        graph[path] = local
    for path in files:
        if not any(re.search(p, path) for p in NO_TERMINAL):
            continue
        seen, todo = set(), [path]
        while todo:
            cur = todo.pop()
            for inc in graph.get(cur, []):
                if inc.startswith("<"):
                    if CURSES.match(inc[1:]):
                        via = "" if cur == path else f" through {cur}"
                        problems.append(f"{path}: reaches <{inc[1:]}>{via}: "
                                        "this is plain data, no terminal")
                elif inc not in seen:
                    seen.add(inc)
                    todo.append(inc)
    return graph


def reached_headers(graph, path):
    seen, todo = set(), [path]
    while todo:
        for inc in graph.get(todo.pop(), []):
            if not inc.startswith("<") and inc not in seen:
                seen.add(inc)
                todo.append(inc)
    return seen


def header_owner(files, header):
    """The file whose code a header's function bodies are: x.c for x.h or x_internal.h,
    else the header itself."""
    stem = header[:-2]
    for candidate in (stem + ".c", re.sub(r"_internal$", "", stem) + ".c"):
        if candidate in files:
            return candidate
    return header


def header_calls(top, files, graph):
    """Calls nm cannot see: (caller .c, owner file, function, header) for every use of a
    function whose body is in a header, by a file that includes it and is not its owner."""
    bodies = {}
    for path in files:
        if path.endswith(".h"):
            names = {m.group(1) for m in HEADER_BODY.finditer(code_of(top, path))}
            if names:
                bodies[path] = names
    found = []
    for path in files:
        if not path.endswith(".c"):
            continue
        headers = [h for h in sorted(reached_headers(graph, path) & set(bodies))
                   if header_owner(files, h) != path]
        text = code_of(top, path) if headers else ""
        for header in headers:
            owner = header_owner(files, header)
            for name in sorted(bodies[header]):
                if re.search(r"\b" + re.escape(name) + r"\s*\(", text):
                    found.append((path, owner, name, header))
    return found


def nm(lib, *flags):
    out = subprocess.run(["nm", "-A", *flags, lib], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            member = parts[0].rstrip(":").split(":")
            yield (member[1] if len(member) > 2 else member[-1]), parts[-2], parts[-1]


def check_calls(top, files, libs, graph):
    by_object = collections.defaultdict(list)
    for path in files:
        if path.endswith(".c"):
            by_object[os.path.basename(path) + ".o"].append(path)
    for generated in ("rct_tables.c.o", "rct_themes.c.o"):
        by_object[generated].append("generated/" + generated[:-2])
    for obj, paths in by_object.items():
        if len(paths) > 1:
            problems.append(f"{' and '.join(paths)}: one name for two files (the libraries "
                            "cannot tell them apart; name each for its role)")
    defined, used = {}, collections.defaultdict(set)
    for lib in libs:
        for obj, kind, sym in nm(lib, "--defined-only"):
            if kind in "TDBRCVW":
                defined.setdefault(sym, obj)
        for obj, kind, sym in nm(lib, "--undefined-only"):
            used[obj].add(sym)
    edges = collections.defaultdict(set)
    for obj, syms in used.items():
        for sym in syms:
            other = defined.get(sym)
            if other and other != obj:
                edges[obj].add(other)
    src = {obj: paths[0] for obj, paths in by_object.items()}
    node = {path: obj for obj, path in src.items()}
    through = collections.defaultdict(list)
    for path, owner, name, header in header_calls(top, files, graph):
        caller, target = node.get(path), node.get(owner, owner)
        if caller is None:
            continue   # a second file of the same name, reported above
        src.setdefault(target, owner)
        edges[caller].add(target)
        through[caller, target].append(f"{path} uses {name}() of {header}")
    for obj, others in sorted(edges.items()):
        if obj not in src:
            continue
        for other in sorted(others):
            if other not in src:
                continue
            a, b = room_of(src[obj]), room_of(src[other])
            if a != b and b not in MAY_USE.get(a, set()):
                problems.append(f"{src[obj]}: calls into {src[other]}: room {a} may not use {b}")
    # Circles of files: strongly connected components of the call graph.
    index, low, stack, on_stack, counter = {}, {}, [], set(), [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                names = sorted(src.get(o, o) for o in component)
                hidden = sorted(why for (a, b), whys in through.items()
                                if a in component and b in component for why in whys)
                note = f" (nm cannot see: {'; '.join(hidden)})" if hidden else ""
                problems.append("files that call each other (a circle): "
                                + " <-> ".join(names) + note)

    sys.setrecursionlimit(10000)
    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return sum(len(v) for v in edges.values())


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    top, libs = sys.argv[1], sys.argv[2:]
    files = sources(top)
    check_files(top, files)
    check_test_lengths(top)
    graph = check_includes(top, files)
    ncalls = check_calls(top, files, libs, graph)
    for p in problems:
        print("FAIL", p)
    print(f"{len(files)} files in {len(set(map(room_of, files)))} rooms, {ncalls} file-to-file "
          f"calls: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
