"""Module derivation (record_modules.c) against importlib.metadata on installed environments.

For every distribution with a RECORD under /usr/lib/python3/dist-packages and each pyenv
site-packages, the top-level names we derive (first component of our modules and
namespaces) must equal what importlib.metadata.packages_distributions() maps to it.

packages_distributions() takes a distribution's top-level names from top_level.txt when
it has one, else infers them from the .py files in its RECORD. The one principled
exclusion: names that are not Python identifiers ("..", "foo-1.0.data") are dropped from
importlib's side (nothing can import them; our derivation drops them on purpose); they are
counted and printed.
A distribution whose Name appears twice in one environment is skipped (the mapping cannot
tell the two apart).

usage: site_packages_oracle.py PROBE
"""
import collections
import glob
import importlib.metadata as md
import os
import subprocess
import sys


def environments():
    envs = ["/usr/lib/python3/dist-packages"]
    envs += sorted(glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages"))
    return [e for e in envs if os.path.isdir(e)]


def main():
    probe = sys.argv[1]
    stats = collections.Counter()
    failures = []
    for env in environments():
        saved = sys.path[:]
        sys.path[:] = [env]
        try:
            mapping = md.packages_distributions()
            dists = [d for d in md.distributions(path=[env])]
        finally:
            sys.path[:] = saved
        names = collections.Counter(d.metadata["Name"] for d in dists)
        expected = collections.defaultdict(set)
        for top, owners in mapping.items():
            for owner in owners:
                expected[owner].add(top)
        by_dir = {}
        for d in dists:
            path = str(d._path)
            if not os.path.exists(os.path.join(path, "RECORD")):
                stats["no RECORD (not compared)"] += 1
                continue
            if names[d.metadata["Name"]] > 1:
                stats["duplicate Name in one environment (skipped)"] += 1
                continue
            by_dir[path] = d
        out = subprocess.run([probe, "dists"], input="\n".join(by_dir) + "\n",
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            path, _, rest = line.partition("\t")
            d = by_dir[path]
            if rest.startswith("!"):
                failures.append(f"{path}: probe error {rest[1:]}")
                continue
            mods, _, nss = rest.partition("\t")
            ours = {m.split(".")[0] for m in (mods.split(",") + nss.split(",")) if m}
            theirs = {t for t in expected.get(d.metadata["Name"], set()) if t.isidentifier()}
            dropped = {t for t in expected.get(d.metadata["Name"], set())
                       if not t.isidentifier()}
            stats["non-identifier names dropped"] += len(dropped)
            if dropped:
                print(f"{path}: not identifiers, not compared: {sorted(dropped)}")
            declared = bool((d.read_text("top_level.txt") or "").split())
            stats["compared via top_level.txt" if declared else "compared via .py files"] += 1
            stats["distributions compared"] += 1
            if ours != theirs:
                failures.append(f"{path}: ours {sorted(ours)} importlib {sorted(theirs)}")
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    for f in failures:
        print("DIFFERS", f)
    # Debian's own dist-packages alone (no pyenv) holds about 8 such distributions
    if stats["distributions compared"] < 5:
        print("too few distributions compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
