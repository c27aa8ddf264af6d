"""Coverage figures of a snapshot file, by source, measured against the names list's
download ranks: computed from the written file itself, so that the same code measures an
older snapshot ("before") and a new one ("after")."""

import re

from .common import (F_MODULES_KNOWN, F_MODULES_ONLY, F_REQUIRES_INCOMPLETE, F_REQUIRES_KNOWN,
                     SRC_DEBIAN, SRC_NAMES, version_key)

SUITES = ("bookworm", "trixie", "sid")
TOPS = (1000, 5000)


def labels(rel):
    """The sources a release row stands for: its source, and for Debian rows each suite
    its provenance names ("debian bookworm", "debian sid", ...)."""
    src = SRC_NAMES.get(rel.flags >> 8, "?")
    out = [src]
    if (rel.flags >> 8) == SRC_DEBIAN:
        head = rel.origin.split("(", 1)[0]
        out += ["debian " + s for s in SUITES if re.search(r"\b%s\b" % s, head)]
    if src == "curated" and "curated: upstream source " in rel.origin:
        out.append("curated upstream source")
    return out


def lists_modules(r):
    return bool(r.flags & F_MODULES_KNOWN) and bool(r.modules or r.namespaces)


def has_modules(r):
    """Module data: the modules a release provides are known, including "none importable"
    (a stub-only distribution ships only <name>-stubs/ directories, a meta-package only
    its metadata: the file list says so, and that is what `which` and the unused-package
    check need)."""
    return bool(r.flags & F_MODULES_KNOWN)


def installable(r):
    return not r.flags & F_MODULES_ONLY


def complete_requires(r):
    return installable(r) and bool(r.flags & F_REQUIRES_KNOWN) and \
        not r.flags & F_REQUIRES_INCOMPLETE


def series(v):
    m = re.match(r"^v?(\d+)(?:\.(\d+))?", v or "")
    return (int(m.group(1)), int(m.group(2) or 0)) if m else None


def age_of(newest, latest):
    """How the newest version the snapshot holds compares with the names list's latest."""
    if not latest:
        return "no latest in the names list"
    kn, kl = version_key(newest), version_key(latest)
    if kn == kl:
        return "same as latest"
    if kn > kl:
        return "newer than the list"
    sn, sl = series(newest), series(latest)
    if sn and sl and sn == sl:
        return "same major.minor, older patch"
    if sn and sl and sn[0] == sl[0]:
        return "same major, older minor"
    return "older major"


AGE_ORDER = ("same as latest", "newer than the list", "same major.minor, older patch",
             "same major, older minor", "older major", "no latest in the names list")


def coverage(projects, names):
    """projects: read_snapshot()'s table; names: read_names()'s."""
    fig = {}
    ranked = sorted((v[0], n) for n, v in names.items() if v[0])
    for top in TOPS:
        sel = [n for rk, n in ranked if rk <= top]
        c = {"names": len(sel), "with_modules": 0, "with_importable_modules": 0,
             "with_requirements": 0,
             "with_complete_requirements": 0, "by_source": {}, "age_of_newest": {},
             "newest_from": {}}
        by = c["by_source"]
        for n in sel:
            rels = projects.get(n, (0, "", [], 0))[2]
            c["with_modules"] += any(has_modules(r) for r in rels)
            c["with_importable_modules"] += any(lists_modules(r) for r in rels)
            c["with_requirements"] += any(installable(r) and r.flags & F_REQUIRES_KNOWN
                                          for r in rels)
            c["with_complete_requirements"] += any(complete_requires(r) for r in rels)
            for label in sorted({lb for r in rels for lb in labels(r)}):
                mine = [r for r in rels if label in labels(r)]
                e = by.setdefault(label, {"with_modules": 0, "with_complete_requirements": 0})
                e["with_modules"] += any(has_modules(r) for r in mine)
                e["with_complete_requirements"] += any(complete_requires(r) for r in mine)
            inst = [r for r in rels if installable(r)]
            if inst:
                newest = max(inst, key=lambda r: version_key(r.version))
                a = age_of(newest.version, names[n][1])
                c["age_of_newest"][a] = c["age_of_newest"].get(a, 0) + 1
                src = labels(newest)[-1]
                c["newest_from"][src] = c["newest_from"].get(src, 0) + 1
        fig["top%d" % top] = c
    return fig


def pct(a, b):
    return "%d (%.1f%%)" % (a, 100.0 * a / b) if b else "0"


def markdown(fig):
    """The README's tables for one figures dict."""
    out = ["| ranked names | with module data | of which list importable modules | with "
           "requirements | with complete requirements |",
           "| --- | --- | --- | --- | --- |"]
    for top in TOPS:
        c = fig["top%d" % top]
        imp = c.get("with_importable_modules")
        out.append("| top %d (%d names) | %s | %s | %s | %s |" % (
            top, c["names"], pct(c["with_modules"], c["names"]),
            pct(imp, c["names"]) if imp is not None else "(not measured)",
            pct(c["with_requirements"], c["names"]),
            pct(c["with_complete_requirements"], c["names"])))
    out += ["", "By source (a name counts for every source that has a row for it):", "",
            "| source | top 1000 modules | top 1000 complete requirements | top 5000 modules "
            "| top 5000 complete requirements |", "| --- | --- | --- | --- | --- |"]
    srcs = sorted(set(fig["top1000"]["by_source"]) | set(fig["top5000"]["by_source"]))
    for s in srcs:
        a = fig["top1000"]["by_source"].get(s, {})
        b = fig["top5000"]["by_source"].get(s, {})
        out.append("| %s | %s | %s | %s | %s |" % (
            s, pct(a.get("with_modules", 0), fig["top1000"]["names"]),
            pct(a.get("with_complete_requirements", 0), fig["top1000"]["names"]),
            pct(b.get("with_modules", 0), fig["top5000"]["names"]),
            pct(b.get("with_complete_requirements", 0), fig["top5000"]["names"])))
    out += ["", "Age of the newest installable version the snapshot holds, against the names "
            "list's latest version:", "", "| newest known vs latest | top 1000 | top 5000 |",
            "| --- | --- | --- |"]
    for a in AGE_ORDER:
        x = fig["top1000"]["age_of_newest"].get(a, 0)
        y = fig["top5000"]["age_of_newest"].get(a, 0)
        if x or y:
            out.append("| %s | %d | %d |" % (a, x, y))
    return "\n".join(out)


def agreement(deb, pyo, tsh, inst):
    """How the module sets of other sources agree with Debian's, per distribution both
    describe (Debian packages shipping one distribution; Debian's newest version)."""
    # Compared at the top level (pyodide lists only top-level import names): the set of
    # first components of every module and namespace each source gives.
    def top(r):
        return {m.split(".")[0] for m in r.modules + r.namespaces}

    debmods = {}
    for r in sorted(deb, key=lambda r: version_key(r.version)):
        if r.deb_infos == 1:
            debmods[r.name] = top(r)
    agree = {}
    for label, rels in (("pyodide", pyo), ("typeshed", [r for r in tsh if not
                                                        r.name.startswith("types-")]),
                        ("installed", inst)):
        same, sub, sup, other, examples = 0, 0, 0, 0, []
        for r in rels:
            if r.name not in debmods:
                continue
            if not r.modules_known or not (r.modules or r.namespaces):
                continue
            a, b = debmods[r.name], top(r)
            if a == b:
                same += 1
            elif b < a:
                sub += 1
                if len(examples) < 12:
                    examples.append("%s: debian also has %s" % (r.name, sorted(a - b)))
            elif a < b:
                sup += 1
                if len(examples) < 24:
                    examples.append("%s: %s also has %s" % (r.name, label, sorted(b - a)))
            else:
                other += 1
                if len(examples) < 36:
                    examples.append("%s: debian %s vs %s %s" % (r.name, sorted(a), label,
                                                                 sorted(b)))
        agree[label] = {"both": same + sub + sup + other, "equal": same,
                        "other_subset_of_debian": sub, "debian_subset_of_other": sup,
                        "differ": other, "examples": examples}
    return agree
