#!/usr/bin/env python3
"""The architecture checker on small trees built here: it must fail on files that call
each other (also when the calls go through helpers whose bodies sit in a shared header,
which nm cannot see) and pass once the helpers have their own file.

usage: test_check_architecture.py CHECKER CC AR"""
import os
import subprocess
import sys
import tempfile

SERVER_HEADER = """#ifndef FIXTURE_SIM_H
#define FIXTURE_SIM_H
#include <stdint.h>
uint32_t fixture_serve(uint32_t v);
#endif
"""
VALUES_HEADER = """#ifndef FIXTURE_VALUES_H
#define FIXTURE_VALUES_H
#include <stdint.h>
void fixture_payload(uint8_t *out, uint32_t v);
#endif
"""
SERVER = """#include "proto/sim/sim.h"
#include "proto/sim/sim_internal.h"
#include "proto/sim/values.h"
uint32_t fixture_serve(uint32_t v)
{
    uint8_t out[4];
    fixture_payload(out, v);
    return out[0];
}
"""
# The pattern of proto/sim before the split: the server's internal header carries the
# wire helper, the values use it, and the server calls the values.
INLINE_HELPER = """#ifndef FIXTURE_SIM_INTERNAL_H
#define FIXTURE_SIM_INTERNAL_H
#include <stdint.h>
static inline void put_word(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
}
#endif
"""
VALUES_WITH_INLINE = """#include "proto/sim/sim_internal.h"
#include "proto/sim/values.h"
void fixture_payload(uint8_t *out, uint32_t v)
{
    put_word(out, v);
}
"""
WIRE_HEADER = """#ifndef FIXTURE_WIRE_H
#define FIXTURE_WIRE_H
#include <stdint.h>
void put_word(uint8_t *p, uint32_t v);
#endif
"""
WIRE = """#include "proto/sim/wire.h"
void put_word(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
}
"""
VALUES_WITH_WIRE = VALUES_WITH_INLINE.replace("sim_internal.h", "wire.h")
EMPTY_INTERNAL = "#ifndef FIXTURE_SIM_INTERNAL_H\n#define FIXTURE_SIM_INTERNAL_H\n#endif\n"

# Three files round a circle, each calling the next through one shared header.
ROUND_HEADER = """#ifndef FIXTURE_ROUND_H
#define FIXTURE_ROUND_H
int round_a(int n);
int round_b(int n);
int round_c(int n);
#endif
"""
ROUND = {
    "proto/core/round_internal.h": ROUND_HEADER,
    "proto/core/round_a.c": '#include "proto/core/round_internal.h"\n'
                            "int round_a(int n) { return n ? round_b(n - 1) : 0; }\n",
    "proto/core/round_b.c": '#include "proto/core/round_internal.h"\n'
                            "int round_b(int n) { return n ? round_c(n - 1) : 1; }\n",
    "proto/core/round_c.c": '#include "proto/core/round_internal.h"\n'
                            "int round_c(int n) { return n ? round_a(n - 1) : 2; }\n",
}

TREES = {
    "circle through a helper in a shared header": (1, [
        "files that call each other (a circle): proto/sim/sim.c <-> proto/sim/values.c",
        "proto/sim/values.c uses put_word() of proto/sim/sim_internal.h"], {
        "proto/sim/sim.h": SERVER_HEADER,
        "proto/sim/sim.c": SERVER,
        "proto/sim/sim_internal.h": INLINE_HELPER,
        "proto/sim/values.h": VALUES_HEADER,
        "proto/sim/values.c": VALUES_WITH_INLINE,
    }),
    "circle of three files through one header": (1, [
        "files that call each other (a circle): proto/core/round_a.c <-> "
        "proto/core/round_b.c <-> proto/core/round_c.c"], ROUND),
    "the helper in its own file": (0, ["0 problem(s)"], {
        "proto/sim/sim.h": SERVER_HEADER,
        "proto/sim/sim.c": SERVER,
        "proto/sim/sim_internal.h": EMPTY_INTERNAL,
        "proto/sim/values.h": VALUES_HEADER,
        "proto/sim/values.c": VALUES_WITH_WIRE,
        "proto/sim/wire.h": WIRE_HEADER,
        "proto/sim/wire.c": WIRE,
    }),
}


def build_tree(top, files, cc, ar):
    objects = []
    for path, text in files.items():
        os.makedirs(os.path.join(top, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(top, path), "w", encoding="utf-8") as f:
            f.write(text)
    for path in files:
        if path.endswith(".c"):
            obj = os.path.join(top, os.path.basename(path) + ".o")  # as CMake names them
            subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-O2", "-I", top, "-c",
                            os.path.join(top, path), "-o", obj], check=True)
            objects.append(obj)
    lib = os.path.join(top, "libfixture.a")
    subprocess.run([ar, "rcs", lib, *objects], check=True)
    return lib


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    checker, cc, ar = sys.argv[1:]
    failures = 0
    for name, (want_rc, want_lines, files) in TREES.items():
        with tempfile.TemporaryDirectory(prefix="arch-fixture-") as top:
            lib = build_tree(top, files, cc, ar)
            run = subprocess.run([sys.executable, checker, top, lib], capture_output=True,
                                 text=True)
        missing = [line for line in want_lines if line not in run.stdout]
        ok = run.returncode == want_rc and not missing
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {run.returncode} (want {want_rc})")
        for line in missing:
            print(f"     missing from its output: {line}")
        if not ok:
            print("     " + run.stdout.replace("\n", "\n     "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
