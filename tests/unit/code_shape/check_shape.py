#!/usr/bin/env python3
"""The code's shape rules that review would otherwise enforce by eye:

- no function in src/ longer than 120 lines (body, from its opening to its closing brace at
  column 0, the repository's clang-format style);
- no include cycle among the private headers of src/ (a header that includes, directly or
  through others, itself);
- every C file clang-format clean, when clang-format is installed (the check is skipped,
  and says so, on a machine without it).

Usage: check_shape.py SOURCE_DIR | --self-test
(--self-test plants a long function and an include cycle in a temporary tree and checks
that both are found, so the check itself cannot silently stop finding anything.)
"""
import os
import re
import shutil
import subprocess
import sys

LIMIT = 120


def c_files(root, exts=(".c", ".h")):
    for base in ("src", "include"):
        for d, _, names in os.walk(os.path.join(root, base)):
            for n in sorted(names):
                if n.endswith(exts):
                    yield os.path.join(d, n)


def long_functions(root):
    bad = []
    for path in c_files(root, (".c",)):
        if "/src/" not in path:
            continue
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        start = None
        for i, line in enumerate(lines):
            if line == "{" and i > 0 and re.search(r"\)\s*$", lines[i - 1]):
                start = i
            elif line == "}" and start is not None:
                length = i - start + 1
                if length > LIMIT:
                    bad.append(f"{os.path.relpath(path, root)}:{start}: function of {length} lines (limit {LIMIT})")
                start = None
    return bad


def include_cycles(root):
    src = os.path.join(root, "src")
    graph = {}
    for path in c_files(root, (".h",)):
        if not path.startswith(src + os.sep):
            continue
        rel = os.path.relpath(path, src)
        text = open(path, encoding="utf-8", errors="replace").read()
        graph[rel] = [m for m in re.findall(r'^#include "([^"]+)"', text, re.M)
                      if os.path.exists(os.path.join(src, m))]
    bad, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph.get(node, []):
            if state.get(nxt) == "open":
                bad.append("include cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return bad


def unformatted(root):
    tool = shutil.which("clang-format")
    if not tool:
        print("clang-format not installed: the format check is skipped")
        return []
    files = list(c_files(root))
    out = subprocess.run([tool, "--dry-run", "-Werror", "--style=file"] + files,
                         cwd=root, capture_output=True, text=True)
    names = sorted({l.split(":")[0] for l in out.stderr.splitlines() if ": error:" in l})
    return [f"{os.path.relpath(n, root)}: not clang-format clean" for n in names]


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as t:
        os.makedirs(os.path.join(t, "src", "x"))
        body = "\n".join(["    n++;"] * LIMIT)
        open(os.path.join(t, "src", "x", "long.c"), "w").write(
            f"int short_one(void)\n{{\n    return 0;\n}}\n\nint long_one(int n)\n{{\n{body}\n    return n;\n}}\n")
        open(os.path.join(t, "src", "x", "a.h"), "w").write('#include "x/b.h"\n')
        open(os.path.join(t, "src", "x", "b.h"), "w").write('#include "x/a.h"\n')
        longs, cycles = long_functions(t), include_cycles(t)
    ok = len(longs) == 1 and "long.c:6" in longs[0] and len(cycles) == 1
    print("self-test:", longs, cycles, "ok" if ok else "FAILED")
    return 0 if ok else 1


def main():
    if sys.argv[1] == "--self-test":
        return self_test()
    root = os.path.abspath(sys.argv[1])
    problems = long_functions(root) + include_cycles(root) + unformatted(root)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
