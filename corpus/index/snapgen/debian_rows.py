"""Debian packages of several suites into releases: every distribution version seen, one
row per (distribution, version), its provenance naming each suite, package and Debian
version it was seen in."""

import collections
import re

from .common import SRC_DEBIAN, Release, log, norm, version_key
from .debian_archive import download_debs, read_deb
from .metadata import parse_metadata, parse_requires_txt, req_name
from .modules import (INFO_RE, modules_from_paths, name_namespaces, shared_init_dirs,
                      split_package_by_name)

# Newest first: the suite whose package a row's metadata is read from when several have
# the same distribution version.
SUITE_ORDER = ("sid", "trixie", "bookworm")

# Depends that are no upstream requirement of anything: interpreter and build helpers, and
# Debian's virtual ABI packages (python3-numpy-abi9, python3-cffi-backend-api-min, ...).
IGNORED_DEPENDS = re.compile(r"^python3-(pkg-resources|supported-min|distutils|setuptools|"
                             r"lib2to3|numpy2?-abi\d+|numpy-dev|cffi-backend-api-(min|max)|"
                             r"ply-(lex|yacc)-[\d.]+)$")


def debian_upstream(v):
    v = v.split(":", 1)[-1]
    v = v.rsplit("-", 1)[0] if "-" in v else v
    return re.split(r"[+~]", v)[0]


def pypi_version(v):
    """The index's version for a version a Debian build wrote into its metadata. The index
    refuses local versions, so a local label is Debian's: "25.6.1+really25.2.1" is 25.2.1,
    "1.2+dfsg" is 1.2."""
    v = v.strip()
    if "+really" in v:
        return v.split("+really", 1)[1]
    return v.split("+", 1)[0]


def split_info_name(base, deb_version):
    """'PyYAML-6.0' -> ('PyYAML', '6.0'); 'foo' -> ('foo', upstream of deb_version)."""
    if "-" in base:
        name, ver = base.split("-", 1)
        ver = ver.split("-py")[0]
        return name, pypi_version(ver)
    return base, debian_upstream(deb_version)


def info_dirs(paths):
    return sorted({m.group(1) for p in paths for m in [INFO_RE.match(p)] if m})


class Seen:
    """One Debian package of one suite shipping Python distributions."""

    def __init__(self, suite, pkg, fields, paths):
        self.suite = suite
        self.pkg = pkg
        self.fields = fields
        self.debver = fields["Version"]
        self.paths = paths
        self.infos = info_dirs(paths)
        self.dists = [split_info_name(i, self.debver)[0] for i in self.infos]
        self.deb = None  # DebContents once read
        self.from_missing = False  # no verified Contents listed this version


def file_lists(suites):
    """(suite, package) -> paths: from the suite's Contents, else from another suite's
    Contents listing the same package at the same version (the archive holds one file
    per package, version and architecture)."""
    by_version = {}
    for s in suites:
        if s.contents is None:
            continue
        for pkg, paths in s.contents.items():
            f = s.packages.get(pkg)
            if f and any(INFO_RE.match(p) for p in paths):
                by_version[(pkg, f["Version"])] = paths
    known_pkgs = {pkg for pkg, _ in by_version}
    out, missing = {}, collections.defaultdict(list)
    for s in suites:
        for pkg in sorted(known_pkgs if s.contents is None else s.contents):
            f = s.packages.get(pkg)
            if not f:
                continue
            paths = by_version.get((pkg, f["Version"]))
            if paths is not None:
                out[(s.name, pkg)] = paths
            elif s.contents is None:
                missing[s.name].append(pkg)  # a version no verified Contents lists
    return out, missing


def collect_seen(suites, names, deb_top, cache, offline):
    """Every (suite, package) shipping a dist-info/egg-info, with the .deb read for those
    matching the deb_top most downloaded names."""
    lists, missing = file_lists(suites)
    by_suite = {s.name: s for s in suites}
    seen = [Seen(by_suite[sn], pkg, by_suite[sn].packages[pkg], paths)
            for (sn, pkg), paths in sorted(lists.items())]
    # A suite without verified Contents: its packages at versions no other suite has are
    # read from their .deb when they match a most-downloaded name (same rule as below).
    dist_names = {}
    for x in seen:
        dist_names.setdefault(x.pkg, x.dists)
    for sname, pkgs in missing.items():
        s = by_suite[sname]
        for pkg in pkgs:
            if is_wanted(dist_names.get(pkg, []), names, deb_top):
                x = Seen(s, pkg, s.packages[pkg], [])
                x.dists = dist_names[pkg]
                x.from_missing = True
                seen.append(x)
    wanted = collections.defaultdict(set)
    for x in seen:
        if is_wanted(x.dists, names, deb_top):
            wanted[x.suite.name].add((x.pkg, x.debver))
    read = {}
    for s in suites:
        paths = download_debs(cache, s, sorted(wanted[s.name]), offline)
        for (pkg, ver), path in sorted(paths.items()):
            if (pkg, ver) not in read:
                read[(pkg, ver)] = read_deb(path, s.packages[pkg]["SHA256"])
    for x in seen:
        x.deb = read.get((x.pkg, x.debver))
        if x.deb is not None:
            x.paths = x.deb.paths  # the .deb's own file list: exact
            x.infos = info_dirs(x.paths)
            x.dists = [split_info_name(i, x.debver)[0] for i in x.infos]
    # Versions left out: those of a suite without verified Contents that no .deb was read for.
    left_out = {sname: len(pkgs) - sum(1 for x in seen if x.suite.name == sname and
                                       x.from_missing and x.paths)
                for sname, pkgs in missing.items()}
    seen = [x for x in seen if x.infos]
    log("debian: %d (suite, package) pairs, %d .deb files read, %d versions without a "
        "verified file list left out" % (len(seen), len(read), sum(left_out.values())))
    return seen, len(read), left_out


def is_wanted(dists, names, deb_top):
    return any(0 < names.get(norm(d), (0, ""))[0] <= deb_top for d in dists)


def debian_releases(seen):
    """One Release per (distribution, version), from the newest suite's package."""
    # Old-style namespaces: an __init__ several packages of one suite ship. (Per suite: the
    # same package in two suites is one owner, not two.)
    shared = frozenset()
    for sname in {x.suite.name for x in seen}:
        shared |= shared_init_dirs({x.pkg: x.paths for x in seen if x.suite.name == sname})
    groups = collections.defaultdict(list)
    per_seen = []
    for x in seen:
        mods, nss = modules_from_paths(x.paths, shared | name_namespaces(x.dists, x.paths))
        split = split_package_by_name(x.dists, x.paths, shared) if len(x.infos) > 1 else None
        for info in x.infos:
            name, ver = split_info_name(info, x.debver)
            meta = x.deb.infos.get(info, {}) if x.deb else {}
            text = meta.get("METADATA") or meta.get("PKG-INFO")
            if text:
                m = re.search(r"^Version:\s*(\S+)", text, re.M)
                if m:
                    ver = pypi_version(m.group(1))
            m, n = split[name] if split is not None else (mods, nss)
            per_seen.append((x, info, name, ver, m, n, meta))
            groups[(norm(name), ver)].append(len(per_seen) - 1)
    rels = []
    for (dist, ver), idx in sorted(groups.items()):
        entries = sorted((per_seen[i] for i in idx),
                         key=lambda e: (SUITE_ORDER.index(e[0].suite.name), e[0].deb is None))
        x, info, name, ver, mods, nss, meta = entries[0]
        r = Release(name, ver, SRC_DEBIAN, "")
        r.deb_package = x.pkg
        r.deb_seen = x
        r.deb_infos = len(x.infos)
        r.modules, r.namespaces = mods, nss
        r.modules_known = True
        r.suites = sorted({e[0].suite.name for e in entries}, key=SUITE_ORDER.index,
                          reverse=True)
        r.origin = origin_text(entries)
        if len(x.infos) > 1:
            r.origin += "; modules split between the package's %d distributions by name" \
                % len(x.infos)
        r.meta = meta
        rels.append(r)
    return rels


def origin_text(entries):
    """'debian trixie+sid python3-yaml 6.0.2-1 (Contents + .deb metadata)'; packages seen
    at different Debian versions are listed one after the other."""
    by_pkgver = collections.OrderedDict()
    for e in sorted(entries, key=lambda e: -SUITE_ORDER.index(e[0].suite.name)):
        by_pkgver.setdefault((e[0].pkg, e[0].debver), []).append(e[0].suite.name)
    parts = ["%s %s %s" % ("+".join(s), pkg, dv) for (pkg, dv), s in by_pkgver.items()]
    how = "Contents + .deb metadata" if entries[0][0].deb else "Contents"
    if entries[0][0].deb and entries[0][0].suite.contents is None:
        how = ".deb file list and metadata"
    return "debian %s (%s)" % (", ".join(parts), how)


def deb_to_pypi(seen):
    """Debian package -> the one distribution it ships (packages shipping several, like
    python3-azure, do not say which one a Depends meant)."""
    names = collections.defaultdict(set)
    for x in seen:
        for d in x.dists:
            names[x.pkg].add(norm(d))
    return {pkg: next(iter(n)) for pkg, n in names.items() if len(n) == 1}


def depends_names(depends):
    names = []
    for alt in depends.split(","):
        first = alt.split("|")[0].strip()
        if first:
            names.append(re.split(r"[\s(:]", first, 1)[0])
    return names


def add_requirements(rels, deb2pypi):
    """Requirements from the .deb's METADATA / PKG-INFO / requires.txt: what the Debian
    build wrote, upstream's list (Debian keeps it even for requirements it does not
    package). When the metadata names no requirement but the package Depends on Python
    libraries, Debian removed them (some packagers delete requires.txt): those Depends
    mapped back to distribution names are restored without versions, flagged incomplete."""
    for r in rels:
        x = r.deb_seen
        if x.deb is None:
            continue
        meta = r.meta
        text = meta.get("METADATA") or meta.get("PKG-INFO")
        if text:
            parse_metadata(text, r)
        if "requires.txt" in meta:
            reqs, extras = parse_requires_txt(meta["requires.txt"])
            if not r.requires:
                r.requires = reqs
            for e in extras:
                if e not in r.extras:
                    r.extras.append(e)
        if r.deb_infos == 1 and "top_level.txt" in meta and not r.modules:
            r.modules = sorted(t.strip().replace("/", ".") for t in meta["top_level.txt"].split()
                               if t.strip())
        r.requires_known = True
        r.origin = r.origin.replace("(Contents)", "(Contents + .deb metadata)")
        if r.requires or r.deb_infos > 1:
            continue
        restored, unmapped = [], []
        for dep in depends_names(x.fields.get("Depends", "")):
            if not dep.startswith("python3-") or IGNORED_DEPENDS.match(dep):
                continue
            pypi = deb2pypi.get(dep)
            if pypi is None:
                unmapped.append(dep)
            elif pypi != r.name and pypi not in restored:
                restored.append(pypi)
        if restored:
            r.requires = restored
            r.requires_incomplete = True
            r.origin += "; metadata names no requirement, restored from Depends without " \
                        "versions: %s" % ", ".join(restored)
        if unmapped:
            r.requires_incomplete = True
            r.origin += "; unmapped Depends: " + ", ".join(unmapped)


def newest_first(rels):
    return sorted(rels, key=lambda r: version_key(r.version), reverse=True)
