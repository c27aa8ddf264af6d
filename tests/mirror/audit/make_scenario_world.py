"""Maintainer tool: writes scenario_world.json, the mirror fixture for the audit's
end-to-end scenarios (tests/e2e/audit/scenarios/), from the metadata the embedded
snapshot holds for every distribution the scenarios install and everything they require,
so the mirror run and the offline run start from the same facts; the mirror then adds what
the snapshot lacks (files to install, and the OVERRIDES below, taken from the published
METADATA of those releases). Run with /usr/bin/python3 after a build:

    /usr/bin/python3 tests/mirror/audit/make_scenario_world.py build/src/cli/depaudit

Each release's `files` are the modules the snapshot lists, as package paths."""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "..", "..", "e2e", "audit", "scenarios")
BIN = sys.argv[1]

# Requires-Dist the snapshot row dropped (it says so: requires_incomplete), as published.
OVERRIDES = {
    ("uvicorn", "0.24.0.post1"): [
        "click>=7.0", "h11>=0.8", "typing-extensions>=4.0; python_version < \"3.11\"",
        "colorama>=0.4; sys_platform == \"win32\" and extra == \"standard\"",
        "httptools>=0.5.0; extra == \"standard\"", "python-dotenv>=0.13; extra == \"standard\"",
        "pyyaml>=5.1; extra == \"standard\"",
        "uvloop!=0.15.0,!=0.15.1,>=0.14.0; (sys_platform != \"win32\" and (sys_platform != "
        "\"cygwin\" and platform_python_implementation != \"PyPy\")) and extra == \"standard\"",
        "watchfiles>=0.13; extra == \"standard\"", "websockets>=10.4; extra == \"standard\""],
}

# Releases the snapshot does not hold at a version uvicorn[standard] 0.24 accepts, as
# published (name, version, requires_dist, top-level packages).
EXTRA_RELEASES = [
    ("httptools", "0.6.1", [], ["httptools"]),
    ("watchfiles", "0.21.0", ["anyio>=3.0.0"], ["watchfiles"]),
    ("websockets", "12.0", [], ["websockets"]),
    ("python-dotenv", "1.0.0", [], ["dotenv"]),
    ("uvloop", "0.19.0", [], ["uvloop"]),
    # da012_unknown_distribution: what an index knows and the snapshot does not
    ("pytelegrambotapi", "4.21.0", ["requests"], ["telebot"]),
]


def metadata(spec):
    p = subprocess.run([BIN, "metadata", "--offline", "--format", "json", spec],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3) or not p.stdout.strip():  # 3: the snapshot's list is partial
        return None
    d = json.loads(p.stdout)["distributions"]
    return d[0].get("release") if d else None


def name_of(req):
    return re.match(r"[A-Za-z0-9._-]+", req).group(0).lower().replace("_", "-").replace(".", "-")


wanted = []  # (name, version or None, extras)
for sc in sorted(os.listdir(SCENARIOS)):
    df = os.path.join(SCENARIOS, sc, "Dockerfile")
    if not os.path.exists(df):
        continue
    p = subprocess.run([BIN, "installs", "--format", "json", "Dockerfile"], cwd=os.path.dirname(df),
                       capture_output=True, text=True)
    if p.returncode != 0:
        continue
    for op in json.loads(p.stdout).get("operations", []):
        for r in op.get("requirements", []):
            text = r.get("text") or ""
            if not re.match(r"[A-Za-z]", text):
                continue
            pin = re.search(r"==\s*([^,;\s]+)", text)
            extras = re.search(r"\[([^\]]+)\]", text)
            wanted.append((name_of(text), pin.group(1) if pin else None,
                           extras.group(1).split(",") if extras else []))

# What the scenarios' --fix adds, which their after-fix run installs: the index must know
# it (a 404 is "not on the index", never filled in from the snapshot).
FIX_INSTALLS = ["openpyxl", "opencv-python-headless"]
wanted.extend((name, None, []) for name in FIX_INSTALLS)


def versions(name):
    p = subprocess.run([BIN, "metadata", "--offline", "--format", "json", name],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3) or not p.stdout.strip():  # 3: the snapshot's list is partial
        return []
    d = json.loads(p.stdout)["distributions"]
    proj = d[0].get("project") if d else None
    return [v["version"] for v in proj.get("versions", [])] if proj else []


# every version the snapshot holds of every distribution in the closure, so the resolver
# has the same choices against the mirror as offline
releases = {}
seen = set()
queue = list(wanted)
while queue:
    name, _, extras = queue.pop(0)
    if (name, tuple(extras)) in seen:
        continue
    seen.add((name, tuple(extras)))
    for version in versions(name):
        rel = metadata(f"{name}=={version}")
        if not rel:
            continue
        key = (rel["name"], rel["version"])
        reqs = OVERRIDES.get(key, rel.get("requires_dist") or [])
        releases[key] = (rel, reqs)
        for req in reqs:
            m = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", req)
            if m and m.group(1) not in extras:
                continue
            queue.append((name_of(req), None, []))

for name, version, reqs, tops in EXTRA_RELEASES:
    releases[(name, version)] = ({"name": name, "version": version, "modules": tops}, reqs)

def published_modules(name, version, modules):
    """The modules of the published wheel where the snapshot's row (a Debian package) split
    some off: setuptools ships pkg_resources up to 81 (82.0.0 removed it; Debian packages it
    as python3-pkg-resources)."""
    major = re.match(r"\d+", version)
    if name == "setuptools" and major and int(major.group(0)) < 82 and "pkg_resources" not in modules:
        return modules + ["pkg_resources"]
    return modules


# run_mirror_scenarios.sh serves the real wheels of /usr/share/python-wheels besides the
# world (build_mirror.py --debian-wheels): a generated release of the same file would clash
DEBIAN_WHEELS = "/usr/share/python-wheels"
real_wheels = set(os.listdir(DEBIAN_WHEELS)) if os.path.isdir(DEBIAN_WHEELS) else set()

projects = {}
for (name, version), (rel, reqs) in sorted(releases.items()):
    if f"{name.replace('-', '_')}-{version}-py3-none-any.whl" in real_wheels:
        continue
    modules = published_modules(name, version, list(rel.get("modules", [])))
    files = [m.replace(".", "/") + "/__init__.py" for m in modules]
    extras = set(rel.get("provides_extra") or [])
    for req in reqs:
        extras.update(re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", req))
    entry = {"version": version, "requires_dist": reqs, "provides_extra": sorted(extras),
             "files": files, "upload_time": "2024-01-01T00:00:00.000000Z"}
    if rel.get("requires_python"):
        entry["requires_python"] = rel["requires_python"]
    projects.setdefault(name, []).append(entry)
doc = {"comment": "Generated by make_scenario_world.py from the embedded snapshot's metadata "
                  "(plus its OVERRIDES); regenerate, do not edit.",
       "projects": [{"name": n, "releases": r} for n, r in sorted(projects.items())]}
with open(os.path.join(HERE, "scenario_world.json"), "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=1)
print(f"{len(projects)} projects, {len(releases)} releases")
