"""The non-Debian sources: the names list, npm pyodide and pyright (typeshed), installed
environments and the curated facts."""

import csv
import glob
import hashlib
import json
import os
import re
import sys

from .common import (SRC_CURATED, SRC_INSTALLED, SRC_PYODIDE, SRC_TYPESHED, Release, norm,
                     read_bytes)
from .metadata import parse_metadata
from .modules import IDENT, modules_from_paths, name_namespaces


def read_names(path):
    """name, version, month, rank_among_15000_most_downloaded, summary (TSV, header line).
    Returns ({normalised name: (rank, latest version, its month)}, newest month, sha256)."""
    names = {}
    newest_month = ""
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    with open(path, encoding="utf-8", errors="replace") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:4] != ["name", "version", "month", "rank_among_15000_most_downloaded"]:
            sys.exit("%s: unexpected header %r (see corpus/index/README.md)" % (path, header))
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[0]:
                continue
            rank = int(cols[3]) if cols[3].isdigit() else 0
            n = norm(cols[0])
            if n in names and names[n][0] and not rank:
                continue
            names[n] = (rank, cols[1], cols[2])
            if cols[2] > newest_month:
                newest_month = cols[2]
    return names, newest_month, sha


def pyodide_releases(npm_dir):
    path = os.path.join(npm_dir, "node_modules/pyodide/pyodide-lock.json")
    with open(path) as f:
        lock = json.load(f)
    ver = json.load(open(os.path.join(npm_dir, "node_modules/pyodide/package.json")))["version"]
    rels = []
    for key, p in sorted(lock["packages"].items()):
        if p.get("package_type") != "package" or key.endswith("-tests"):
            continue
        r = Release(p["name"], p["version"], SRC_PYODIDE,
                    "pyodide %s pyodide-lock.json (%s)" % (ver, p.get("file_name", "")))
        r.pyodide_imports = [i for i in p.get("imports", []) if all(IDENT.match(x) for x in i.split("."))]
        r.requires = [d for d in p.get("depends", []) if not d.endswith("-tests")]
        r.requires_known = True
        r.requires_incomplete = True  # names only: specifiers, extras and markers not kept
        r.modules_known = bool(r.pyodide_imports)
        rels.append(r)
    return rels, ver


def typeshed_releases(npm_dir):
    root = os.path.join(npm_dir, "node_modules/pyright/dist/typeshed-fallback/stubs")
    ver = json.load(open(os.path.join(npm_dir, "node_modules/pyright/package.json")))["version"]
    rels = []
    for d in sorted(os.listdir(root)):
        meta = os.path.join(root, d, "METADATA.toml")
        if not os.path.exists(meta):
            continue
        text = open(meta).read()
        m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        spec = m.group(1) if m else ""
        paths = []
        for dirpath, _, fnames in os.walk(os.path.join(root, d)):
            for fn in fnames:
                paths.append(os.path.relpath(os.path.join(dirpath, fn), os.path.join(root, d)))
        mods, nss = modules_from_paths(paths)
        # METADATA.toml's version is a specifier of the stubbed releases ("2.33.*",
        # "~=2.33.0"); the row keeps its release part, the provenance the specifier.
        spec_ver = re.sub(r"^[~=<>!]+\s*", "", spec).replace(".*", "")
        # The stubbed distribution: module names from the stub tree (public API only).
        up = Release(d, spec_ver, SRC_TYPESHED,
                     "typeshed stubs/%s (pyright %s), stub version %s: module names only"
                     % (d, ver, spec))
        up.modules, up.namespaces = mods, nss
        up.modules_known = True
        up.modules_only = True
        rels.append(up)
        # The stub-only distribution itself provides nothing importable at run time: by
        # PEP 561 its wheel ships one "<top>-stubs/" directory per top-level name of the
        # stub tree (typeshed's stub uploader packs a top-level .pyi module "m.pyi" as
        # "m-stubs/__init__.pyi"), and no "-stubs" directory is an importable name.
        stub_dirs = sorted({m.split(".")[0] + "-stubs" for m in mods + nss})
        st = Release("types-" + d, spec_ver, SRC_TYPESHED,
                     "typeshed stubs/%s (pyright %s), stub version %s: stub-only distribution "
                     "(PEP 561) for %s; ships %s, nothing importable"
                     % (d, ver, spec, ", ".join(mods + nss), ", ".join(stub_dirs)))
        st.modules_known = True
        st.modules_only = True
        rels.append(st)
    return rels, ver


def installed_releases(site_dirs):
    """Releases from installed *.dist-info (RECORD + METADATA). The provenance names the
    distribution and version only ("installed RECORD of pydantic-settings 2.14.1"), never
    the builder's paths; the digest of every METADATA and RECORD read goes into the
    snapshot's provenance so that `--check` notices a different set of environments."""
    rels = {}
    digest = hashlib.sha256()
    for site in site_dirs:
        for info in sorted(glob.glob(os.path.join(site, "*.dist-info"))):
            rec, meta = os.path.join(info, "RECORD"), os.path.join(info, "METADATA")
            if not os.path.exists(rec) or not os.path.exists(meta):
                continue
            r = Release("?", "?", SRC_INSTALLED, "")
            meta_bytes, rec_bytes = read_bytes(meta), read_bytes(rec)
            msg = parse_metadata(meta_bytes.decode("utf-8", "replace"), r)
            name, ver = msg.get("Name"), msg.get("Version")
            if not name or not ver:
                continue
            digest.update(hashlib.sha256(meta_bytes).digest() + hashlib.sha256(rec_bytes).digest())
            paths = [row[0] for row in csv.reader(rec_bytes.decode("utf-8", "replace")
                                                  .splitlines()) if row]
            mods, nss = modules_from_paths(paths, name_namespaces([name], paths))
            key = (norm(name), ver.strip())
            if key in rels:  # the same release in several environments: union the file lists
                old = rels[key]
                old.modules = sorted(set(old.modules) | set(mods))
                old.namespaces = sorted((set(old.namespaces) | set(nss)) - set(old.modules))
                continue
            r.name, r.display, r.version = norm(name), name.strip(), ver.strip()
            r.origin = "installed RECORD of %s %s" % (r.display, r.version)
            r.modules, r.namespaces = mods, nss
            r.modules_known = r.requires_known = True
            rels[key] = r
    return list(rels.values()), digest.hexdigest()


def curated_releases(path):
    """dist, version, field, value, provenance (TSV, '#' comments)."""
    rels = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5:
                sys.exit("%s:%d: expected 5 tab-separated columns" % (path, lineno))
            dist, ver, field, value, prov = cols
            key = (norm(dist), ver)
            r = rels.get(key)
            if r is None:
                r = rels[key] = Release(dist, ver, SRC_CURATED, "curated: " + prov)
                r.provs = [prov]
            elif prov not in r.provs:
                r.provs.append(prov)
                r.origin = "curated: " + "; ".join(r.provs)
            if field == "module":
                r.modules.append(value)
                r.modules_known = True
            elif field == "namespace":
                r.namespaces.append(value)
                r.modules_known = True
            elif field == "requires":
                r.requires.append(value)
                r.requires_known = True
            elif field == "requires-none":
                r.requires_known = True
            elif field == "requires-incomplete":
                r.requires_incomplete = True
            elif field == "modules-none":
                r.modules_known = True
            elif field == "modules-only":
                r.modules_only = True  # names modules; not an installable release
            elif field == "requires-python":
                r.requires_python = value
            elif field == "extra":
                r.extras.append(value)
            elif field == "import-name":
                r.import_names.append(value)
            else:
                sys.exit("%s:%d: unknown field %r" % (path, lineno, field))
    return list(rels.values())
