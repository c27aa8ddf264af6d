"""What every source shares: names, versions, the Release row and logging."""

import re
import sys

SRC_CURATED, SRC_INSTALLED, SRC_PYODIDE, SRC_DEBIAN, SRC_TYPESHED = 1, 2, 3, 4, 5
SRC_NAMES = {SRC_CURATED: "curated", SRC_INSTALLED: "installed", SRC_PYODIDE: "pyodide",
             SRC_DEBIAN: "debian", SRC_TYPESHED: "typeshed"}

# Release flags (bits 8..15 hold the source); see src/snapshot/snapshot_format.h.
F_REQUIRES_KNOWN, F_REQUIRES_INCOMPLETE, F_MODULES_KNOWN, F_MODULES_ONLY = 1, 2, 4, 8
# Project flags: set only when a source lists every release the package index has.
P_VERSIONS_COMPLETE = 1


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


VERSION_RE = re.compile(r"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
                        r"(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?", re.I)


def version_key(v):
    """A sort key close to PEP 440 ordering for the versions seen here (stdlib only)."""
    m = VERSION_RE.match(v or "")
    if not m:
        return ((), (3, 0), -1)
    rel = tuple(int(x) for x in m.group(1).split("."))
    while len(rel) > 1 and rel[-1] == 0:
        rel = rel[:-1]
    pre = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
    prek = (pre[m.group(2).lower()], int(m.group(3) or 0)) if m.group(2) else (3, 0)
    if m.group(5) is not None and not m.group(2) and m.group(4) is None:
        prek = (-1, 0)
    post = int(m.group(4)) if m.group(4) else -1
    return (rel, prek, post)


class Release:
    """One release of one distribution as one source describes it."""

    def __init__(self, name, version, source, origin):
        self.name = norm(name)
        self.display = name
        self.version = version
        self.source = source
        self.origin = origin
        self.requires = []
        self.requires_known = False
        self.requires_incomplete = False
        self.requires_python = ""
        self.extras = []
        self.modules = []
        self.namespaces = []
        self.modules_known = False
        self.modules_only = False
        self.import_names = []

    def flags(self):
        f = 0
        if self.requires_known:
            f |= F_REQUIRES_KNOWN
        if self.requires_incomplete:
            f |= F_REQUIRES_INCOMPLETE
        if self.modules_known:
            f |= F_MODULES_KNOWN
        if self.modules_only:
            f |= F_MODULES_ONLY
        return f | (self.source << 8)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()
