"""Fewer requests and bytes than pip, counted by the server.

For several resolver scenarios (tests/oracle/resolve/scenarios), each served as its own tree
by one nginx (PEP 503 pages with PEP 658 `.metadata` files and both metadata attributes,
as the public index serves them; HTML only because pip 23.0 cannot read the JSON form of
`core-metadata`; wheels padded to about 60 kB), this runs `depaudit resolve` (the real binary, cold cache) and
`pip install --dry-run --report` (pip's config files and PIP_ variables out of the way, a
cold cache) on the same requirements, counts the requests and response bytes nginx logged
for each, and requires: the same resolved set, and depaudit's requests and bytes at most
pip's. Counts, never times: the time ratio lives in tests/bench/resolve.

Usage: requests_vs_pip.py DEPAUDIT SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

DEPAUDIT, SRC = sys.argv[1], sys.argv[2]
TOOLS = os.path.join(SRC, "tests", "mirror", "tools")
SCENARIOS = ["05_extras", "09_marker_python_version", "10_marker_platform",
             "12_backtrack_simple", "15_backtrack_two_levels", "38_web_app",
             "41_backtrack_chronological"]
PY = "/usr/bin/python3"
PAD_BYTES = 60000


def norm(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def log_lines(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        return f.readlines()


def served(log, before):
    time.sleep(0.2)  # nginx writes the line after the answer
    lines = log_lines(log)[before:]
    return len(lines), sum(int(l.split()[9]) for l in lines if l.split()[9].isdigit())


def main():
    work = tempfile.mkdtemp(prefix="requests-vs-pip.")
    mirror = os.path.join(work, "mirror")
    os.makedirs(mirror)
    scen = {}
    for name in SCENARIOS:
        path = os.path.join(SRC, "tests", "oracle", "resolve", "scenarios", name + ".json")
        scen[name] = json.load(open(path))
        # wheels of a realistic size (a small pure-Python wheel): the scenarios' own are a
        # few hundred bytes, smaller than any range read, which no published wheel is
        pads = ["--pad=%s=%d" % (p["name"], PAD_BYTES) for p in scen[name]["projects"]]
        subprocess.run([PY, os.path.join(TOOLS, "build_mirror.py"), "--html-only"] + pads
                       + [os.path.join(mirror, name), path], check=True, stdout=subprocess.DEVNULL)
    url = subprocess.run([os.path.join(TOOLS, "mirror_server.sh"), "start", mirror], check=True,
                         capture_output=True, text=True).stdout.strip()
    failures = []
    try:
        state = open(os.path.join(mirror, ".mirror-server")).read().strip()
        log = os.path.join(state, "access.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
        env["PIP_CONFIG_FILE"] = os.devnull
        print("%-28s %9s %9s %11s %11s" % ("scenario", "depaudit", "pip", "bytes", "pip bytes"))
        total = [0, 0, 0, 0]
        for name, d in scen.items():
            index = "%s/%s/simple/" % (url, name)
            reqs = d["requirements"]
            before = len(log_lines(log))
            p = subprocess.run([DEPAUDIT, "resolve", "--format", "json", "--index-url", index,
                                "--cache-dir", os.path.join(work, "dcache-" + name),
                                "--only-binary", ":all:", "--python-version", d["python"]]
                               + reqs, capture_output=True, text=True, env=env)
            d_req, d_bytes = served(log, before)
            if p.returncode != 0:
                failures.append("%s: depaudit exited %d: %s" % (name, p.returncode, p.stderr[-500:]))
                continue
            ours = sorted("%s==%s" % (norm(x["name"]), x["version"])
                          for x in json.loads(p.stdout)["distributions"])
            before = len(log_lines(log))
            report = os.path.join(work, name + "-report.json")
            q = subprocess.run([PY, "-m", "pip", "install", "--dry-run", "--report", report,
                                "--quiet", "--ignore-installed", "--disable-pip-version-check",
                                "--no-input", "--index-url", index, "--python-version",
                                d["python"], "--only-binary=:all:", "--target",
                                os.path.join(work, "target"), "--cache-dir",
                                os.path.join(work, "pcache-" + name)] + reqs,
                               capture_output=True, text=True, env=env)
            p_req, p_bytes = served(log, before)
            if q.returncode != 0:
                failures.append("%s: pip exited %d: %s" % (name, q.returncode, q.stderr[-500:]))
                continue
            theirs = sorted("%s==%s" % (norm(i["metadata"]["name"]), i["metadata"]["version"])
                            for i in json.load(open(report))["install"])
            print("%-28s %9d %9d %11d %11d" % (name, d_req, p_req, d_bytes, p_bytes))
            for i, v in enumerate((d_req, p_req, d_bytes, p_bytes)):
                total[i] += v
            if ours != theirs:
                failures.append("%s: resolved sets differ: depaudit %s, pip %s" % (name, ours, theirs))
            if d_req > p_req:
                failures.append("%s: %d requests, pip %d" % (name, d_req, p_req))
            if d_bytes > p_bytes:
                failures.append("%s: %d bytes, pip %d" % (name, d_bytes, p_bytes))
        print("%-28s %9d %9d %11d %11d" % ("total", *total))
    finally:
        subprocess.run([os.path.join(TOOLS, "mirror_server.sh"), "stop", mirror],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", work])
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
