"""The real wheels Debian ships (/usr/share/python-wheels: pip, setuptools, wheel), read by
the probe with libzip, against Python's zipfile, csv and email readers.

For each wheel: the file name's name and version; METADATA's Name (same project once
normalised), Version, Requires-Python, Provides-Extra and Requires-Dist; RECORD's paths
(same list as csv.reader, same set as the zip's members); the modules derived from both the
name list and RECORD (top-level names equal those of the zip's packages and modules, and
top_level.txt when the wheel has one); the full-depth module list (every .py file and
every directory above one); the root .pth files.

usage: debian_wheels_oracle.py PROBE [WHEEL_DIR]
"""
import csv
import email.parser
import glob
import io
import os
import re
import subprocess
import sys
import zipfile


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def probe_wheel(probe, path):
    out = subprocess.run([probe, "wheel", path], capture_output=True, text=True, check=True)
    fields = {}
    for line in out.stdout.splitlines():
        key, _, rest = line.partition("\t")
        fields[key] = rest.split("\t")
    return fields


def split(s, sep):
    return [x for x in s.split(sep) if x] if s else []


def expected_from_zip(path):
    z = zipfile.ZipFile(path)
    names = [n for n in z.namelist() if not n.endswith("/")]
    stem = os.path.basename(path)[:-4]
    name, version = stem.split("-")[:2]
    distinfo = f"{name}-{version}.dist-info"
    meta = email.parser.Parser().parsestr(z.read(f"{distinfo}/METADATA").decode())
    record = [row[0] for row in csv.reader(io.StringIO(z.read(f"{distinfo}/RECORD").decode()))
              if row]
    code = [n for n in names if n.endswith(".py") and "__pycache__" not in n.split("/")
            and not n.split("/")[0].endswith((".dist-info", ".data"))]
    top = set()
    full = set()
    for n in code:
        parts = n[:-3].split("/")
        if not all(p.isidentifier() for p in parts):
            continue  # "pip/__pip-runner__.py": a script, no import statement names it
        if len(parts) == 1 or f"{parts[0]}/__init__.py" in names:
            top.add(parts[0])
        if parts[-1] == "__init__":
            parts = parts[:-1]
        for i in range(1, len(parts) + 1):
            full.add(".".join(parts[:i]))
    top_level = None
    if f"{distinfo}/top_level.txt" in names:
        # setuptools writes top_level.txt from the source tree; a name with no file in
        # the wheel (Debian's setuptools lists "debian") is not installed: left out.
        declared = set(z.read(f"{distinfo}/top_level.txt").decode().split())
        top_level = {t for t in declared if any(n.split("/")[0].split(".")[0] == t
                                                 for n in names)}
        for t in sorted(declared - top_level):
            print(f"    top_level.txt names {t!r}, which has no file in the wheel: ignored")
    pth = sorted(n for n in names if "/" not in n and n.endswith(".pth"))
    return dict(name=name, version=version, meta=meta, record=record, names=names, top=top,
                full=full, top_level=top_level, pth=pth)


def check(probe, path):
    e = expected_from_zip(path)
    got = probe_wheel(probe, path)
    problems = []

    def same(what, a, b):
        if a == b:
            return
        if isinstance(a, set):
            problems.append(f"{what}: only probe {sorted(a - b)}, only python {sorted(b - a)}")
        else:
            problems.append(f"{what}: probe {a!r} python {b!r}")

    same("file name", got["name"], [e["name"], e["version"]])
    m = got["metadata"]
    meta = e["meta"]
    same("METADATA Name", canonical(m[0]), canonical(meta["Name"]))
    same("METADATA Name vs file name", canonical(m[0]), canonical(e["name"]))
    same("METADATA Version", m[1], meta["Version"])
    same("Requires-Python", m[2], meta.get("Requires-Python") or "")
    same("Provides-Extra", split(m[3], "|"), meta.get_all("Provides-Extra") or [])
    same("Requires-Dist", split(m[4], "|"), meta.get_all("Requires-Dist") or [])
    record = split(got["record"][0], "|")
    same("RECORD", record, e["record"])
    same("RECORD vs zip members", sorted(record), sorted(e["names"]))
    for label in ("names-modules", "record-modules"):
        mods = split(got[label][0], ",")
        nss = split(got[label][1], ",") if len(got[label]) > 1 else []
        tops = {x.split(".")[0] for x in mods + nss}
        same(f"{label} top level", tops, e["top"])
        if e["top_level"] is not None:
            same(f"{label} vs top_level.txt", tops, e["top_level"])
    same("full depth", set(split(got["full"][0], ",")), e["full"])
    same(".pth files", split(got["pth"][0], ","), e["pth"])
    return problems, len(e["names"]), len(e["full"])


def main():
    probe = sys.argv[1]
    wheel_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/python-wheels"
    wheels = sorted(glob.glob(os.path.join(wheel_dir, "*.whl")))
    if not wheels:
        # python3-pip-whl & co. are installed by scripts/setup.sh; without them there is
        # nothing to compare: report a skip (ctest SKIP_RETURN_CODE), not a pass
        print(f"no wheels in {wheel_dir}: skipped")
        return 77
    failed = 0
    for w in wheels:
        problems, nfiles, nmods = check(probe, w)
        print(f"{os.path.basename(w)}: {nfiles} files, {nmods} modules, "
              f"{'ok' if not problems else 'DIFFERS'}")
        for p in problems:
            print("   ", p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
