"""Oracle: depaudit's import records against CPython's own `ast`, over a real corpus.

usage: oracle_imports.py DEPAUDIT CORPUS_DIR

Comparison definition (the issue asks for (file, line, module, level); the column is
compared too, as 1 + ast's col_offset, which counts UTF-8 bytes like depaudit's col).
For every .py file under CORPUS_DIR (skipping site-packages, dist-packages, __pycache__,
virtualenvs and anything a symlink leads to twice) that CPython's ast.parse accepts
(given bytes, so BOMs and PEP 263 declarations are decoded by CPython itself):
  - each ast.Import contributes one (file, line, col, name, 0) per alias;
  - each ast.ImportFrom contributes one (file, line, col, module or "", level) per
    statement, `from __future__ import ...` included;
  - depaudit contributes one (file, line, col, module, level) per record of kind import,
    from or future (dynamic records are calls, not statements: ast has no counterpart).
The two multisets must be equal: 100% agreement. Files CPython rejects are left out of
the comparison (depaudit still reads them and must not crash). The count of files depaudit
read must equal the number of .py files found here, so a file it missed cannot agree by
having no imports.
"""
import ast
import collections
import json
import os
import subprocess
import sys
import warnings

SKIP_DIRS = {"site-packages", "dist-packages", "__pycache__", ".git", "node_modules"}


def corpus_files(root):
    seen = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))
        )
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            # depaudit reads nothing a link leads to outside the root (issue 18), e.g.
            # Debian's sitecustomize.py -> /etc/python3.X/sitecustomize.py
            real_root = os.path.realpath(root)
            if os.path.commonpath([os.path.realpath(path), real_root]) != real_root:
                continue
            try:
                fst = os.stat(path)
            except OSError:
                continue
            if (fst.st_dev, fst.st_ino) in seen:
                continue
            seen.add((fst.st_dev, fst.st_ino))
            yield os.path.relpath(path, root), path


def ast_records(root):
    records = collections.Counter()
    parsed, rejected = set(), set()
    total = 0
    for rel, path in corpus_files(root):
        total += 1
        with open(path, "rb") as f:
            data = f.read()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data, filename=path)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, MemoryError,
                RecursionError):
            rejected.add(rel)
            continue
        parsed.add(rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    records[(rel, node.lineno, node.col_offset + 1, alias.name, 0)] += 1
            elif isinstance(node, ast.ImportFrom):
                records[(rel, node.lineno, node.col_offset + 1, node.module or "", node.level)] += 1
    return records, parsed, rejected, total


def depaudit_records(depaudit, root, parsed):
    cmd = [depaudit, "imports", "--format", "json"]
    for d in sorted(SKIP_DIRS):
        cmd += ["--exclude", d]
    cmd.append(root)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        raise SystemExit(f"depaudit exited with {proc.returncode}")
    doc = json.loads(proc.stdout)
    records = collections.Counter()
    for r in doc["imports"]:
        if r["kind"] in ("import", "from", "future") and r["file"] in parsed:
            records[(r["file"], r["line"], r["col"], r["module"], r["level"])] += 1
    warned = {e["file"] for e in doc["errors"]}
    return records, doc["files"], warned


def main():
    depaudit, root = sys.argv[1], os.path.abspath(sys.argv[2])
    expected, parsed, rejected, total = ast_records(root)
    got, files, warned = depaudit_records(depaudit, root, parsed)
    print(f"corpus {root}: {total} .py files, {len(parsed)} parsed by CPython, "
          f"{len(rejected)} rejected; {sum(expected.values())} import records")
    ok = True
    if files != total:
        print(f"FAIL: depaudit read {files} files, the corpus has {total}")
        ok = False
    missing = expected - got
    extra = got - expected
    agree = sum((expected & got).values())
    print(f"agreement: {agree}/{sum(expected.values())} expected records; "
          f"{sum(missing.values())} missing, {sum(extra.values())} extra")
    for label, diff in (("missing (ast has, depaudit lacks)", missing),
                        ("extra (depaudit has, ast lacks)", extra)):
        for key in sorted(diff)[:20]:
            print(f"  {label}: {key[0]}:{key[1]}:{key[2]} module={key[3]!r} level={key[4]} x{diff[key]}")
    # A file CPython parses cleanly should not draw a syntax warning either.
    noisy = sorted(parsed & warned)
    print(f"{len(noisy)} CPython-clean files drew a depaudit warning")
    for f in noisy[:10]:
        print(f"  warned: {f}")
    # A file CPython rejects must draw a warning: its imports would never run.
    silent = sorted(rejected - warned)
    print(f"{len(rejected) - len(silent)}/{len(rejected)} CPython-rejected files drew a warning")
    for f in silent[:10]:
        print(f"  FAIL: no warning for {f}")
    if missing or extra or silent:
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
