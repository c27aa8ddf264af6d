#!/usr/bin/python3
"""Build a static package-index mirror tree from small fixture descriptions.

Usage:
    build_mirror.py [options] OUT_DIR FIXTURE_OR_DIR...

The tree is laid out the way static mirrors of the package index are:

    OUT_DIR/simple/index.html              PEP 503 project list
    OUT_DIR/simple/index.v1_json           PEP 691 project list
    OUT_DIR/simple/<name>/index.html       PEP 503 page (data-requires-python, data-yanked,
                                           data-dist-info-metadata, data-core-metadata)
    OUT_DIR/simple/<name>/index.v1_json    PEP 691 JSON page (hashes, size, upload-time,
                                           core-metadata, yanked)
    OUT_DIR/packages/<name>/<file>         wheels (real zip files), sdists
    OUT_DIR/packages/<name>/<wheel>.metadata   PEP 658 core metadata of each wheel

Links in the pages are relative ("../../packages/<name>/<file>#sha256=...").
Everything is deterministic: the same fixtures give the same bytes.
The fixture format is documented in tests/mirror/README.md. Standard library only.
"""

import argparse
import base64
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11: TOML fixtures unavailable, JSON still works
    tomllib = None

DEBIAN_WHEELS = "/usr/share/python-wheels"
DEFAULT_UPLOAD_TIME = "2023-01-01T00:00:00.000000Z"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class FixtureError(Exception):
    pass


def normalize(name):
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_dist_name(name):
    """The distribution part of a wheel or .dist-info name: normalised, '_' for '-'."""
    return normalize(name).replace("-", "_")


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def incompressible_bytes(seed, size):
    """Deterministic bytes that deflate cannot shrink: SHA-256 in counter mode."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(("%s:%d" % (seed, counter)).encode()).digest()
        counter += 1
    return bytes(out[:size])


def load_fixture(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        if path.endswith(".toml"):
            if tomllib is None:
                raise FixtureError("%s: TOML fixtures need Python 3.11" % path)
            doc = tomllib.loads(raw.decode("utf-8"))
        else:
            doc = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise FixtureError("%s: %s" % (path, e))
    projects = doc.get("projects")
    if not isinstance(projects, list):
        raise FixtureError("%s: top level needs a \"projects\" list" % path)
    for p in projects:
        if "name" not in p or not isinstance(p.get("releases", []), list):
            raise FixtureError("%s: every project needs a name and a releases list" % path)
        p["_origin"] = path
    return projects


def fixture_paths(args):
    out = []
    for a in args:
        if os.path.isdir(a):
            for n in sorted(os.listdir(a)):
                if n.endswith((".json", ".toml")):
                    out.append(os.path.join(a, n))
        else:
            out.append(a)
    return out


def metadata_text(name, version, rel):
    lines = ["Metadata-Version: %s" % rel.get("metadata_version", "2.1"),
             "Name: %s" % name, "Version: %s" % version]
    if rel.get("summary"):
        lines.append("Summary: %s" % rel["summary"])
    if rel.get("requires_python"):
        lines.append("Requires-Python: %s" % rel["requires_python"])
    for extra in rel.get("provides_extra", []):
        lines.append("Provides-Extra: %s" % extra)
    for req in rel.get("requires_dist", []):
        lines.append("Requires-Dist: %s" % req)
    for line in rel.get("metadata_extra", []):
        lines.append(line)
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def module_file_content(name, version, path, files):
    if isinstance(files, dict) and files.get(path) is not None:
        return files[path].encode("utf-8")
    if path.endswith(".py"):
        return ("# %s %s: %s\n" % (name, version, path)).encode("utf-8")
    return ("%s %s %s\n" % (name, version, path)).encode("utf-8")


def build_wheel(name, version, rel, wheel, pad_bytes):
    """Returns (filename, bytes, metadata bytes) of one synthetic wheel."""
    tags = wheel.get("tags", "py3-none-any")
    dist = wheel_dist_name(name)
    build = wheel.get("build")
    filename = "%s-%s%s-%s.whl" % (dist, version, "-" + build if build else "", tags)
    files = wheel.get("files", rel.get("files", []))
    paths = list(files.keys()) if isinstance(files, dict) else list(files)
    entries = [(p, module_file_content(name, version, p, files)) for p in sorted(paths)]
    if pad_bytes:
        top = paths[0].split("/")[0] if paths and "/" in paths[0] else dist
        entries.append(("%s/_pad.bin" % top, incompressible_bytes(filename, pad_bytes)))
    info = "%s-%s.dist-info" % (dist, version)
    meta = metadata_text(name, version, rel)
    wheel_txt = ("Wheel-Version: 1.0\nGenerator: depaudit-build-mirror\n"
                 "Root-Is-Purelib: %s\n" % ("true" if tags.endswith("-any") else "false"))
    for t in expand_tags(tags):
        wheel_txt += "Tag: %s\n" % t
    entries.append((info + "/METADATA", meta))
    entries.append((info + "/WHEEL", wheel_txt.encode()))
    if rel.get("top_level"):
        entries.append((info + "/top_level.txt", ("\n".join(rel["top_level"]) + "\n").encode()))
    record = io.StringIO()
    for p, data in entries:
        record.write("%s,%s,%d\n" % (csv_quote(p), record_hash(data), len(data)))
    record.write("%s,,\n" % csv_quote(info + "/RECORD"))
    entries.append((info + "/RECORD", record.getvalue().encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p, data in entries:
            zi = zipfile.ZipInfo(p, date_time=ZIP_EPOCH)
            zi.external_attr = 0o644 << 16
            stored = p.endswith("_pad.bin")
            zi.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return filename, buf.getvalue(), meta


def csv_quote(s):
    if any(c in s for c in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def expand_tags(tags):
    pys, abis, plats = tags.split("-")
    return ["%s-%s-%s" % (p, a, pl) for p in pys.split(".") for a in abis.split(".")
            for pl in plats.split(".")]


def build_sdist(name, version):
    """A tiny deterministic .tar.gz; only its presence on the page matters."""
    import tarfile
    import gzip
    raw = io.BytesIO()
    base = "%s-%s" % (wheel_dist_name(name), version)
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        data = ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n\n" % (name, version)).encode()
        ti = tarfile.TarInfo(base + "/PKG-INFO")
        ti.size = len(data)
        ti.mtime = 0
        ti.mode = 0o644
        t.addfile(ti, io.BytesIO(data))
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, filename="") as g:
        g.write(raw.getvalue())
    return base + ".tar.gz", gz.getvalue()


def wheel_metadata_from_zip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            if n.count("/") == 1 and n.endswith(".dist-info/METADATA"):
                return z.read(n)
    raise FixtureError("wheel without .dist-info/METADATA")


class Mirror:
    def __init__(self, out, no_metadata_files, html_only):
        self.out = out
        self.no_metadata_files = no_metadata_files
        self.html_only = html_only
        self.projects = {}  # normalised name -> {"name": display, "files": [file dicts]}

    def project(self, name):
        key = normalize(name)
        return self.projects.setdefault(key, {"name": key, "files": []})

    def add_file(self, name, filename, data, meta, rel, wheel):
        pkgdir = os.path.join(self.out, "packages", normalize(name))
        os.makedirs(pkgdir, exist_ok=True)
        with open(os.path.join(pkgdir, filename), "wb") as f:
            f.write(data)
        entry = {
            "filename": filename,
            "url": "../../packages/%s/%s" % (normalize(name), filename),
            "hashes": {"sha256": hashlib.sha256(data).hexdigest()},
            "size": len(data),
            "upload-time": wheel.get("upload_time", rel.get("upload_time", DEFAULT_UPLOAD_TIME)),
            "yanked": wheel.get("yanked", rel.get("yanked", False)),
        }
        if rel.get("requires_python"):
            entry["requires-python"] = rel["requires_python"]
        want_meta = meta is not None and not self.no_metadata_files and \
            not rel.get("no_metadata_file", False)
        if want_meta:
            meta_hash = hashlib.sha256(meta).hexdigest()
            if rel.get("wrong_metadata_hash"):
                meta_hash = hashlib.sha256(b"not the metadata").hexdigest()
            with open(os.path.join(pkgdir, filename + ".metadata"), "wb") as f:
                f.write(meta)
            entry["core-metadata"] = {"sha256": meta_hash}
            entry["dist-info-metadata"] = {"sha256": meta_hash}
        if rel.get("wrong_hash"):
            entry["hashes"]["sha256"] = hashlib.sha256(b"not the file").hexdigest()
        self.project(name)["files"].append(entry)

    def add_release(self, name, version, rel, pads):
        wheels = rel.get("wheels")
        if wheels is None:
            wheels = [] if rel.get("sdist_only") else [{}]
        pad = pads.get(normalize(name), rel.get("pad_bytes", 0))
        for w in wheels:
            filename, data, meta = build_wheel(name, version, rel, w, pad)
            self.add_file(name, filename, data, meta, rel, w)
        if rel.get("sdist", False) or rel.get("sdist_only", False):
            filename, data = build_sdist(name, version)
            self.add_file(name, filename, data, None, rel, {})
        if not wheels and not (rel.get("sdist", False) or rel.get("sdist_only", False)):
            self.project(name)

    def add_debian_wheels(self, directory):
        for fn in sorted(os.listdir(directory)):
            if not fn.endswith(".whl"):
                continue
            with open(os.path.join(directory, fn), "rb") as f:
                data = f.read()
            name = fn.split("-")[0]
            meta = wheel_metadata_from_zip(data)
            rel = {}
            m = re.search(rb"^Requires-Python: *(.+?)\r?$", meta, re.M)
            if m:
                rel["requires_python"] = m.group(1).decode()
            self.add_file(name, fn, data, meta, rel, {})

    def write_pages(self):
        simple = os.path.join(self.out, "simple")
        os.makedirs(simple, exist_ok=True)
        names = sorted(self.projects)
        for key in names:
            p = self.projects[key]
            p["files"].sort(key=lambda e: e["filename"])
            d = os.path.join(simple, key)
            os.makedirs(d, exist_ok=True)
            write(os.path.join(d, "index.html"), project_html(key, p["files"]))
            if not self.html_only:
                write(os.path.join(d, "index.v1_json"), project_json(key, p["files"]))
        root_html = ['<!DOCTYPE html>', '<html>', '<head>',
                     '<meta name="pypi:repository-version" content="1.1">',
                     '<title>Simple index</title>', '</head>', '<body>']
        for key in names:
            root_html.append('<a href="%s/">%s</a><br/>' % (key, html.escape(key)))
        root_html += ['</body>', '</html>', '']
        write(os.path.join(simple, "index.html"), "\n".join(root_html))
        if not self.html_only:
            doc = {"meta": {"api-version": "1.1"}, "projects": [{"name": k} for k in names]}
            write(os.path.join(simple, "index.v1_json"), json.dumps(doc, indent=1) + "\n")


def version_of(filename):
    if filename.endswith(".whl"):
        return filename.split("-")[1]
    stem = re.sub(r"\.(tar\.gz|zip|tar\.bz2)$", "", filename)
    return stem.rsplit("-", 1)[1]


def project_html(name, files):
    out = ['<!DOCTYPE html>', '<html>', '<head>',
           '<meta name="pypi:repository-version" content="1.1">',
           '<title>Links for %s</title>' % html.escape(name), '</head>', '<body>',
           '<h1>Links for %s</h1>' % html.escape(name)]
    for e in files:
        attrs = ['href="%s#sha256=%s"' % (html.escape(e["url"]), e["hashes"]["sha256"])]
        if e.get("requires-python"):
            attrs.append('data-requires-python="%s"' % html.escape(e["requires-python"]))
        if e["yanked"] is not False:
            reason = e["yanked"] if isinstance(e["yanked"], str) else ""
            attrs.append('data-yanked="%s"' % html.escape(reason))
        if "core-metadata" in e:
            h = "sha256=" + e["core-metadata"]["sha256"]
            attrs.append('data-dist-info-metadata="%s"' % h)
            attrs.append('data-core-metadata="%s"' % h)
        out.append('<a %s>%s</a><br/>' % (" ".join(attrs), html.escape(e["filename"])))
    out += ['</body>', '</html>', '']
    return "\n".join(out)


def project_json(name, files):
    versions = sorted({version_of(e["filename"]) for e in files})
    doc = {"meta": {"api-version": "1.1"}, "name": name, "versions": versions, "files": files}
    return json.dumps(doc, indent=1) + "\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def parse_pads(values):
    pads = {}
    for v in values:
        name, _, size = v.partition("=")
        try:
            pads[normalize(name)] = int(size) if size else 1500000
        except ValueError:
            raise FixtureError("--pad %s: expected NAME or NAME=BYTES" % v)
    return pads


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("out", help="output directory (created; emptied first)")
    ap.add_argument("fixtures", nargs="*", help="fixture files (.json/.toml) or directories")
    ap.add_argument("--no-metadata-files", action="store_true",
                    help="no PEP 658 .metadata files and no data-core-metadata attributes")
    ap.add_argument("--html-only", action="store_true", help="no PEP 691 index.v1_json pages")
    ap.add_argument("--debian-wheels", action="store_true",
                    help="also serve the real wheels from %s" % DEBIAN_WHEELS)
    ap.add_argument("--pad", action="append", default=[], metavar="NAME[=BYTES]",
                    help="add an incompressible data file (default 1500000 bytes) to NAME's wheels")
    args = ap.parse_args(argv)
    try:
        pads = parse_pads(args.pad)
        if os.path.exists(args.out):
            shutil.rmtree(args.out)
        os.makedirs(args.out)
        m = Mirror(args.out, args.no_metadata_files, args.html_only)
        for path in fixture_paths(args.fixtures):
            for p in load_fixture(path):
                m.project(p["name"])
                for rel in p.get("releases", []):
                    if "version" not in rel:
                        raise FixtureError("%s: %s: a release without version" %
                                           (p["_origin"], p["name"]))
                    m.add_release(p["name"], rel["version"], rel, pads)
        if args.debian_wheels:
            m.add_debian_wheels(DEBIAN_WHEELS)
        m.write_pages()
    except (FixtureError, OSError) as e:
        print("build_mirror: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
