#!/usr/bin/env python3
"""Where a running program's code sections lie, and how much of each is resident.

    code_pages.py PID BINARY SECTION...

Prints one line per section: "NAME ADDRESS SIZE RESIDENT_PAGES TOTAL_PAGES". The section
addresses come from `readelf -SW BINARY`; the program's load address from the mapping of
the file at offset 0 in /proc/PID/maps; residency from the present bit of each page in
/proc/PID/pagemap (readable without privileges: only the frame numbers are hidden).
"""
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def sections(binary):
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m:
            found[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    return found


def load_base(pid, binary):
    real = os.path.realpath(binary)
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and parts[2] == "00000000" and os.path.realpath(parts[5]) == real:
                return int(parts[0].split("-")[0], 16)
    raise SystemExit(f"code_pages: {binary} is not mapped by process {pid}")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    pid, binary, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    table = sections(binary)
    base = load_base(pid, binary)
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for name in names:
            if name not in table:
                raise SystemExit(f"code_pages: {binary} has no section {name}")
            addr, size = table[name]
            first, last = (base + addr) // PAGE, (base + addr + size - 1) // PAGE
            resident = 0
            for page in range(first, last + 1):
                pagemap.seek(page * 8)
                resident += struct.unpack("<Q", pagemap.read(8))[0] >> 63
            print(name, hex(addr), size, resident, last - first + 1)


if __name__ == "__main__":
    main()
