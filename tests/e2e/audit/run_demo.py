"""End-to-end on corpus/demo, offline: what corpus/demo/EXPECTED.md says a correct audit
reports, in text, JSON, SARIF and GitHub form; then --diff, --fix, and the fixed project
auditing clean. Outputs are also compared with the golden files in golden/ (regenerate
them with DEPAUDIT_UPDATE_GOLDEN=1 after checking the differences by hand).

Usage: run_demo.py DEPAUDIT_BINARY REPO_ROOT [--index-url URL --cache-dir DIR]
With an index (the mirror variant, tests/mirror/audit/) metadata comes from it instead of
--offline, and the golden files are golden/mirror-*."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN, ROOT = sys.argv[1], sys.argv[2]
SOURCE_ARGS = sys.argv[3:] if len(sys.argv) > 3 else ["--offline"]
MIRROR = "--index-url" in SOURCE_ARGS
HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd, env_extra=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    p = subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, env=env,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def golden(name, text):
    # the mirror's port changes from run to run
    if MIRROR:
        url = SOURCE_ARGS[SOURCE_ARGS.index("--index-url") + 1]
        text = text.replace(url, "INDEX_URL/")
    if MIRROR:
        name = "mirror-" + name
    path = os.path.join(GOLDEN, name)
    if os.environ.get("DEPAUDIT_UPDATE_GOLDEN"):
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"updated {path}")
        return
    if not os.path.exists(path):
        check(False, f"golden file {name} exists (run with DEPAUDIT_UPDATE_GOLDEN=1)")
        return
    with open(path, encoding="utf-8") as f:
        want = f.read()
    if want != text:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                   "golden/" + name, "actual"))
    check(want == text, f"output matches golden/{name}")


def by(findings, code, **kw):
    out = []
    for f in findings:
        if f["code"] != code:
            continue
        if all(f.get(k) == v for k, v in kw.items()):
            out.append(f)
    return out


work = tempfile.mkdtemp(prefix="depaudit-demo-")
try:
    demo = os.path.join(work, "demo")
    shutil.copytree(os.path.join(ROOT, "corpus", "demo"), demo)
    original = open(os.path.join(demo, "Dockerfile"), encoding="utf-8").read()
    args = SOURCE_ARGS + ["src", "Dockerfile"]

    # ---- text ----
    rc, out, err = run(args, demo)
    check(rc == 1, f"text: exit 1 with errors (got {rc}; stderr: {err.strip()[:300]})")
    check("\033[" not in out, "text: no colour when stdout is not a terminal")
    check("depaudit: metadata: " in err, "text: stderr says where metadata came from")
    check("guess" in err, "text: stderr says whether any answer is a guess")
    otlp_line = ("src/core/telemetry.py:4:1: DA001 "
                 "`opentelemetry.exporter.otlp.proto.grpc.trace_exporter`")
    check(otlp_line in out, "text: DA001 line for the OTLP exporter at telemetry.py:4")
    check("    boot path: src/api/main.py:9 -> src/core/telemetry.py:4\n" in out,
          "text: the boot-path chain main.py:9 -> telemetry.py:4")
    check("ModuleNotFoundError: No module named 'opentelemetry.exporter'" in out,
          "text: the exact error Python raises")
    check("src/core/security.py:5:1: DA001 `jose`" in out, "text: DA001 for jose")
    check("+ opentelemetry-exporter-otlp-proto-grpc>=1.21.0" in out, "text: suggested fix line")
    last = out.rstrip("\n").split("\n")[-1]
    check(last.startswith("Found ") and "error" in last, "text: ends with a one-line summary")
    golden("demo.txt", out)

    # ---- json ----
    rc, out, err = run(["--format", "json"] + args, demo)
    check(rc == 1, "json: exit 1")
    doc = json.loads(out)
    check(doc["schema"] == "depaudit-report" and doc["schema_version"] == 1, "json: schema")
    F = doc["findings"]
    otlp = by(F, "DA001", module="opentelemetry.exporter.otlp.proto.grpc.trace_exporter")
    check(len(otlp) == 1, "json: one DA001 for the OTLP exporter")
    if otlp:
        o = otlp[0]
        check(o["boot_path"] is True, "json: on the boot path")
        check([(c["file"], c["line"]) for c in o["chain"]] ==
              [("src/api/main.py", 9), ("src/core/telemetry.py", 4)], "json: chain")
        check(o["python_error"] ==
              "ModuleNotFoundError: No module named 'opentelemetry.exporter'", "json: error")
        check(o["candidates"] and o["candidates"][0]["distribution"] ==
              "opentelemetry-exporter-otlp-proto-grpc", "json: the providing distribution")
        check(o["fix"] and o["fix"]["requirement"] ==
              "opentelemetry-exporter-otlp-proto-grpc>=1.21.0" and o["fix"]["file"] ==
              "Dockerfile", "json: fix in the Dockerfile's >= style at the family version")
        check(o["severity"] == "error", "json: severity error")
    jose = by(F, "DA001", module="jose")
    check(len(jose) == 1 and jose[0]["boot_path"] is False,
          "json: DA001 for jose, not on the boot path")
    if jose:
        check(jose[0]["candidates"] and jose[0]["candidates"][0]["distribution"] ==
              "python-jose", "json: jose is provided by python-jose")
        check(jose[0]["fix"] and jose[0]["fix"]["requirement"].startswith("python-jose>="),
              "json: python-jose fix in >= style")
    check(len(by(F, "DA001")) == 2, "json: exactly two DA001")
    for mod in ("orjson", "fakeredis"):
        check(not [f for f in F if f.get("module") == mod], f"json: nothing for {mod}")
    check(not by(F, "DA008"), "json: no DA008 (src/ is copied)")
    for dist in ("gunicorn", "uvicorn", "asyncpg"):
        check(not by(F, "DA004", distribution=dist), f"json: no DA004 for {dist}")
    check(len(by(F, "DA004", distribution="tenacity")) == 1, "json: DA004 for tenacity")
    check(by(F, "DA003", distribution="pydantic"), "json: DA003 for pydantic")
    check(by(F, "DA003", distribution="starlette"), "json: DA003 for starlette")
    for code in ("DA005", "DA006", "DA007", "DA009", "DA010"):
        check(not by(F, code), f"json: no {code}")
    notes = " ".join(doc["notes"])
    check("asyncpg" in notes and "postgresql+asyncpg://" in notes,
          "json: note explains why asyncpg counts as used")
    golden("demo.json", out)

    # ---- sarif ----
    rc, out, err = run(["--format", "sarif"] + args, demo)
    check(rc == 1, "sarif: exit 1")
    sarif_path = os.path.join(work, "demo.sarif")
    with open(sarif_path, "w", encoding="utf-8") as f:
        f.write(out)
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "unit", "audit",
                                                     "check_sarif.py"), sarif_path,
                        "--expect-rule", "DA001", "--expect-rule", "DA004"],
                       capture_output=True, text=True)
    print(p.stdout.strip())
    check(p.returncode == 0, "sarif: structurally valid 2.1.0")
    golden("demo.sarif", out)

    # ---- github ----
    rc, out, err = run(["--format", "github"] + args, demo)
    check(rc == 1 and out.startswith("::"), "github: annotation commands")
    check("::error file=src/core/telemetry.py,line=4,col=1,title=DA001 missing::" in out,
          "github: error annotation on telemetry.py:4")

    # ---- fail-on ----
    rc, _, _ = run(["--fail-on", "never"] + args, demo)
    check(rc == 0, "--fail-on never exits 0")
    rc, _, err = run(["--fail-on", "sometimes"] + args, demo)
    check(rc == 2 and err.startswith("depaudit: "), "--fail-on with a bad level is a usage error")

    # ---- diff, then fix ----
    rc, diff, err = run(["--diff"] + args, demo)
    check(diff.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ "), "--diff: unified diff")
    check('-    "opentelemetry-sdk>=1.21.0"\n+    "opentelemetry-sdk>=1.21.0" \\\n'
          '+    "opentelemetry-exporter-otlp-proto-grpc>=1.21.0" \\\n' in diff,
          "--diff: the exporter joins the same RUN list, continuation added")
    check(open(os.path.join(demo, "Dockerfile"), encoding="utf-8").read() == original,
          "--diff does not touch the file")
    golden("demo.diff", diff)
    rc, out, err = run(["--fix"] + args, demo)
    fixed = open(os.path.join(demo, "Dockerfile"), encoding="utf-8").read()
    # only insertions: removing the inserted text gives back the original byte for byte
    added = [l[1:] for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    removed = [l[1:] for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    check(len(removed) == 1 and added[0] == removed[0] + " \\", "--fix: one line gains ` \\`")
    check(fixed.replace("".join("\n" + a for a in added[1:]), "").replace(
        removed[0] + " \\", removed[0], 1) == original, "--fix: nothing else changes")
    check(rc == 0, f"--fix: the fixed project audits without errors (exit {rc})")
    check("DA001" not in out, "--fix: no DA001 remains")
    rc, out, err = run(["--format", "json"] + args, demo)
    doc = json.loads(out)
    check(rc == 0 and not by(doc["findings"], "DA001"),
          "re-audit of the fixed Dockerfile: clean of DA001, exit 0")
    check(by(doc["findings"], "DA004", distribution="tenacity"),
          "re-audit: the DA004 warning remains")
    rc, _, _ = run(["--fail-on", "warning"] + args, demo)
    check(rc == 1, "re-audit with --fail-on warning still fails on the warnings")
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
