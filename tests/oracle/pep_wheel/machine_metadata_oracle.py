"""Core metadata and requires.txt readers (metadata_parse.c, metadata_requires_txt.c)
against Python's on every such file of the machine's installed environments.

METADATA / PKG-INFO: Name, Version, Requires-Python, Provides-Extra and Requires-Dist must
equal what email.parser (the reader importlib.metadata uses) gives, with folded white
space compared collapsed (email keeps the fold, we unfold it).
requires.txt: the PEP 508 strings must equal importlib.metadata's own conversion of the
sections. Exclusion: a line that carries its own marker inside a conditional section,
where importlib produces an invalid string ("x; a; b") and we join the markers with
"and"; such lines are counted and checked to contain both markers.

usage: machine_metadata_oracle.py PROBE
"""
import email.parser
import glob
import importlib.metadata as md
import os
import subprocess
import sys


def environments():
    envs = ["/usr/lib/python3/dist-packages"]
    envs += sorted(glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages"))
    return [e for e in envs if os.path.isdir(e)]


def collapse(v):
    return " ".join((v or "").split())


def run_probe(probe, mode, files):
    out = subprocess.run([probe, mode], input="\n".join(files) + "\n", capture_output=True,
                         text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def check_metadata(probe, files, failures):
    for row in run_probe(probe, "metadata", files):
        path = row[0]
        if row[1].startswith("!"):
            failures.append(f"{path}: rejected: {row[1][1:]}")
            continue
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            msg = email.parser.Parser().parse(f, headersonly=True)
        name, version, rp, extras, reqs = row[1:6]
        want = [collapse(msg["Name"]), collapse(msg["Version"]),
                collapse(msg["Requires-Python"]),
                [collapse(x) for x in msg.get_all("Provides-Extra") or []],
                [collapse(x) for x in msg.get_all("Requires-Dist") or []]]
        got = [collapse(name), collapse(version), collapse(rp),
               [collapse(x) for x in extras.split("|") if x],
               [collapse(x) for x in reqs.split("|") if x]]
        if got != want:
            failures.append(f"{path}: probe {got} email {want}")
    return len(files)


def check_requires(probe, files, failures):
    own_markers = 0
    for row in run_probe(probe, "requires", files):
        path = row[0]
        if len(row) > 1 and row[1].startswith("!"):
            failures.append(f"{path}: rejected: {row[1][1:]}")
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        sections = list(md.Sectioned.read(text, filter_=md.Sectioned.valid))
        want = list(md.Distribution._convert_egg_info_reqs_to_simple_reqs(iter(sections)))
        got = row[1:]
        if len(got) != len(want):
            failures.append(f"{path}: probe {got} importlib {want}")
            continue
        for g, w, section in zip(got, want, sections):
            if ";" in section.value and section.name and section.name.strip(":"):
                own_markers += 1
                line_marker = section.value.split(";", 1)[1].strip()
                if line_marker not in g or not all(p in g for p in w.split(";")[2:]):
                    failures.append(f"{path}: line marker lost: {g!r} from {section}")
            elif g != w:
                failures.append(f"{path}: probe {g!r} importlib {w!r}")
    print(f"requires.txt lines with their own marker inside a section: {own_markers}")
    return len(files)


def main():
    probe = sys.argv[1]
    metadata, requires = [], []
    for env in environments():
        for d in glob.glob(os.path.join(env, "*.dist-info")) + \
                glob.glob(os.path.join(env, "*.egg-info")):
            for name in ("METADATA", "PKG-INFO"):
                if os.path.isfile(os.path.join(d, name)):
                    metadata.append(os.path.join(d, name))
            if os.path.isfile(os.path.join(d, "requires.txt")):
                requires.append(os.path.join(d, "requires.txt"))
    failures = []
    n_meta = check_metadata(probe, sorted(metadata), failures)
    n_req = check_requires(probe, sorted(requires), failures)
    print(f"{n_meta} METADATA/PKG-INFO files, {n_req} requires.txt files compared")
    for f in failures:
        print("DIFFERS", f)
    # Debian's own dist-packages alone holds about 29 and 12 of them
    if n_meta < 20 or n_req < 5:
        print("too few files compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
