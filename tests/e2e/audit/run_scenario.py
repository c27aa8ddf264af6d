"""One end-to-end scenario: a small project (Dockerfile, sources, maybe requirements or
pyproject.toml) and expect.json saying what the audit must and must not report.

expect.json:
  description  what the scenario is about
  args         depaudit arguments (default: --offline --format json src Dockerfile)
  exit         expected exit code
  expect       findings that must be present: every key given must match; "fix" is the
               fix's requirement, "fix_prefix" a prefix of it, "fix_file" its file,
               "message_contains" a substring of the message, "message_absent" one it
               must not contain, "older_metadata_contains"
               a substring of its older-metadata statement, "candidate" the first
               providing distribution, "chain" a list of "file:line"
  absent       findings that must not be present (same matching)
  exhaustive   codes for which `expect` lists every finding
  notes        substrings that some entry of the JSON report's "notes" must contain
  resolution   the report's summary.resolution.state ("complete", "partial", "failed")
  unknowns     substrings that some entry of summary.resolution.unknowns must contain
  stderr_contains, stderr_absent
               substrings the warnings on stderr must (must not) contain
  fix_clean    true: after --fix, the project audits without DA001 (or the codes
               "fix_clears" lists) and exits 0 unless "fix_exit" says otherwise
  mirror       how the result differs with full metadata from an index (the mirror run)
  mirror_exit, mirror_expect, mirror_absent, mirror_notes, mirror_exhaustive,
  mirror_resolution, mirror_unknowns
               replace the keys of the same name in the mirror run

Usage: run_scenario.py DEPAUDIT_BINARY SCENARIO_DIR REPO_ROOT [--index-url URL --cache-dir DIR]
With an index (tests/mirror/audit/) "--offline" in the arguments is replaced by it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN, SCENARIO = sys.argv[1], os.path.normpath(sys.argv[2])
INDEX_ARGS = sys.argv[4:]
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def matches(f, want):
    for k, v in want.items():
        if k == "fix":
            if not f.get("fix") or f["fix"]["requirement"] != v:
                return False
        elif k == "fix_prefix":
            if not f.get("fix") or not f["fix"]["requirement"].startswith(v):
                return False
        elif k == "fix_file":
            if not f.get("fix") or f["fix"]["file"] != v:
                return False
        elif k == "message_contains":
            if v not in (f.get("message") or ""):
                return False
        elif k == "message_absent":
            if v in (f.get("message") or ""):
                return False
        elif k == "candidate":
            if not f.get("candidates") or f["candidates"][0]["distribution"] != v:
                return False
        elif k == "older_metadata_contains":
            if v not in (f.get("older_metadata") or ""):
                return False
        elif k == "chain":
            if [f"{c['file']}:{c['line']}" for c in f.get("chain", [])] != v:
                return False
        elif f.get(k) != v:
            return False
    return True


def run(args, cwd):
    env = dict(os.environ)
    p = subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


with open(os.path.join(SCENARIO, "expect.json"), encoding="utf-8") as f:
    spec = json.load(f)
if INDEX_ARGS:
    for key in ("exit", "expect", "absent", "notes", "exhaustive", "resolution", "unknowns"):
        if "mirror_" + key in spec:
            spec[key] = spec["mirror_" + key]
    print(f"mirror run; expected difference: {spec.get('mirror', 'none stated')}")
print(f"scenario {os.path.basename(SCENARIO)}: {spec.get('description', '')}")
work = tempfile.mkdtemp(prefix="depaudit-scenario-")
try:
    proj = os.path.join(work, "p")
    shutil.copytree(SCENARIO, proj, ignore=shutil.ignore_patterns("expect.json"))
    args = spec.get("args", ["--offline", "--format", "json", "src", "Dockerfile"])
    if INDEX_ARGS:
        args = [a for a in args if a != "--offline"] + INDEX_ARGS
    rc, out, err = run(args, proj)
    sys.stderr.write(err)
    check(rc == spec["exit"], f"exit {spec['exit']} (got {rc})")
    for want in spec.get("stderr_contains", []):
        check(want in err, f"stderr says {want!r}")
    for bad in spec.get("stderr_absent", []):
        check(bad not in err, f"stderr does not say {bad!r}")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {"findings": []}
        check(False, "the output is JSON")
    F = doc["findings"]
    for f in F:
        print(f"  found {f['code']} {f.get('module') or f.get('distribution')} at "
              f"{f.get('file')}:{f.get('line')}: {f.get('message')}")
    for want in spec.get("expect", []):
        check(any(matches(f, want) for f in F), f"reports {json.dumps(want)}")
    for bad in spec.get("absent", []):
        check(not any(matches(f, bad) for f in F), f"does not report {json.dumps(bad)}")
    for want in spec.get("notes", []):
        check(any(want in n for n in doc.get("notes", [])), f"a note says {want!r}")
    resolution = doc.get("summary", {}).get("resolution", {})
    if "resolution" in spec:
        check(resolution.get("state") == spec["resolution"],
              f"resolution {spec['resolution']} (got {resolution.get('state')})")
    for want in spec.get("unknowns", []):
        check(any(want in u for u in resolution.get("unknowns", [])), f"an unknown says {want!r}")
    for code in spec.get("exhaustive", []):
        want = [w for w in spec.get("expect", []) if w.get("code") == code]
        got = [f for f in F if f["code"] == code]
        check(len(got) == len(want), f"exactly {len(want)} {code} (got {len(got)})")
    if spec.get("fix_clean"):
        rc, out, err = run(["--fix"] + args, proj)
        rc, out, err = run(args, proj)
        doc = json.loads(out)
        for code in spec.get("fix_clears", ["DA001"]):
            check(not [f for f in doc["findings"] if f["code"] == code],
                  f"after --fix: no {code}")
        check(rc == spec.get("fix_exit", 0), f"after --fix: exit {spec.get('fix_exit', 0)} "
                                            f"(got {rc})")
finally:
    shutil.rmtree(work, ignore_errors=True)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
