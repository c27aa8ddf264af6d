#!/usr/bin/python3
"""Seed inputs for fuzz_zip_directory and fuzz_metadata_index, from a generated mirror.

Usage:
    make_index_seeds.py SOURCE_DIR OUT_DIR

Builds a small mirror of a project "demo" with tests/mirror/tools/build_mirror.py (wheels
with and without .metadata files, a padded wheel whose METADATA lies outside the first
tail, a namespace package) and writes, under OUT_DIR/<target>/, the seeds the fuzzers
start from (then minimise them into the kept corpus with -merge=1):

  fuzz_zip_directory    [8-byte LE count of unfetched bytes][the file's tail]: each wheel
                        whole, its last 1 KiB and 4 KiB, a ZIP64 version of it, and the
                        hostile ZIP64 locator the probe found
  fuzz_metadata_index   responses split at "\\n--8<--\\n": the JSON or HTML page, the
                        .metadata file, the wheel served as a whole file (FILE), ignoring
                        Range (WHOLE) or with a stated Content-Range (RAW)

Deterministic: the same sources give the same seeds. Standard library only.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

SEP = b"\n--8<--\n"

FIXTURE = {"projects": [{"name": "demo", "releases": [
    {"version": "1.0", "requires_python": ">=3.8",
     "requires_dist": ["zipp>=3.1", "typing-extensions; python_version < \"3.10\""],
     "provides_extra": ["fast"],
     "files": ["demo/__init__.py", "demo/core.py", "demo/_speed.pyi"]},
    {"version": "1.1", "no_metadata_file": True, "requires_dist": ["zipp"],
     "files": ["demo/__init__.py", "demo/sub/__init__.py", "demo_ns/plugin/x.py"]},
    {"version": "2.0", "pad_bytes": 6000, "no_metadata_file": True,
     "metadata_extra": ["Import-Name: demo"], "files": ["demo/__init__.py"]},
    {"version": "2.1rc1", "sdist": True, "files": ["demo/__init__.py"]},
    {"version": "0.9", "sdist_only": True},
]}]}


def zip64_version(data):
    """The same zip with ZIP64 end records (the classic ones saying 0xFFFFFFFF)."""
    eocd = data.rfind(b"PK\x05\x06")
    entries, size, offset = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    head = data[:eocd]
    rec = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, size,
                      offset)
    loc = struct.pack("<IIQI", 0x07064B50, 0, len(head), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return head + rec + loc + end


def hostile_zip64_tail():
    """The probe's crash: a ZIP64 locator pointing near INT64_MAX."""
    loc = struct.pack("<IIQI", 0x07064B50, 0, 0x7FFFFFFFFFFFFFF0, 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return b"\0" * 16 + loc + end


def tail_seed(data, keep):
    keep = min(keep, len(data))
    return struct.pack("<Q", len(data) - keep) + data[len(data) - keep:]


def write(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main(argv):
    src, out = argv
    with tempfile.TemporaryDirectory() as tmp:
        fixture = os.path.join(tmp, "demo.json")
        with open(fixture, "w") as f:
            json.dump(FIXTURE, f)
        tree = os.path.join(tmp, "tree")
        subprocess.run([sys.executable, os.path.join(src, "tests/mirror/tools/build_mirror.py"),
                        tree, fixture], check=True, stdout=subprocess.DEVNULL)
        page_dir = os.path.join(tree, "simple", "demo")
        pkg_dir = os.path.join(tree, "packages", "demo")
        with open(os.path.join(page_dir, "index.v1_json"), "rb") as f:
            page_json = f.read()
        with open(os.path.join(page_dir, "index.html"), "rb") as f:
            page_html = f.read()
        wheels = sorted(n for n in os.listdir(pkg_dir) if n.endswith(".whl"))
        for n in wheels:
            with open(os.path.join(pkg_dir, n), "rb") as f:
                data = f.read()
            meta_path = os.path.join(pkg_dir, n + ".metadata")
            meta = b""
            if os.path.exists(meta_path):
                with open(meta_path, "rb") as f:
                    meta = f.read()
            stem = n[:-4]
            write(out, "fuzz_zip_directory", stem + "-whole", tail_seed(data, len(data)))
            write(out, "fuzz_zip_directory", stem + "-tail1k", tail_seed(data, 1024))
            write(out, "fuzz_zip_directory", stem + "-tail4k", tail_seed(data, 4096))
            z64 = zip64_version(data)
            write(out, "fuzz_zip_directory", stem + "-zip64", tail_seed(z64, len(z64)))
            target = "fuzz_metadata_index"
            write(out, target, stem + "-json", page_json + SEP + meta + SEP + b"FILE\n" + data)
            write(out, target, stem + "-html", page_html + SEP + meta + SEP + data)
            write(out, target, stem + "-whole", page_json + SEP + SEP + b"WHOLE\n" + data)
            write(out, target, stem + "-zip64", page_json + SEP + SEP + b"FILE\n" + z64)
            cut = data[-1024:]
            raw = b"RAW %d-%d/%d\n" % (len(data) - len(cut), len(data) - 1, len(data))
            write(out, target, stem + "-raw", page_json + SEP + SEP + raw + cut + SEP + b"FAIL\n")
        write(out, "fuzz_zip_directory", "hostile-zip64-locator", tail_seed(hostile_zip64_tail(), 64))
        write(out, "fuzz_metadata_index", "hostile-zip64-locator",
              page_json + SEP + SEP + b"FILE\n" + hostile_zip64_tail())
        write(out, "fuzz_metadata_index", "page-only", page_json)
        write(out, "fuzz_metadata_index", "missing-project", b"")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
