#!/usr/bin/env python3
"""Runs the examples of the user guide (docs/guide/*.md) against the program.

A fenced block preceded by `<!-- docs-test: ... -->` is an example:
- `file=NAME`: the block's text is a file written into the directory of every later
  command of the same page (a later block of the same name replaces it);
- `dir=PATH exit=N` (dir optional: an empty directory) on a ```console block: its
  `$ depaudit ...` command runs in a fresh copy of PATH (relative to the sources), with
  the page's files written into it, and must exit N; every other line of the block must be
  a line of its stdout (a line ending in "..." a prefix of one).
Usage: docs_test.py DEPAUDIT SOURCE_DIR"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r"<!-- docs-test: (.*?) -->\n```([a-z]*)\n(.*?)```", re.S)


def run_example(binary, src, page, opts, body, files, tmp):
    lines = body.rstrip("\n").split("\n")
    if not lines[0].startswith("$ depaudit"):
        return [f"{page}: a console example must start with `$ depaudit`"]
    work = pathlib.Path(tempfile.mkdtemp(dir=tmp))
    if "dir" in opts:
        shutil.copytree(src / opts["dir"], work, dirs_exist_ok=True)
    for name, text in files.items():
        (work / name).write_text(text)
    argv = [binary] + shlex.split(lines[0][len("$ depaudit"):])
    proc = subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=120)
    problems = []
    want = int(opts.get("exit", "0"))
    if proc.returncode != want:
        problems.append(f"{page}: `{lines[0]}` exited {proc.returncode}, the page says {want}"
                        f"\n{proc.stderr}")
    out = proc.stdout.split("\n")
    for line in lines[1:]:
        ok = (any(o.startswith(line[:-3]) for o in out) if line.endswith("...")
              else line in out)
        if not ok:
            problems.append(f"{page}: `{lines[0]}` did not print:\n    {line}")
    return problems


def main():
    binary, src = sys.argv[1], pathlib.Path(sys.argv[2])
    pages = sorted((src / "docs" / "guide").glob("*.md"))
    problems, examples = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            files = {}
            for spec, lang, body in MARK.findall(page.read_text()):
                opts = dict(kv.split("=", 1) for kv in spec.split())
                if "file" in opts:
                    files[opts["file"]] = body
                    continue
                if lang != "console":
                    problems.append(f"{page.name}: docs-test on a {lang} block without file=")
                    continue
                examples += 1
                found = run_example(binary, src, page.name, opts, body, files, tmp)
                problems += found
                print(("FAIL: " if found else "ok: ") + f"{page.name}: {body.splitlines()[0]}")
    for p in problems:
        print(p)
    if examples < 5:
        problems.append(f"only {examples} examples found in docs/guide")
        print(problems[-1])
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
