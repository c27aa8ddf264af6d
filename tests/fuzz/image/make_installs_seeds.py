#!/usr/bin/env python3
"""Seeds for fuzz_image_installs: one input per Dockerfile, the Dockerfile followed by the
files of its build context that installs read ("%%% PATH" then the content).

  make_installs_seeds.py OUTDIR              the e2e cases of tests/e2e/image (committed as
                                             corpus/fuzz_image_installs)
  make_installs_seeds.py --field OUTDIR      the real file shapes of the field corpus' trees
                                             (tests/field/work, or DEPAUDIT_FIELD_WORK): for
                                             local fuzzing only, never committed (the files
                                             are other projects')

Files are cut to MAX_BYTES and package index host names are replaced, so that seeds stay
small; libFuzzer's -merge=1 then keeps the ones that add coverage."""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
MAX_BYTES = 6000
INSTALL_FILES = re.compile(r"^(requirements.*\.(txt|in)|.*requirements\.txt|pyproject\.toml|"
                           r"setup\.(py|cfg)|(uv|poetry|pdm)\.lock|Pipfile(\.lock)?|"
                           r"pylock(\..*)?\.toml|constraints.*\.txt)$")
HOSTS = re.compile(r"https?://[a-z0-9.-]*(pypi|pythonhosted)[a-z0-9.-]*", re.I)


def read(path):
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES)
    text = data.decode("utf-8", "replace").replace("\0", "")
    return HOSTS.sub("https://index.example", text)


def emit(out, dockerfile, files):
    parts = [read(dockerfile)]
    for rel, path in files:
        parts.append(f"%%% {rel}\n{read(path)}")
    blob = "\n".join(p if p.endswith("\n") else p + "\n" for p in parts).encode()
    name = hashlib.sha1(blob).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(blob)


def case_files(d):
    files = []
    for root, dirs, names in os.walk(d):
        dirs.sort()
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(root, n), d)
            if rel in ("Dockerfile", "args", "dockerfile_name") or rel.startswith("expected"):
                continue
            files.append((rel, os.path.join(root, n)))
    return files[:16]


def field_files(tree, df):
    files = []
    for base in sorted({os.path.dirname(df), tree}):
        for n in sorted(os.listdir(base)):
            p = os.path.join(base, n)
            if os.path.isfile(p) and INSTALL_FILES.match(n):
                files.append((os.path.relpath(p, os.path.dirname(df)), p))
    return [(r, p) for r, p in files if not r.startswith("..")][:16]


def main():
    args = sys.argv[1:]
    field = "--field" in args
    args = [a for a in args if a != "--field"]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    if not field:
        cases = os.path.join(TOP, "tests", "e2e", "image", "cases")
        for c in sorted(os.listdir(cases)):
            d = os.path.join(cases, c)
            name = "Dockerfile"
            if os.path.exists(os.path.join(d, "dockerfile_name")):
                name = open(os.path.join(d, "dockerfile_name")).read().strip()
            if os.path.isfile(os.path.join(d, name)):
                emit(out, os.path.join(d, name), case_files(d))
        return
    work = os.environ.get("DEPAUDIT_FIELD_WORK", os.path.join(TOP, "tests", "field", "work"))
    for tree in sorted(os.listdir(work)):
        t = os.path.join(work, tree)
        for root, dirs, names in os.walk(t):
            dirs[:] = [x for x in dirs if x not in (".git", "node_modules")]
            for n in names:
                if n == "Dockerfile" or n.endswith(".Dockerfile") or n.startswith("Dockerfile."):
                    df = os.path.join(root, n)
                    emit(out, df, field_files(t, df))


if __name__ == "__main__":
    main()
