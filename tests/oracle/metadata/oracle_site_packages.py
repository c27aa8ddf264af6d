#!/usr/bin/python3
"""Oracle: depaudit's site-packages reader against importlib.metadata.

    oracle_site_packages.py DUMP_PROGRAM SITE_PACKAGES_DIR...

For each directory, packages_distributions() is computed by this interpreter with
sys.path reduced to that directory alone (so it sees exactly the same distributions), and
compared with the top-level names depaudit derives (site_packages_dump). Agreement is
required per (top-level name, distribution) pair, except for the principled exclusions
below, each of which is counted and printed.

Principled exclusions (where importlib's answer is not what an import sees):
  * importlib 3.11 prefers top_level.txt when a distribution ships one, and infers from
    *.py files otherwise. depaudit derives names from the file list (RECORD or
    installed-files.txt) and uses top_level.txt only when there is no file list:
      - a top_level.txt name with no module, package or extension in the file list
        ("stale" declarations, e.g. build leftovers) is not importable: excluded;
      - an importable top-level that exists only as an extension module (.so) or is a
        package whose files are not .py (3.11's inference looks at .py only) is reported
        by depaudit and missing from importlib's inferred answer: excluded.
  * importlib 3.11 does not read an egg-info's installed-files.txt (3.12 does): such a
    distribution's modules are importable, depaudit reports them, 3.11 infers nothing.
    Excluded when the name comes from installed-files.txt.
  * Names that are not Python identifiers (e.g. "__editable__.x", "_distutils_hack"
    pth helpers are identifiers and kept) cannot be imported: excluded.
Everything else must match exactly; the test fails on any other difference.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
INSTALLED_FILES_ONLY = set()  # (top, dist) known from installed-files.txt alone


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def importlib_view(directory):
    sys.path[:] = [directory]
    mapping = importlib.metadata.packages_distributions()
    pairs = set()
    for top, dists in mapping.items():
        for d in dists:
            if d:
                pairs.add((top, normalize(d)))
    files_of = {}
    for dist in importlib.metadata.distributions(path=[directory]):
        name = dist.metadata["Name"]
        if not name:
            continue
        files = dist.files or []
        tops = set()
        for f in files:
            parts = f.parts
            if not parts or parts[0] == "..":
                continue
            if len(parts) > 1:
                tops.add(parts[0])
            else:
                base = parts[0]
                tops.add(base.split(".", 1)[0])
        installed = dist.read_text("installed-files.txt")
        if installed and not dist.read_text("SOURCES.txt"):
            base = os.path.basename(str(dist._path))
            for line in installed.splitlines():
                rel = os.path.normpath(os.path.join(base, line.strip()))
                if line.strip() and not rel.startswith(".."):
                    top = rel.split(os.sep)[0]
                    INSTALLED_FILES_ONLY.add((top.split(".", 1)[0], normalize(name)))
        files_of.setdefault(normalize(name), set()).update(tops)
    return pairs, files_of


def depaudit_view(dump, directory):
    out = subprocess.run([dump, directory], check=True, capture_output=True, text=True)
    doc = json.loads(out.stdout)
    pairs = set()
    for d in doc["distributions"]:
        for top in d["top_levels"]:
            pairs.add((top, d["name"]))
    return pairs, doc


def compare(dump, directory):
    theirs, files_of = importlib_view(directory)
    ours, doc = depaudit_view(dump, directory)
    excluded = {"stale top_level.txt": 0, "not .py (extension/data)": 0, "not identifier": 0,
                "installed-files.txt": 0}
    failures = []
    for top, dist in sorted(theirs - ours):
        if not IDENT.match(top):
            excluded["not identifier"] += 1
            print("  excluded: %s -> %r (not an identifier)" % (dist, top))
        elif top not in files_of.get(dist, set()):
            excluded["stale top_level.txt"] += 1
            print("  excluded: %s -> %r (top_level.txt only, no such file)" % (dist, top))
        else:
            failures.append("importlib says %s provides %s; depaudit does not" % (dist, top))
    for top, dist in sorted(ours - theirs):
        if (top, dist) in INSTALLED_FILES_ONLY:
            excluded["installed-files.txt"] += 1
            print("  excluded: %s -> %r (from installed-files.txt, unread by 3.11)" % (dist, top))
        elif top in files_of.get(dist, set()):
            excluded["not .py (extension/data)"] += 1
            print("  excluded: %s -> %r (importable, but not a .py file)" % (dist, top))
        else:
            failures.append("depaudit says %s provides %s; importlib does not" % (dist, top))
    agree = len(theirs & ours)
    print("%s: %d distributions, %d (top-level, distribution) pairs agree; exclusions: %s"
          % (directory, len(doc["distributions"]), agree, excluded))
    for w in doc["warnings"]:
        print("  depaudit warning: %s" % w)
    for f in failures:
        print("  MISMATCH: %s" % f)
    return agree, failures


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    dump = argv[0]
    total_fail = 0
    total_agree = 0
    for d in argv[1:]:
        if not os.path.isdir(d):
            print("%s: not present, skipped" % d)
            continue
        agree, failures = compare(dump, d)
        total_agree += agree
        total_fail += len(failures)
    if total_agree == 0:
        print("no distribution compared: the oracle checked nothing")
        return 1
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
