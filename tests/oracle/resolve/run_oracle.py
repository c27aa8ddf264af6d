"""The pip oracle for the resolver.

For every scenario in scenarios/*.json (a package index in the mirror fixture format of
tests/mirror/README.md, plus the requirements, constraints, target Python and --pre), this
builds a real mirror with tests/mirror/tools/build_mirror.py, serves all of them from one
nginx (tests/mirror/tools/mirror_server.sh), asks pip for its resolution (pip's own main()
in a few worker processes of /usr/bin/python3, pip 23.0.1, config files disabled)

    pip install --dry-run --report - --ignore-installed --only-binary=:all:
        --python-version X.Y --target DIR --index-url URL REQS

and compares it with depaudit's (the resolve_driver program), run twice: once with the
real metadata client (include/depaudit/metadata.h) over the same nginx mirror pip used,
and once with the in-memory fixture provider reading the scenario file directly (which
separates a resolver bug from a metadata-client bug when they disagree). Required: the same set of
(name, version) on every scenario pip solves, an error on every scenario pip cannot solve.
Each scenario's "expect" field states the intent ("ok" or "error"); pip disagreeing with it
means the scenario is mis-written, which also fails the test.

The mirror is built with --no-metadata-files: pip 23.0 cannot read the PEP 691 JSON form of
`core-metadata` (it expects a string), and with PEP 658 metadata it compares the requested
name with the metadata's Name without normalising them. Without .metadata files pip reads
each wheel's METADATA itself, which it does correctly; the resolution is the same.

pip evaluates environment markers against the interpreter it runs on, not --python-version,
so scenarios with python_version markers use 3.11 (the running /usr/bin/python3).

Usage: run_oracle.py DRIVER SCENARIO_DIR TOOLS_DIR [NAME_FILTER]
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_in_worker(args):
    """pip's own main() in a pool process: the interpreter and pip's imports are paid once
    per worker rather than once per scenario (most of pip's time on small scenarios)."""
    import contextlib
    import io
    from pip._internal.cli.main import main as pip_main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = pip_main(args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    return rc, out.getvalue(), err.getvalue()


def pip_resolve(pool, url, scenario, workdir):
    cmd = ["install", "--dry-run", "--report", "-", "--quiet",
           "--ignore-installed", "--no-cache-dir", "--disable-pip-version-check",
           "--no-input", "--index-url", url, "--python-version", scenario.get("python", "3.11"),
           "--only-binary=:all:", "--target", os.path.join(workdir, "target")]
    if scenario.get("pre"):
        cmd.append("--pre")
    if scenario.get("constraints"):
        cfile = os.path.join(workdir, "constraints.txt")
        with open(cfile, "w") as f:
            f.write("\n".join(scenario["constraints"]) + "\n")
        cmd += ["-c", cfile]
    cmd += scenario["requirements"]
    rc, stdout, stderr = pool.submit(pip_in_worker, cmd).result(timeout=300)
    if rc == 0:
        report = json.loads(stdout)
        return "ok", sorted("%s==%s" % (normalize(i["metadata"]["name"]), i["metadata"]["version"])
                            for i in report["install"]), ""
    unsolvable = ("ResolutionImpossible", "No matching distribution found",
                  "Could not find a version that satisfies")
    if any(u in stderr for u in unsolvable):
        return "error", [], stderr.strip().splitlines()[-1]
    raise RuntimeError("pip failed unexpectedly (exit %s):\n%s" % (rc, stderr))


def depaudit_resolve(driver, path, url=None, cache=None):
    cmd = [driver, path] + ([url, cache] if url else [])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode == 0:
        return "ok", sorted(l for l in p.stdout.splitlines() if l), ""
    if p.returncode == 1:
        return "error", [], p.stdout.strip()
    raise RuntimeError("resolve_driver failed (exit %d):\n%s" % (p.returncode, p.stderr))


def main(argv):
    driver, scen_dir, tools = argv[1], argv[2], argv[3]
    name_filter = argv[4] if len(argv) > 4 else ""
    python = "/usr/bin/python3"
    names = sorted(n for n in os.listdir(scen_dir) if n.endswith(".json") and name_filter in n)
    if not names:
        print("no scenarios")
        return 1
    with tempfile.TemporaryDirectory(prefix="resolve-oracle-") as tmp:
        root = os.path.join(tmp, "mirrors")
        os.mkdir(root)
        scenarios = {}
        for n in names:
            with open(os.path.join(scen_dir, n)) as f:
                scenarios[n] = json.load(f)

        def build(n):
            subprocess.run([python, os.path.join(tools, "build_mirror.py"), "--no-metadata-files",
                            os.path.join(root, n[:-5]), os.path.join(scen_dir, n)], check=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(build, names))
        server = os.path.join(tools, "mirror_server.sh")
        base = subprocess.run([server, "start", root], check=True, capture_output=True,
                              text=True).stdout.strip()
        # pip reads its configuration from the environment: none of the machine's
        os.environ["PIP_CONFIG_FILE"] = os.devnull
        os.environ["PIP_NO_INPUT"] = "1"
        os.environ.pop("PIP_INDEX_URL", None)
        os.environ.pop("PIP_EXTRA_INDEX_URL", None)
        pip_pool = concurrent.futures.ProcessPoolExecutor(max_workers=3)
        try:
            def one(n):
                work = os.path.join(tmp, "work-" + n[:-5])
                os.mkdir(work)
                url = "%s/%s/simple/" % (base, n[:-5])
                path = os.path.join(scen_dir, n)
                return (n, pip_resolve(pip_pool, url, scenarios[n], work),
                        depaudit_resolve(driver, path),
                        depaudit_resolve(driver, path, url, os.path.join(work, "cache")))
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(one, names))
        finally:
            pip_pool.shutdown()
            subprocess.run([server, "stop", root], check=False)
    failures = 0
    solvable = 0
    for n, (pk, pset, pmsg), (dk, dset, dmsg), (ik, iset, imsg) in results:
        expect = scenarios[n].get("expect", "ok")
        if pk == "ok":
            solvable += 1
        ok = pk == dk == ik and pset == dset == iset and pk == expect
        status = "ok  " if ok else "FAIL"
        print("%s %-34s pip=%s depaudit(fixture)=%s depaudit(index)=%s" % (status, n, pk, dk, ik))
        if not ok:
            failures += 1
            print("     pip:               %s %s" % (" ".join(pset), pmsg))
            print("     depaudit(fixture): %s %s" % (" ".join(dset), dmsg))
            print("     depaudit(index):   %s %s" % (" ".join(iset), imsg))
            if pk != expect:
                print("     scenario expects %s" % expect)
        elif dk == "error":
            print("     depaudit says: %s" % dmsg.splitlines()[0])
    print("%d scenarios (%d solvable, %d unsolvable), %d failed" %
          (len(results), solvable, len(results) - solvable, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
