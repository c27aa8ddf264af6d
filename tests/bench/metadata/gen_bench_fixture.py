#!/usr/bin/python3
"""Writes the benchmark's fixture: N synthetic distributions "bench-dist-NNN", each with
two versions, a package of 20 modules, a subpackage, and requirements on neighbours;
every tenth one also gets a pad (>1 MB wheel) via the names printed on stdout.

    gen_bench_fixture.py N OUT.json   (prints the names to pad, one per line)
"""
import json
import sys


def main(n, out):
    projects = []
    for i in range(n):
        name = "bench-dist-%03d" % i
        pkg = "bench_dist_%03d" % i
        files = ["%s/__init__.py" % pkg] + ["%s/mod_%02d.py" % (pkg, k) for k in range(20)]
        files += ["%s/sub/__init__.py" % pkg, "%s/sub/impl.py" % pkg]
        reqs = ["bench-dist-%03d>=1.0" % ((i + 1) % n), "bench-dist-%03d; extra == \"x\"" % ((i + 2) % n)]
        rels = [{"version": v, "requires_python": ">=3.8", "requires_dist": reqs,
                 "provides_extra": ["x"], "files": files} for v in ("1.0", "1.1")]
        projects.append({"name": name, "releases": rels})
    with open(out, "w") as f:
        json.dump({"projects": projects}, f, indent=1)
    for i in range(0, n, 10):
        print("bench-dist-%03d" % i)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
