"""Differential test of da_pep's wheel and .dist-info/.egg-info directory names.

References, all of the Python that runs this script (Debian's, with packaging 23.0):
  * packaging.utils: canonicalize_name (name escaping is it with '_' for '-'),
    canonicalize_version(strip_trailing_zero=False) and Version (version escaping of a
    valid version), parse_wheel_filename (an escaped name and version make a wheel name
    that reads back as the same project and version);
  * pkg_resources (Debian's setuptools): safe_version + to_filename for legacy versions,
    and its EGG_NAME pattern for the parts of an egg-info name;
  * importlib.metadata: which directories it finds for a requested name, on a temporary
    site directory full of generated entries; and the real *.dist-info / *.egg-info of
    /usr/lib/python3/dist-packages and every pyenv site-packages on the machine, whose
    names must parse to their metadata's Name and Version.

Usage: oracle_dist_dir_name.py --driver PATH [--seed N]
"""
import argparse
import glob
import importlib.metadata
import os
import random
import subprocess
import sys
import tempfile
import warnings

from packaging.utils import canonicalize_name, canonicalize_version, parse_wheel_filename
from packaging.version import InvalidVersion, Version

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pkg_resources
except ImportError:  # pragma: no cover - Debian's python3 ships it (python3-pkg-resources)
    pkg_resources = None

SITE_DIRS = ["/usr/lib/python3/dist-packages"] + sorted(
    glob.glob(os.path.expanduser("~/.pyenv/versions/*/lib/python*/site-packages")))


def hx(s):
    if s is None:
        return "-"
    if s == "":
        return "="
    return s.encode("utf-8", "surrogatepass").hex()


def unhx(h):
    if h == "-":
        return None
    if h == "=":
        return ""
    return bytes.fromhex(h).decode("utf-8", "surrogatepass")


def valid_version(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None


# ---- references ------------------------------------------------------------------------


def ref_name_escape(name):
    return canonicalize_name(name).replace("-", "_")


def ref_version_escape(v):
    parsed = valid_version(v)
    if parsed is not None:
        return str(parsed)
    return pkg_resources.to_filename(pkg_resources.safe_version(v))


def ref_dir_parse(d):
    """The documented rule of da_dist_dir_name_parse, restated; its answers are checked
    against pkg_resources and importlib below wherever they have an opinion."""
    low = d.lower()
    if low.endswith(".dist-info"):
        egg, stem = False, d[:-10]
    elif low.endswith(".egg-info"):
        egg, stem = True, d[:-9]
    else:
        return None
    if "/" in d:
        return None
    name, sep, rest = stem.partition("-")
    if not name or (sep and not rest):
        return None
    if not sep:
        return (name, None, None, None, egg)
    if not egg:
        return (name, rest, None, None, egg)
    version, sep, more = rest.partition("-")
    if not sep:
        return (name, version, None, None, egg)
    if not version or not more:
        return None
    py, sep, plat = more.partition("-")
    if len(py) < 3 or py[:2].lower() != "py" or (sep and not plat):
        return None
    return (name, version, py[2:], plat if sep else None, egg)


# ---- generated inputs ------------------------------------------------------------------


class Gen:
    LETTERS = "abcxyzKQ0123456789"
    ODD = "\u00e9\u00c9\u0436\u0416"  # é É ж Ж: lower() is exact for these in da_pep

    def __init__(self, seed):
        self.r = random.Random(seed)

    def name(self, odd=True):
        r = self.r
        parts = []
        for _ in range(r.choice([1, 1, 2, 2, 3, 4])):
            alphabet = self.LETTERS + (self.ODD if odd and r.random() < 0.1 else "")
            parts.append("".join(r.choice(alphabet) for _ in range(r.randint(1, 6))))
        seps = ["-", "_", ".", "-", "_", ".", "--", "_.", "-_-", "."]
        s = parts[0] + "".join(r.choice(seps) + p for p in parts[1:])
        if odd and r.random() < 0.05:
            s = r.choice(["-", "_", "."]) + s
        if odd and r.random() < 0.05:
            s += r.choice(["-", "_", "."])
        return "".join(c.upper() if r.random() < 0.2 else c for c in s)

    def num(self):
        r = self.r
        return str(r.choice([0, 0, 1, 2, 3, 10, 2023, r.randint(0, 99999)]))

    def sep(self):
        return self.r.choice([".", "-", "_", ""])

    def version(self):
        r = self.r
        s = ("v" if r.random() < 0.05 else "") + ("1!" if r.random() < 0.05 else "")
        s += ".".join(self.num() for _ in range(r.choice([1, 2, 2, 3, 3, 4])))
        if r.random() < 0.3:
            s += self.sep() + r.choice(["a", "b", "rc", "c", "alpha", "Beta", "pre", "preview"])
            s += self.sep() + self.num() if r.random() < 0.8 else ""
        if r.random() < 0.2:
            s += "-" + self.num() if r.random() < 0.3 else self.sep() + "post" + self.num()
        if r.random() < 0.2:
            s += self.sep() + "dev" + (self.num() if r.random() < 0.8 else "")
        if r.random() < 0.15:
            s += "+" + r.choice(["ubuntu", "deb12u1", "Local", "1"]) + r.choice(
                ["", ".1", "-2", "_x"])
        if r.random() < 0.03:
            s = " " + s + " "
        return s

    def legacy_version(self):
        r = self.r
        v = self.version()
        alphabet = "0123456789.-_~+ abcXYZ!/\u00e9"
        for _ in range(r.randint(1, 3)):
            i = r.randint(0, len(v))
            v = v[:i] + r.choice(alphabet) + v[i:]
        return v

    def dir_name(self):
        """Mostly well-formed entries, with the odd ones installers meet or could meet."""
        r = self.r
        name = self.name()
        if r.random() < 0.3:
            name = ref_name_escape(name)
        version = self.version().strip() if r.random() < 0.8 else self.legacy_version()
        version = version.replace("/", "_")
        shape = r.random()
        if shape < 0.1:
            stem = name.replace("-", "_")
        elif shape < 0.8:
            stem = name.replace("-", "_") + "-" + version
        else:
            stem = name + "-" + version  # an unescaped '-' in name or version
        suffix = r.choice([".dist-info"] * 5 + [".egg-info"] * 4 + [".DIST-INFO", ".Egg-Info",
                                                                    ".whl", ".dist_info", ""])
        if suffix.lower() == ".egg-info" and r.random() < 0.4:
            stem += "-py" + r.choice(["3.11", "2.7", "3", ""])
            if r.random() < 0.4:
                stem += "-" + r.choice(["linux-x86_64", "win32", "", "macosx-10.9-x86_64"])
        elif r.random() < 0.05:
            stem += r.choice(["-", "-linux", "--"])
        return stem + suffix


# ---- the cases -------------------------------------------------------------------------


def build_cases(seed, stats):
    g = Gen(seed)
    cases = []  # (question, expected answer, description)

    for _ in range(3000):
        n = g.name()
        cases.append(("NE\t" + hx(n), hx(ref_name_escape(n)), "escape name %r" % n))

    for i in range(6000):
        v = g.version() if i % 3 else g.legacy_version()
        exp = ref_version_escape(v)
        parsed = valid_version(v)
        if parsed is not None:
            stats["valid_versions"] += 1
            # canonicalize_version applies to valid versions (it returns a legacy one as is)
            assert canonicalize_version(v, strip_trailing_zero=False) == exp, v
        cases.append(("VE\t" + hx(v), hx(exp), "escape version %r" % v))
        cases.append(("DV\t%s\t%s" % (hx(exp), hx(v)), "1", "escaped version %r stands for %r"
                      % (exp, v)))
        other = g.version()
        po = valid_version(other)
        if parsed is not None and po is not None:
            cases.append(("DV\t%s\t%s" % (hx(exp), hx(other)), "1" if parsed == po else "0",
                          "escaped version %r vs %r" % (exp, other)))

    for _ in range(3000):
        d = g.dir_name()
        ref = ref_dir_parse(d)
        if ref is None:
            exp = "E"
        else:
            exp = "OK\t" + "\t".join(hx(x) for x in ref[:4]) + "\t%d" % ref[4]
            check_against_pkg_resources(d, ref, stats)
        cases.append(("D\t" + hx(d), exp, "parse %r" % d))
    return g, cases


def check_against_pkg_resources(d, ref, stats):
    """pkg_resources' EGG_NAME on the stem must agree with every part the rule found."""
    if pkg_resources is None:
        return
    stem = os.path.splitext(d)[0]
    m = pkg_resources.EGG_NAME(stem)
    name, version, py, plat, egg = ref
    got = (m.group("name"), m.group("ver"), m.group("pyver"), m.group("plat"))
    if egg:
        want = (name, version, py, plat)
    elif version is not None and "-" in version:
        return  # a '-' inside a dist-info version: pkg_resources cuts it, the rule keeps it
    else:
        want = (name, version, None, None)
    if got != want:
        raise AssertionError("rule %r disagrees with pkg_resources %r on %r" % (want, got, d))
    stats["agree_pkg_resources"] += 1


def wheel_round_trips(g, stats):
    """DI/NE/VE output must read back through packaging's wheel-name parser."""
    questions, checks = [], []
    for _ in range(2000):
        name = g.name(odd=False).strip("-_.") or "x"
        v = g.version()
        if valid_version(v) is None:
            continue
        questions += ["NE\t" + hx(name), "VE\t" + hx(v), "DI\t%s\t%s" % (hx(name), hx(v))]
        checks.append((name, v))
    return questions, checks


def importlib_matches(g, driver, extra_dirs, stats):
    """Which generated entries importlib.metadata finds for requested names, vs
    da_dist_dir_matches on every (entry, request) pair."""
    dirs = set(extra_dirs)
    while len(dirs) < 300:
        d = g.dir_name()
        if "/" not in d and len(d.encode()) < 200:
            dirs.add(d)
    dirs = sorted(dirs)
    requests = set()
    for d in dirs[:200]:
        part = d.split("-", 1)[0]
        part = part[:-9] if part.lower().endswith(".egg-info") else part
        part = part[:-10] if part.lower().endswith(".dist-info") else part
        variant = "".join(g.r.choice(["-", "_", ".", "._"]) if c in "-_." else
                          (c.upper() if g.r.random() < 0.3 else c) for c in part)
        for r in (part, variant):
            if r:
                requests.add(r)
    while len(requests) < 400:
        requests.add(g.name())
    requests = sorted(requests)
    with tempfile.TemporaryDirectory(prefix="distnames-") as tmp:
        for d in dirs:
            os.mkdir(os.path.join(tmp, d))
        found = {}
        for req in requests:
            dists = importlib.metadata.distributions(name=req, path=[tmp])
            found[req] = {os.path.basename(str(x._path)) for x in dists}
    questions, expected = [], []
    for req in requests:
        for d in dirs:
            questions.append("DM\t%s\t%s" % (hx(d), hx(req)))
            expected.append(("1" if d in found[req] else "0", "importlib finds %r for %r"
                             % (d, req)))
    stats["importlib_pairs"] = len(questions)
    stats["importlib_hits"] = sum(len(v) for v in found.values())
    return questions, expected


def real_directories(stats):
    """(entry, Name, Version) of every distribution importlib reads on the machine."""
    out = []
    for site in SITE_DIRS:
        if not os.path.isdir(site):
            continue
        for dist in importlib.metadata.distributions(path=[site]):
            entry = os.path.basename(str(dist._path))
            name, version = dist.metadata["Name"], dist.metadata["Version"]
            if name is None or version is None:
                stats["real_without_name_or_version"] += 1
                continue
            out.append((entry, name, version, site))
    return out


def ask(driver, questions):
    text = "".join(q + "\n" for q in questions)
    res = subprocess.run([driver], input=text.encode(), stdout=subprocess.PIPE, check=True)
    answers = res.stdout.decode().split("\n")
    if len(answers) < len(questions):
        raise SystemExit("driver gave %d answers to %d questions" % (len(answers),
                                                                    len(questions)))
    return answers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if pkg_resources is None:
        print("pkg_resources is not importable: legacy version and egg-name checks need it")
        print("0 passed, 1 failed")
        return 1

    stats = {k: 0 for k in ("valid_versions", "agree_pkg_resources",
                            "real_without_name_or_version")}
    failures = []
    g, cases = build_cases(args.seed, stats)
    answers = ask(args.driver, [c[0] for c in cases])
    for (q, exp, desc), got in zip(cases, answers):
        if got != exp:
            failures.append((desc, exp, got))
    passed = len(cases)

    # Wheel names made of the escaped parts read back with packaging.
    questions, checks = wheel_round_trips(g, stats)
    answers = ask(args.driver, questions)
    made_dirs = []
    for i, (name, v) in enumerate(checks):
        ename, ever, dirname = (unhx(a) for a in answers[3 * i:3 * i + 3])
        desc = "wheel/dist-info round trip of %r %r" % (name, v)
        try:
            pname, pver, _, _ = parse_wheel_filename("%s-%s-py3-none-any.whl" % (ename, ever))
            ok = (pname == canonicalize_name(name) and pver == Version(v)
                  and dirname == "%s-%s.dist-info" % (ename, ever))
        except Exception as e:  # InvalidWheelFilename, InvalidVersion
            ok, pname, pver = False, repr(e), None
        if not ok:
            failures.append((desc, "(%s, %s)" % (canonicalize_name(name), Version(v)),
                             "%r -> %r %r" % (dirname, pname, pver)))
        made_dirs.append(dirname)
    passed += len(checks)

    # importlib.metadata's own lookup decides which entries a name finds.
    questions, expected = importlib_matches(g, args.driver, made_dirs[:100], stats)
    answers = ask(args.driver, questions)
    for (exp, desc), got in zip(expected, answers):
        if got != exp:
            failures.append((desc, exp, got))
    passed += len(questions)

    # The machine's installed distributions: the entry's name must parse, match the
    # metadata Name and (when it has one) stand for the metadata Version.
    real = real_directories(stats)
    questions = []
    for entry, name, version, _ in real:
        questions += ["D\t" + hx(entry), "DM\t%s\t%s" % (hx(entry), hx(name))]
    answers = ask(args.driver, questions)
    exact_escape = 0
    dv_questions, dv_cases = [], []
    for i, (entry, name, version, site) in enumerate(real):
        parsed, match = answers[2 * i], answers[2 * i + 1]
        desc = "%s/%s (Name %r, Version %r)" % (site, entry, name, version)
        if not parsed.startswith("OK") or match != "1":
            failures.append((desc, "OK ... / 1", "%s / %s" % (parsed, match)))
            continue
        fields = parsed.split("\t")
        dname, dver = unhx(fields[1]), unhx(fields[2])
        exact_escape += dname == ref_name_escape(name)
        if dver is not None:
            dv_questions.append("DV\t%s\t%s" % (hx(dver), hx(version)))
            dv_cases.append(desc)
        else:
            stats["real_without_version_part"] = stats.get("real_without_version_part", 0) + 1
    for desc, got in zip(dv_cases, ask(args.driver, dv_questions) if dv_questions else []):
        if got != "1":
            failures.append((desc + " version", "1", got))
    passed += len(real)

    print("generated: %d escape/parse/version cases (%d valid versions), %d wheel round trips"
          % (len(cases), stats["valid_versions"], len(checks)))
    print("egg/dist-info parts agreeing with pkg_resources' EGG_NAME: %d"
          % stats["agree_pkg_resources"])
    print("importlib.metadata lookups: %d (entry, name) pairs, %d found"
          % (stats["importlib_pairs"], stats["importlib_hits"]))
    print("real installed entries: %d in %d site dirs (%d named exactly as escaping gives, "
          "%d without a version part, %d without Name/Version skipped)"
          % (len(real), len({r[3] for r in real}), exact_escape,
             stats.get("real_without_version_part", 0), stats["real_without_name_or_version"]))
    if len([r for r in real if r[3] == SITE_DIRS[0]]) < 10:
        failures.append(("real entries", ">= 10 in " + SITE_DIRS[0], "fewer"))
    for desc, exp, got in failures[:20]:
        print("DISAGREE %s\n  reference: %s\n  da_pep:    %s" % (desc, exp, got))
    print("%d passed, %d failed" % (passed - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
