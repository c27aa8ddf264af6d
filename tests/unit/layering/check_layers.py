#!/usr/bin/env python3
"""The stages are layered: each may use only the stages before it (util, pep, python,
image, snapshot, metadata, resolve, audit, report, check; then the cli). Checked two ways:

- includes: no file of a stage (src/<stage>/, sub-folders too, and its public headers in
  include/depaudit/) includes the public header of a later stage or a private header of
  another stage;
- links: no stage's static library refers to a symbol defined by a later stage's library
  (nm), and every stage it refers to is among its declared CMake DEPS, and every declared
  DEP is used ("declared as used").

Usage: check_layers.py SOURCE_DIR STAGE=LIBRARY=DEP,DEP... ... (in stage order)
"""
import os
import re
import subprocess
import sys

# Which stage owns each public header. A new header must be added here.
HEADERS = {
    "util.h": "util", "dist.h": "util", "target.h": "util", "util_json.h": "util",
    "provider.h": "util", "grammars.h": "grammars",
    "pep.h": "pep", "wheel.h": "pep", "core_metadata.h": "pep",
    "imports.h": "python",
    "install_plan.h": "image", "toml.h": "image", "build_context.h": "image",
    "snapshot.h": "snapshot",
    "metadata.h": "metadata",
    "resolve.h": "resolve",
    "audit.h": "audit",
    "report.h": "report",
    "check.h": "check",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    src = sys.argv[1]
    order, libs, deps = ["grammars"], {}, {"grammars": set()}
    for spec in sys.argv[2:]:
        name, lib, dep = spec.split("=", 2)
        if name == "grammars":
            libs[name] = lib
            continue
        order.append(name)
        libs[name] = lib
        deps[name] = {d[3:] if d.startswith("da_") else d for d in dep.split(",") if d}
    order.append("cli")
    rank = {s: i for i, s in enumerate(order)}
    # util and the grammars are both foundations: neither uses the other
    rank["grammars"] = rank["util"] = 0
    failures = []
    failures += check_includes(src, order, rank)
    failures += check_links(order, rank, libs, deps)
    for f in failures:
        print("FAIL: " + f)
    print(f"{len(failures)} layering problems in {len(order) - 1} stages")
    return 1 if failures else 0


def files_of(src, stage):
    top = os.path.join(src, "src", stage)
    for d, _, names in os.walk(top):
        for n in names:
            if n.endswith((".c", ".h")):
                yield os.path.join(d, n)
    for h, owner in HEADERS.items():
        if owner == stage:
            yield os.path.join(src, "include", "depaudit", h)


def check_includes(src, order, rank):
    failures = []
    known = set(os.listdir(os.path.join(src, "include", "depaudit")))
    for h in sorted(known - set(HEADERS)):
        failures.append(f"include/depaudit/{h} belongs to no stage (add it to HEADERS)")
    for stage in order:
        for path in files_of(src, stage):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rel = os.path.relpath(path, src)
            for inc in INCLUDE.findall(text):
                first = inc.split("/")[0]
                if first == "depaudit":
                    owner = HEADERS.get(inc.split("/", 1)[1])
                    if owner and rank[owner] > rank[stage]:
                        failures.append(f"{rel} ({stage}) includes {inc} of the later stage {owner}")
                elif "/" in inc and first in rank and first != stage:
                    failures.append(f"{rel} ({stage}) includes {inc}, a private header of {first}")
    return failures


def symbols(lib):
    out = subprocess.run(["nm", "-g", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-g", "--undefined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    undefined = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, undefined - defined


def check_links(order, rank, libs, deps):
    failures = []
    owner, used = {}, {}
    table = {s: symbols(libs[s]) for s in libs}
    for s, (defined, _) in table.items():
        for sym in defined:
            owner.setdefault(sym, s)
    for s, (_, undefined) in table.items():
        uses = {}
        for sym in undefined:
            o = owner.get(sym)
            if o and o != s:
                uses.setdefault(o, sym)
        used[s] = uses
        for o, sym in sorted(uses.items()):
            if rank[o] > rank[s]:
                failures.append(f"da_{s} uses {sym} of the later stage {o}")
            elif o not in deps[s]:
                failures.append(f"da_{s} uses {sym} of {o} without declaring da_{o} in its DEPS")
        for d in sorted(deps[s] - set(uses)):
            failures.append(f"da_{s} declares da_{d} in its DEPS but uses none of it")
    return failures


if __name__ == "__main__":
    sys.exit(main())
