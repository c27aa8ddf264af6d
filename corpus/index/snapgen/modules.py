"""File lists to modules: the rules of include/depaudit/wheel.h (da_modules_from_paths),
plus the old-style namespace and shared-package rules described in README.md."""

import collections
import re

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EXT_SUFFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)*\.(so|pyd)$")


def module_name_of_file(base):
    """The module a file at some directory level defines, or None."""
    for suf in (".py", ".pyc", ".pyi"):
        if base.endswith(suf):
            stem = base[: -len(suf)]
            return stem if IDENT.match(stem) else None
    m = EXT_SUFFIX.match(base)
    if m:
        return m.group(1)
    return None


def modules_from_paths(paths, shared_init=frozenset()):
    """(modules, namespaces) from paths relative to site-packages.

    A directory with __init__ (py/pyc/pyi/so) is a regular package: listed, not descended,
    unless it is in shared_init (an old-style pkg_resources/pkgutil namespace whose
    __init__.py several distributions ship, e.g. zope/__init__.py).
    A directory without one that holds modules somewhere below is a namespace: listed in
    namespaces, its contents examined at the next dotted level."""
    tree = {}
    for p in paths:
        p = p.strip().lstrip("./") if p.startswith("./") else p.strip()
        if not p or p.startswith("..") or p.startswith("/"):
            continue
        parts = p.split("/")
        if any(x.endswith((".dist-info", ".egg-info", ".data")) or x == "__pycache__"
               for x in parts[:-1]):
            continue
        if parts[0].endswith((".dist-info", ".egg-info")):
            continue
        node = tree
        for d in parts[:-1]:
            node = node.setdefault(d, {})
        node.setdefault("\0files", set()).add(parts[-1])

    modules, namespaces = set(), set()

    def walk(node, prefix):
        found = False
        for f in node.get("\0files", ()):
            m = module_name_of_file(f)
            if m and m != "__init__":
                modules.add(prefix + m)
                found = True
        for d, sub in node.items():
            if d == "\0files" or not IDENT.match(d):
                continue
            files = sub.get("\0files", set())
            if (prefix + d) not in shared_init and any(
                    module_name_of_file(f) == "__init__" for f in files):
                modules.add(prefix + d)
                found = True
            elif walk(sub, prefix + d + "."):
                namespaces.add(prefix + d)
                found = True
        return found

    walk(tree, "")
    # A name that is a regular module somewhere wins over a namespace of the same name.
    namespaces -= modules
    return sorted(modules), sorted(namespaces)


INFO_RE = re.compile(r"^([^/]+)\.(dist-info|egg-info)(/|$)")


def shared_init_dirs(files):
    """Dotted directory names whose __init__ file ships in two or more distributions'
    packages: those are pkgutil/pkg_resources-style namespace packages."""
    owners = collections.defaultdict(set)
    for pkg, paths in files.items():
        for p in paths:
            parts = p.split("/")
            if len(parts) >= 2 and module_name_of_file(parts[-1]) == "__init__" and \
                    all(IDENT.match(x) for x in parts[:-1]):
                owners[".".join(parts[:-1])].add(pkg)
    return frozenset(d for d, o in owners.items() if len(o) >= 2)


def name_namespaces(dist_names, paths):
    """Directories that a dotted distribution name shows to be namespaces even when an
    __init__.py is shipped (pkgutil/pkg_resources style): zope.interface ships
    zope/__init__.py and zope/interface/, so "zope" is a namespace; likewise
    google-cloud-storage gives "google" and "google.cloud"."""
    dirs = {".".join(p.split("/")[:-1]) for p in paths}
    owned = {".".join(re.split(r"[-_.]+", n.lower())) for n in dist_names}
    out = set()
    for name in dist_names:
        parts = re.split(r"[-_.]+", name.lower())
        for i in range(1, len(parts)):
            full = ".".join(parts[:i + 1])
            if any(d == full or d.startswith(full + ".") for d in dirs) and \
                    ".".join(parts[:i]) not in owned:
                out.add(".".join(parts[:i]))
    return out


def split_package_by_name(dist_names, paths, shared):
    """One Debian package shipping several distributions (python3-azure ships ~150): each
    distribution whose dotted name is a directory of the package (azure-storage-blob ->
    azure/storage/blob) gets the modules under it, the deepest claim winning
    (azure/storage/blob/changefeed belongs to azure-storage-blob-changefeed); what no name
    claims goes to all of them. Returns {dist: (modules, namespaces)}."""
    dirs = {"/".join(p.split("/")[:i]) for p in paths for i in range(1, len(p.split("/")))}
    claims = {}
    for d in dist_names:
        # azure-storage-file-datalake lives in azure/storage/filedatalake: try joining
        # adjacent name parts with "/", "" or "_".
        parts = re.split(r"[-_.]+", d.lower())
        for path in sorted(name_paths(parts), key=lambda x: -x.count("/")):
            if path in dirs and path not in claims:
                claims[path] = d
                break
    by_owner = collections.defaultdict(list)
    for p in paths:
        parts = p.split("/")
        owner = None
        for i in range(len(parts) - 1, 0, -1):
            if "/".join(parts[:i]) in claims:
                owner = claims["/".join(parts[:i])]
                break
        if owner is None and module_name_of_file(parts[-1]) == "__init__" and any(
                c.startswith("/".join(parts[:-1]) + "/") for c in claims):
            continue  # the __init__ of a directory above a claim: a namespace level
        by_owner[owner].append(p)
    out = {}
    shared_mods, shared_ns = modules_from_paths(by_owner.get(None, []), shared)
    for d in dist_names:
        mods, nss = modules_from_paths(by_owner.get(d, []), shared)
        out[d] = (sorted(set(mods) | set(shared_mods)), sorted(set(nss) | set(shared_ns)))
    return out


def name_paths(parts):
    if len(parts) > 7:
        return ["/".join(parts)]
    out = [parts[0]]
    for p in parts[1:]:
        out = [o + sep + p for o in out for sep in ("/", "", "_")]
    return out
