#!/usr/bin/python3
"""A package-index mirror tree whose answers attack the client (issue 18, hostile index).

Usage:
    make_hostile_index.py SOURCE_DIR OUT_DIR

Builds OUT_DIR with tests/mirror/tools/build_mirror.py from a fixture of ordinary projects
(so a run can also succeed against it), then replaces some answers with hostile ones:

    zip64-locator   the wheel's end record says ZIP64 and the ZIP64 locator points at byte
                    0x7FFFFFFFFFFFFFF0 (the probe's segfault of `metadata` and `check`)
    zip64-wrap      the ZIP64 end record's directory size makes offset + size wrap 2^64
    many-entries    the end record claims 2^60 entries in a directory of a few bytes
    renamed         the JSON page says its project is "evil-twin"

The pages keep correct sha256 values for the hostile files, so the only lie is the one
named. Standard library only; deterministic.
"""

import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

FIXTURE = {"projects": [
    {"name": "honest", "releases": [{"version": "1.0", "files": ["honest/__init__.py"]}]},
    {"name": "zip64-locator", "releases": [
        {"version": "1.0", "no_metadata_file": True, "files": ["zip64_locator/__init__.py"]}]},
    {"name": "zip64-wrap", "releases": [
        {"version": "1.0", "no_metadata_file": True, "files": ["zip64_wrap/__init__.py"]}]},
    {"name": "many-entries", "releases": [
        {"version": "1.0", "no_metadata_file": True, "files": ["many_entries/__init__.py"]}]},
    {"name": "renamed", "releases": [{"version": "1.0", "files": ["renamed/__init__.py"]}]},
]}


def as_zip64(data, locator_offset=None, size=None, entries=None):
    """data with ZIP64 end records; the named fields replaced by hostile values."""
    eocd = data.rfind(b"PK\x05\x06")
    n, cd_size, cd_off = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    head = data[:eocd]
    n64 = n if entries is None else entries
    rec = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n64, n64,
                      cd_size if size is None else size, cd_off)
    loc = struct.pack("<IIQI", 0x07064B50, 0, len(head) if locator_offset is None
                      else locator_offset, 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return head + rec + loc + end


def rewrite_hashes(page_dir, filename, data):
    """The pages give the hostile file's real hash and size."""
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(page_dir, "index.v1_json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for entry in doc["files"]:
        if entry["filename"] == filename:
            entry["hashes"]["sha256"] = digest
            entry["size"] = len(data)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    path = os.path.join(page_dir, "index.html")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text, count = re.subn(r"(%s#sha256=)[0-9a-f]{64}" % re.escape(filename),
                          lambda m: m.group(1) + digest, text)
    if count != 1:
        raise SystemExit("no hash of %s in %s" % (filename, path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    src, out = argv
    with tempfile.TemporaryDirectory() as tmp:
        fixture = os.path.join(tmp, "hostile.json")
        with open(fixture, "w") as f:
            json.dump(FIXTURE, f)
        subprocess.run([sys.executable, os.path.join(src, "tests/mirror/tools/build_mirror.py"),
                        out, fixture], check=True, stdout=subprocess.DEVNULL)
    hostile = {
        "zip64-locator": lambda d: as_zip64(d, locator_offset=0x7FFFFFFFFFFFFFF0),
        "zip64-wrap": lambda d: as_zip64(d, size=0xFFFFFFFFFFFFFFF0),
        "many-entries": lambda d: as_zip64(d, entries=1 << 60),
    }
    for name, make in hostile.items():
        pkg = os.path.join(out, "packages", name)
        wheel = [n for n in os.listdir(pkg) if n.endswith(".whl")][0]
        path = os.path.join(pkg, wheel)
        with open(path, "rb") as f:
            data = make(f.read())
        with open(path, "wb") as f:
            f.write(data)
        rewrite_hashes(os.path.join(out, "simple", name), wheel, data)
    page = os.path.join(out, "simple", "renamed", "index.v1_json")
    with open(page, encoding="utf-8") as f:
        doc = json.load(f)
    doc["name"] = "evil-twin"
    with open(page, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
