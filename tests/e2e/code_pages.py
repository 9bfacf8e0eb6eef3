#!/usr/bin/env python3
"""Where a program's code sections lie, which section a function is in, and how much of
each section a running process has resident.

    code_pages.py sections BINARY SECTION...       "NAME ADDRESS SIZE" (hex address)
    code_pages.py where BINARY FUNCTION...         "FUNCTION SECTION" ("none": not found)
    code_pages.py resident PID BINARY SECTION...   "NAME ADDRESS SIZE RESIDENT_PAGES TOTAL_PAGES"

Section addresses come from `readelf -SW`, functions' from `nm`; the load address from the
process's mapping of the file at offset 0 in /proc/PID/maps; residency from the present
bit of each page in /proc/PID/pagemap (readable without privileges: only the frame numbers
are hidden). A name the binary does not have is an error (exit 1).
"""
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def sections(binary):
    """Every section with an address: name -> (address, size)."""
    found = {}
    for line in run("readelf", "-SW", binary).splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m and int(m.group(2), 16):
            found[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    return found


def section(table, binary, name):
    if name not in table:
        raise SystemExit(f"code_pages: {binary} has no section {name}")
    return table[name]


def load_base(pid, binary):
    real = os.path.realpath(binary)
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and parts[2] == "00000000" and os.path.realpath(parts[5]) == real:
                return int(parts[0].split("-")[0], 16)
    raise SystemExit(f"code_pages: {binary} is not mapped by process {pid}")


def print_sections(binary, names):
    table = sections(binary)
    for name in names:
        addr, size = section(table, binary, name)
        print(name, hex(addr), size)


def print_where(binary, functions):
    table = sections(binary)
    addresses = {}
    for line in run("nm", binary).splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "Tt":
            addresses.setdefault(parts[2], int(parts[0], 16))
    for function in functions:
        addr = addresses.get(function)
        where = [n for n, (a, s) in table.items() if addr is not None and a <= addr < a + s]
        print(function, where[0] if where else "none")


def print_resident(pid, binary, names):
    table = sections(binary)
    base = load_base(pid, binary)
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for name in names:
            addr, size = section(table, binary, name)
            first, last = (base + addr) // PAGE, (base + addr + size - 1) // PAGE
            resident = 0
            for page in range(first, last + 1):
                pagemap.seek(page * 8)
                resident += struct.unpack("<Q", pagemap.read(8))[0] >> 63
            print(name, hex(addr), size, resident, last - first + 1)


def main():
    args = sys.argv[1:]
    if len(args) >= 3 and args[0] == "sections":
        print_sections(args[1], args[2:])
    elif len(args) >= 3 and args[0] == "where":
        print_where(args[1], args[2:])
    elif len(args) >= 4 and args[0] == "resident":
        print_resident(int(args[1]), args[2], args[3:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
