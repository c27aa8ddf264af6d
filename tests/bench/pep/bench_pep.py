#!/usr/bin/python3
"""Version parse+compare and marker evaluation: da_pep and packaging 23.0, same inputs,
same run. Prints operations per second for both and the ratio.
Run: /usr/bin/python3 bench_pep.py --bench <build>/tests/bench/pep/bench_pep
(packaging's Marker.evaluate() builds the default environment on every call; that is
part of its cost as an API and is included.)"""
import argparse
import os
import random
import subprocess
import sys
import time

from packaging.markers import Marker
from packaging.version import Version

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "oracle", "pep"))
from oracle_pep import Gen  # noqa: E402  the oracle's generators, for realistic inputs

ENV_KEYS = ["python_version", "python_full_version", "os_name", "sys_platform",
            "platform_system", "platform_machine", "platform_release", "platform_version",
            "platform_python_implementation", "implementation_name", "implementation_version"]
ENV = {"python_version": "3.11", "python_full_version": "3.11.7", "os_name": "posix",
       "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
       "platform_release": "6.1.0", "platform_version": "#1 SMP",
       "platform_python_implementation": "CPython", "implementation_name": "cpython",
       "implementation_version": "3.11.7"}


def inputs(seed):
    g = Gen(seed)
    versions = []
    while len(versions) < 5000:
        s = g.version(ws=False)
        try:
            Version(s)
            versions.append(s)
        except Exception:
            pass
    markers = []
    while len(markers) < 500:
        s = g.marker()
        try:
            m = Marker(s)
            e = dict(ENV)
            e["extra"] = "test"
            m.evaluate(e)  # only markers that evaluate without raising
            if "\n" not in s and "\\N{" not in s:
                markers.append(s)
        except Exception:
            pass
    return versions, markers


def py_versions(versions):
    ops, start = 0, time.perf_counter()
    while True:
        prev = None
        for s in versions:
            v = Version(s)
            if prev is not None:
                _ = v < prev
            prev = v
            ops += 1
        el = time.perf_counter() - start
        if el >= 1.0:
            return ops / el


def py_markers(markers):
    parsed = [Marker(s) for s in markers]
    env = dict(ENV)
    env["extra"] = "test"
    ops, start = 0, time.perf_counter()
    while True:
        for m in parsed:
            m.evaluate(env)
            ops += 1
        el = time.perf_counter() - start
        if el >= 1.0:
            return ops / el


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    versions, markers = inputs(args.seed)
    text = "V %d\n%s\nM %d\n%s\nE\n%s\n%s\n" % (
        len(versions), "\n".join(versions), len(markers), "\n".join(markers),
        "\n".join(ENV[k] for k in ENV_KEYS), "test")
    out = subprocess.run([args.bench], input=text.encode(), stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    c = dict((line.split()[0], float(line.split()[1])) for line in out.splitlines())
    pv, pm = py_versions(versions), py_markers(markers)
    print("%-32s %14s %14s %8s" % ("operation", "da_pep ops/s", "packaging", "ratio"))
    print("%-32s %14.0f %14.0f %7.1fx" % ("version parse + compare", c["versions"], pv,
                                          c["versions"] / pv))
    print("%-32s %14.0f %14.0f %7.1fx" % ("marker evaluate", c["markers"], pm,
                                          c["markers"] / pm))


if __name__ == "__main__":
    main()
