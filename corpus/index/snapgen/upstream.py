"""Curated rows read from the projects' public source repositories at a release tag
(sources/upstream.jsonl, one JSON object a line; drafted and re-checked with
corpus/index/curate-upstream). Every row names the repository, tag, commit and the files
its facts were read from, so that a reader can check each one."""

import json
import sys

from .common import SRC_CURATED, Release

ROW_KEYS = ("dist", "version", "modules", "namespaces", "stub_dirs", "requires",
            "requires_complete", "requires_python", "extras", "repo", "tag", "commit",
            "subdir", "paths", "backend", "note")


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                sys.exit("%s:%d: not JSON: %s" % (path, lineno, e))
            missing = [k for k in ROW_KEYS if k not in r]
            if missing or not r["dist"] or not r["version"] or len(r["commit"]) != 40:
                sys.exit("%s:%d: incomplete row (missing %s; dist, version and a 40-digit "
                         "commit are required)" % (path, lineno, missing))
            if r["requires"] is None and r["requires_complete"]:
                sys.exit("%s:%d: requirements marked complete but not given" % (path, lineno))
            rows.append(r)
    return rows


def origin_of(r):
    where = "%s tag %s (commit %s)" % (r["repo"], r["tag"], r["commit"][:12])
    read = ", ".join(r["paths"]) if r["paths"] else "the tree"
    what = "modules from the tree and the build configuration (%s)" % read
    if r["stub_dirs"]:
        what += "; stub-only (PEP 561): ships %s, nothing importable" % ", ".join(r["stub_dirs"])
    if r["requires"] is None:
        what += "; requirements not read"
    elif not r["requires_complete"]:
        what += "; requirements incomplete"
    if r["note"]:
        what += "; " + r["note"]
    return "upstream source %s: %s" % (where, what)


def upstream_releases(path):
    rels = []
    for r in read_rows(path):
        rel = Release(r["dist"], r["version"], SRC_CURATED, "curated: " + origin_of(r))
        rel.modules, rel.namespaces = sorted(r["modules"]), sorted(r["namespaces"])
        rel.modules_known = True
        if r["requires"] is not None:
            rel.requires = list(r["requires"])
            rel.requires_known = True
            rel.requires_incomplete = not r["requires_complete"]
        rel.requires_python = r["requires_python"]
        rel.extras = list(r["extras"])
        rels.append(rel)
    return rels
