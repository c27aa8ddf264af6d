#!/usr/bin/python3
r"""Differential test of da_pep against the reference implementation, packaging 23.0.

Generates (with a fixed seed) random and edge-case names, versions, specifier sets,
markers and requirements; asks packaging for the answers; asks the C driver
(pep_oracle_driver) the same questions; fails on any disagreement, printing the first
few. One documented difference is applied to packaging's answers before comparing, as
da_pep deliberately does better there (parse results and evaluation stay identical):
marker printing keeps the parentheses of a doubly-parenthesised group inside a larger
expression (packaging drops them, changing the meaning), and quotes a value that holds a
double quote, a backslash or a line break so that it reads back the same. A requirement's
`extras` field is compared normalised, sorted and de-duplicated, as da_pep stores it for
PEP 685 comparisons (the printed form keeps them as written, as packaging does). Values
with a \N{name} escape are skipped and counted: da_pep carries no Unicode name table.
Where packaging raises while *evaluating* (a specifier set whose "===" text is not a
version, with default pre-release rules), the case is skipped and counted.
Run: oracle_pep.py --driver build/tests/oracle/pep/pep_oracle_driver [--seed N]
"""
import argparse
import os
import random
import re
import subprocess
import sys

from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from packaging._parser import Value, Variable, Op
from packaging._tokenizer import ParserSyntaxError

NAME_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE | re.ASCII)  # the spec: ASCII


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


# ---- generators ------------------------------------------------------------------------

UNI_WS = ["\u00a0", "\u2003", "\u3000", "\x0b", "\x1c", "\u2028"]
ODD_LETTERS = ["\u017f", "\u212a", "\u0130", "\u0131"]  # match s, k, i, i under IGNORECASE


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def num(self):
        r = self.r.random()
        if r < 0.6:
            return str(self.r.randint(0, 12))
        if r < 0.75:
            return "0" * self.r.randint(1, 3) + str(self.r.randint(0, 99))
        if r < 0.9:
            return str(self.r.randint(0, 10**6))
        return str(self.r.randint(10**18, 10**30))

    def sep(self, p=0.3):
        return self.r.choice("-_.") if self.r.random() < p else ""

    def case(self, w):
        c = self.r.random()
        if c < 0.7:
            return w
        if c < 0.85:
            return w.upper()
        return "".join(ch.upper() if self.r.random() < 0.5 else ch for ch in w)

    def version(self, local=True, ws=True):
        r = self.r
        s = ""
        if ws and r.random() < 0.05:
            s += r.choice([" ", "\t", "  ", r.choice(UNI_WS)])
        if r.random() < 0.05:
            s += r.choice("vV")
        if r.random() < 0.1:
            s += self.num() + "!"
        s += ".".join(self.num() for _ in range(r.choice([1, 1, 2, 2, 2, 3, 3, 4, 6])))
        if r.random() < 0.3:
            s += self.sep() + self.case(r.choice(["a", "b", "c", "rc", "alpha", "beta", "pre",
                                                  "preview"]))
            if r.random() < 0.85:
                s += self.sep(0.2) + self.num()
        if r.random() < 0.2:
            if r.random() < 0.25:
                s += "-" + self.num()
            else:
                s += self.sep() + self.case(r.choice(["post", "rev", "r"]))
                if r.random() < 0.8:
                    s += self.sep(0.2) + self.num()
        if r.random() < 0.2:
            s += self.sep() + self.case("dev")
            if r.random() < 0.8:
                s += self.sep(0.2) + self.num()
        if local and r.random() < 0.15:
            parts = []
            for _ in range(r.randint(1, 4)):
                if r.random() < 0.4:
                    parts.append(self.num())
                else:
                    parts.append("".join(r.choice("abcxyzUBUNTU0123") for _ in range(r.randint(1, 6))))
            s += "+" + parts[0] + "".join(r.choice("-_.") + p for p in parts[1:])
        if ws and r.random() < 0.05:
            s += r.choice([" ", "\n", "\t ", r.choice(UNI_WS)])
        return s

    def mutate(self, s):
        r = self.r
        alphabet = "0123456789.-_+!*vVabcdeprstolx ,;()@[]'\"=<>~\\é" + "".join(ODD_LETTERS)
        for _ in range(r.randint(1, 3)):
            op = r.random()
            i = r.randint(0, len(s))
            if op < 0.4:
                s = s[:i] + r.choice(alphabet) + s[i:]
            elif op < 0.7 and s:
                s = s[:i] + s[i + 1:]
            elif s:
                s = s[:i] + r.choice(alphabet) + s[i + 1:]
        return s

    NOISE = ("0123456789.-_+!*vVabcdeprstolxnim ,;()@[]'\"=<>~\\\t\n#/:%"
             + "\u00e9\u00a0\u2003\u017f\u212a\u0130\u0131\u00ab\u20ac\u4e2d")

    def noise(self, seed_text=""):
        """Text from a wide alphabet (odd letters, Unicode spaces, punctuation)."""
        r = self.r
        s = seed_text
        for _ in range(r.randint(1, 12)):
            i = r.randint(0, len(s))
            s = s[:i] + "".join(r.choice(self.NOISE) for _ in range(r.randint(1, 3))) + s[i:]
        return s

    def odd_version(self):
        """Spellings that only IGNORECASE or Unicode white space make valid."""
        r = self.r
        base = "%s.%s" % (self.num(), self.num())
        return r.choice([
            base + "po\u017ft" + self.num(),
            base + "+\u212a" + r.choice(["", ".1", "x"]),
            base + "+a\u0130b",
            base + "+\u0131.2",
            base + "prev\u0131ew" + self.num(),
            base + "PREV\u0130EW",
            r.choice(UNI_WS) + base + r.choice(UNI_WS),
        ])

    def name(self):
        r = self.r
        alpha = "abcXYZ019-_."
        if r.random() < 0.1:
            alpha += "é \u212a!"
        return "".join(r.choice(alpha) for _ in range(r.randint(0, 10)))

    def specifier(self):
        r = self.r
        op = r.choice(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "==", ">=", "<"])
        sp = " " if r.random() < 0.15 else ""
        if op in ("==", "!=") and r.random() < 0.25:
            v = self.version(local=False, ws=False)
            v = re.split(r"[a-zA-Z+_-]", v)[0].rstrip(".") or "1"
            v = v + ".*"
        elif op == "===":
            v = r.choice([self.version(ws=False), "foo", "1.0", "1.0.0", "Foobar-1", "1.0+LOCAL"])
        else:
            v = self.version(local=(op in ("==", "!=") and r.random() < 0.5), ws=False)
        s = op + sp + v.strip()
        if r.random() < 0.05:
            s = self.mutate(s)
        return s

    def spec_set(self):
        r = self.r
        parts = [self.specifier() for _ in range(r.choice([0, 1, 1, 2, 2, 3]))]
        joiner = r.choice([",", ", ", " ,", ","])
        s = joiner.join(parts)
        if r.random() < 0.03:
            s += ","
        return s

    def related_versions(self, spec_text, count):
        """Candidate versions near the ones a specifier names."""
        r = self.r
        out = []
        nums = re.findall(r"\d+", spec_text) or ["1"]
        for _ in range(count):
            c = r.random()
            if c < 0.5:
                base = [int(x) for x in r.sample(nums, min(len(nums), r.randint(1, 3)))]
                if r.random() < 0.5:
                    i = r.randrange(len(base))
                    base[i] = max(0, base[i] + r.choice([-1, 1]))
                v = ".".join(str(x) for x in base)
                if r.random() < 0.3:
                    v += ".0"
                v += r.choice(["", "", "a1", "b2", "rc1", ".post1", ".dev0", "+local.1", ".post1.dev1",
                               "a1.dev1", "+1"])
                if r.random() < 0.1:
                    v = "1!" + v
                out.append(v)
            else:
                out.append(self.version(ws=False))
        return out

    # markers
    VARS = ["python_version", "python_full_version", "os_name", "os.name", "sys_platform",
            "sys.platform", "platform_release", "platform_system", "platform_version",
            "platform.version", "platform_machine", "platform.machine",
            "platform_python_implementation", "platform.python_implementation",
            "python_implementation", "implementation_name", "implementation_version", "extra"]
    OPS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"]

    def value_for(self, var):
        r = self.r
        var = var.replace(".", "_")
        if var in ("python_version", "python_full_version", "implementation_version",
                   "platform_release"):
            c = r.random()
            if c < 0.6:
                return r.choice(["2.7", "3", "3.6", "3.8", "3.10", "3.11", "3.11.4", "3.12",
                                 "3.11.0", "3.13.0rc1", "3.11.*", "3.1", "4"])
            if c < 0.8:
                return self.version(ws=False)
            return r.choice(["", "3.11 ", " 3.11", "abc", "3.11,3.12", "=3.10", "~3"])
        if var == "extra":
            return r.choice(["test", "Test_Extra", "doc.s", "", "1.0", "a--b", "TEST"])
        return r.choice(["posix", "nt", "linux", "win32", "darwin", "Linux", "Windows",
                         "x86_64", "aarch64", "AMD64", "CPython", "PyPy", "cpython", "pypy",
                         "", "lin", "x86", "#1 SMP", "py", "3.11"])

    def quote(self, v):
        r = self.r
        if "'" in v and '"' in v:
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if r.random() < 0.05:
            # escapes that literal_eval interprets
            v2 = r.choice(["\\x41", "\\u00e9", "\\t", "\\\\", "\\d", "\\101", "\\U0001F600",
                           "\\'", "\\n", "\\x4", "\\N{BULLET}"])
            q = r.choice(["'", '"'])
            return q + v + v2 + q
        if '"' in v:
            return "'" + v + "'"
        if "'" in v:
            return '"' + v + '"'
        q = r.choice(["'", '"', '"'])
        return q + v + q

    def ws(self):
        r = self.r.random()
        return "" if r < 0.5 else (" " if r < 0.9 else self.r.choice(["  ", "\t", " \t"]))

    def marker_item(self):
        r = self.r
        var = r.choice(self.VARS)
        op = r.choice(self.OPS) if r.random() < 0.5 else r.choice(["==", ">=", "<", "!="])
        val = self.quote(self.value_for(var))
        c = r.random()
        if c < 0.8:
            lhs, rhs = var, val
        elif c < 0.9:
            lhs, rhs = val, var
        elif c < 0.95:
            lhs, rhs = var, r.choice(self.VARS)
        else:
            lhs, rhs = val, self.quote(r.choice(["posix", "extra", "python_version", "x"]))
        w1 = self.ws() if op.isalpha() or " " in op else self.ws()
        if op in ("in", "not in"):
            w1 = w1 or " "
            return lhs + w1 + op + (self.ws() or " ") + rhs
        return lhs + w1 + op + self.ws() + rhs

    def marker(self, depth=0):
        r = self.r
        n = r.choice([1, 1, 2, 2, 3])
        parts = []
        for i in range(n):
            if depth < 2 and r.random() < 0.2:
                atom = "(" + self.ws() + self.marker(depth + 1) + self.ws() + ")"
                if r.random() < 0.1:
                    atom = "(" + atom + ")"
            else:
                atom = self.marker_item()
            parts.append(atom)
        s = parts[0]
        for p in parts[1:]:
            s += (self.ws() or " ") + r.choice(["and", "or"]) + (self.ws() or " ") + p
        return s

    def any_marker(self):
        s = self.marker()
        if self.r.random() < 0.08:
            s = self.mutate(s)
        return s

    def env(self):
        r = self.r
        if r.random() < 0.5:
            pv = r.choice(["3.8", "3.9", "3.10", "3.11", "3.12", "2.7", "3.13"])
            micro = r.choice(["0", "4", "11", "0rc1"])
            return {
                "python_version": pv,
                "python_full_version": pv + "." + micro,
                "os_name": r.choice(["posix", "nt"]),
                "sys_platform": r.choice(["linux", "win32", "darwin"]),
                "platform_system": r.choice(["Linux", "Windows", "Darwin"]),
                "platform_machine": r.choice(["x86_64", "aarch64", "AMD64", "arm64"]),
                "platform_release": r.choice(["", "6.1.0-13-amd64", "5.15"]),
                "platform_version": r.choice(["", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1"]),
                "platform_python_implementation": r.choice(["CPython", "PyPy"]),
                "implementation_name": r.choice(["cpython", "pypy"]),
                "implementation_version": pv + "." + micro,
            }
        short = lambda: r.choice(["", "3.11", "posix", "x", "1.0", "abc", "3.11.4", "linux"])
        return {k: short() for k in ["python_version", "python_full_version", "os_name",
                                     "sys_platform", "platform_system", "platform_machine",
                                     "platform_release", "platform_version",
                                     "platform_python_implementation", "implementation_name",
                                     "implementation_version"]}

    def url(self):
        r = self.r
        return r.choice([
            "https://example.invalid/pkg-1.0.tar.gz", "http://127.0.0.1:8080/x.whl",
            "file:///tmp/pkg", "file://localhost/tmp/pkg", "file:/tmp/pkg", "file:tmp",
            "FILE:///tmp/x", "git+https://h.invalid/r.git@v1#egg=x", "https:foo", "/local/path",
            "http://[::1]/x", "http://[::1/x", "http://[v1.x]/y", "http://[1.2.3.4]/z",
            "file:///a?", "file:///a#", "file:///a?q#f", "file:////x", "ftp://h/f;type=a",
            "https://user@[fe80::1%25eth0]:8080/p", "https://h/x;y", "svn+ssh://h/x",
        ])

    def requirement(self):
        r = self.r
        name = r.choice(["requests", "Django", "zope.interface", "typing_extensions", "a",
                         "A-B_c.d", "x1", "foo-", "_bad", "9lives", "pkg"])
        s = self.ws() if r.random() < 0.2 else ""
        s += name + self.ws()
        if r.random() < 0.3:
            ex = [r.choice(["security", "Socks", "dev_tools", "a.b", "test", "TEST"])
                  for _ in range(r.randint(0, 3))]
            s += "[" + self.ws() + ("," + self.ws()).join(ex) + self.ws() + "]" + self.ws()
        c = r.random()
        if c < 0.15:
            s += "@" + self.ws() + self.url()
            if r.random() < 0.4:
                s += " ;" + self.ws() + self.marker()
            elif r.random() < 0.1:
                s += r.choice([" ", ";x", " \n"])
        else:
            spec = ",".join(self.specifier() for _ in range(r.choice([0, 1, 1, 2])))
            if spec and r.random() < 0.3:
                spec = "(" + self.ws() + spec + self.ws() + ")"
            s += spec
            if r.random() < 0.3:
                s += self.ws() + ";" + self.ws() + self.marker()
        if r.random() < 0.1:
            s = self.mutate(s)
        return s


# ---- reference answers -----------------------------------------------------------------

def fmt_value(v):
    if not any(c in v for c in '"\\\n\r'):
        return '"' + v + '"'
    if not any(c in v for c in "'\\\n\r"):
        return "'" + v + "'"
    out = v.replace("\\", "\\\\").replace('"', "\\x22").replace("\n", "\\n").replace("\r", "\\r")
    return '"' + out + '"'


def fmt_marker(m, first=True):
    """packaging's _format_marker with the two corrections described at the top."""
    if isinstance(m, list) and len(m) == 1 and isinstance(m[0], (list, tuple)):
        return fmt_marker(m[0], first)
    if isinstance(m, list):
        inner = " ".join(fmt_marker(x, False) for x in m)
        return inner if first else "(" + inner + ")"
    if isinstance(m, tuple):
        return " ".join(fmt_value(x.value) if isinstance(x, Value) else x.value for x in m)
    return m


def has_nul(m):
    if isinstance(m, list):
        return any(has_nul(x) for x in m)
    if isinstance(m, tuple):
        return any("\x00" in x.value for x in m)
    return False


def ref_version(s):
    try:
        v = Version(s)
    except InvalidVersion:
        return "E"
    return "OK\t%s\t%d" % (hx(str(v)), int(v.is_prerelease))


def ref_marker(s):
    try:
        m = Marker(s)
    except Exception:
        return "E", None
    if has_nul(m._markers):
        return "E", None  # da_pep rejects NUL in marker strings (documented)
    return "OK\t" + hx(fmt_marker(m._markers)), m


def ref_requirement(s):
    try:
        r = Requirement(s)
    except Exception as e:  # InvalidRequirement, InvalidSpecifier, ValueError ...
        cause = e.__cause__
        col = cause.span[0] + 1 if isinstance(cause, ParserSyntaxError) else None
        return "E", col
    if r.marker is not None and has_nul(r.marker._markers):
        return "E", None
    extras = sorted(set(canonicalize_name(e) for e in r.extras))
    mk = fmt_marker(r.marker._markers) if r.marker is not None else None
    parts = [r.name]
    if r.extras:
        parts.append("[" + ",".join(sorted(r.extras)) + "]")
    if r.specifier:
        parts.append(str(r.specifier))
    if r.url:
        parts.append("@ " + r.url)
        if r.marker:
            parts.append(" ")
    if r.marker:
        parts.append("; " + mk)
    return "\t".join(["OK", hx(r.name), hx(",".join(extras)), hx(str(r.specifier)), hx(r.url),
                      hx(mk), hx("".join(parts))]), None


ENV_KEYS = ["python_version", "python_full_version", "os_name", "sys_platform",
            "platform_system", "platform_machine", "platform_release", "platform_version",
            "platform_python_implementation", "implementation_name", "implementation_version"]


def corpus_strings():
    """Every version, requirement and Requires-Python string of the embedded metadata
    sources (corpus/index/sources/*.tsv: dist, version, field, value, provenance)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "corpus",
                        "index", "sources")
    versions, reqs, specs = set(), set(), set()
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 4:
                    continue
                versions.add(cols[1])
                if cols[2] in ("requires", "requires-incomplete"):
                    reqs.add(cols[3])
                elif cols[2] == "requires-python":
                    specs.add(cols[3])
    return sorted(versions), sorted(reqs), sorted(specs)


def build_cases(seed, scale):
    g = Gen(seed)
    corpus_versions, corpus_reqs, corpus_specs = corpus_strings()
    cases = []  # (question line, expected answer, description, compare_col)
    stats = {"skipped_raise": 0, "packaging_str_differs": 0, "skipped_named_escape": 0}

    edge_versions = [
        "1.0", "1.0.0", "1", "v1.0", "V1.0", " 1.0 ", "1!1.0", "01.02.03", "1.0a", "1.0a1",
        "1.0alpha1", "1.0.a.1", "1.0-a-1", "1.0_a_1", "1.0b", "1.0beta2", "1.0c1", "1.0rc1",
        "1.0pre1", "1.0preview1", "1.0RC1", "1.0-1", "1.0-r1", "1.0rev1", "1.0.post", "1.0post1",
        "1.0.post1.dev1", "1.0.dev", "1.0dev1", "1.0-dev1", "1.0a1.dev1", "1.0+local",
        "1.0+LOCAL.1", "1.0+abc-def_1.02", "1.0+", "1.0+.a", "1.0.", ".1.0", "1..0", "", " ",
        "a", "1.0a1a2", "1.0.post1.post2", "1.0-", "1.0--1", "1.0a-1", "1.0a-", "1.0a.post1",
        "1.0.*", "1.0 a1", "1.0\n", "1.0\n\n", "\t1.0\t", "1.0.0.0.0.0.0", "0", "0.0",
        "1!", "!1.0", "1.0!", "1.0+a..b", "1.0+a-", "99999999999999999999999999.1",
        "1.0.post-1", "1.0-post1", "1.0_post_1", "1.0a0", "1.0.rc.1", "1.0rc.", "1.0rc-",
        "1.0poſt1", "1.0+\u212a", "1.0+\u0130", "1.0+\u0131", "1.0prev\u0131ew1", "\u00a01.0\u3000",
        "1.0\x1c", "1.0\x85", "1.0\u200b", "1.0c", "1.0C", "1.0DEV", "1.0Post", "1.0-dev",
        "1.0.devA", "1.0_1", "1.0.1a", "1.0+1", "1.0+0001", "1.0+abc.0", "1!2!3",
    ]
    versions = list(edge_versions) + corpus_versions
    n_versions = 12000 * scale
    for _ in range(n_versions):
        c = g.r.random()
        if c < 0.75:
            versions.append(g.version())
        elif c < 0.95:
            versions.append(g.mutate(g.version()))
        else:
            versions.append(g.odd_version())
    versions += [g.noise(g.r.choice(["", "1.0", "v1!2.0rc1.post2.dev3+a.b"]))
                 for _ in range(1500 * scale)]
    valid = []
    for s in versions:
        cases.append(("V\t" + hx(s), ref_version(s), "Version(%r)" % s))
        try:
            valid.append((s, Version(s)))
        except InvalidVersion:
            pass
    for _ in range(10000 * scale):
        (a, va), (b, vb) = g.r.choice(valid), g.r.choice(valid)
        if g.r.random() < 0.3:  # near neighbours, where ordering rules matter
            b = g.r.choice([a + "a1", a + ".post1", a + ".dev1", a + "+1", a.strip() + ".0"])
            try:
                vb = Version(b)
            except InvalidVersion:
                continue
        exp = str((va > vb) - (va < vb))
        cases.append(("C\t%s\t%s" % (hx(a), hx(b)), exp, "cmp(%r, %r)" % (a, b)))

    edge_specs = ["", ",", ">=1.0", ">= 1.0", ">=1.0,<2", "==1.0.*", "==1.*", "!=1.0.*",
                  "==1.0.*.1", "<1.0.*", "~=1", "~=1.0", "~=1.4.5", "~=1.4.5a1", "~=1.4.5.pre1",
                  "~=1.0.dev1", "~=1!1.0", "~=V1.0", "~=1.4.5c1", "~=1.4.5.RC1", "===foo",
                  "=== 1.0", "===1.0", "==1.0+local", ">=1.0+local", "<1.0+l", "==v1.0",
                  "===a b", "== 1.0", ">=1.0,>=1.0.0", ">=1.0 , <2.0, !=1.5", ">1.0.post1",
                  "<1.0a1", "<=1.0rc", "~=1.0rc.1", "==1.0rc.*", ">=1.0;", "=1.0", "1.0",
                  "<>1.0", ">=1.0 x", "~=1.0.*", "==1.0.0.*", "!=1!1.*", "===1.0,===1.0.0",
                  ">=1.0.0,>=1", "~=1.0,~=1.0.0", ">=1.0\n", "\u00a0>=1.0",
                  "==1.0a1.*", "==1.0.post1.*"]
    specs = list(edge_specs) + corpus_specs + [g.spec_set() for _ in range(3500 * scale)]
    specs += [g.noise(g.r.choice(["", ">=1.0", "==1.*", "~=1.0,!=1.1", "===x"]))
              for _ in range(800 * scale)]
    for s in specs:
        try:
            ss = SpecifierSet(s)
        except Exception:
            cases.append(("S\t" + hx(s), "E", "SpecifierSet(%r)" % s))
            continue
        cases.append(("S\t" + hx(s), "OK\t" + hx(str(ss)), "str(SpecifierSet(%r))" % s))
        for v in g.related_versions(s, 6):
            try:
                vv = Version(v)
            except InvalidVersion:
                continue
            pre = g.r.choice([-1, -1, 0, 1])
            try:
                exp = int(ss.contains(vv, prereleases=None if pre < 0 else bool(pre)))
            except Exception:
                stats["skipped_raise"] += 1
                continue
            cases.append(("SC\t%s\t%s\t%s" % (hx(s), hx(v), hx(str(pre))), str(exp),
                          "SpecifierSet(%r).contains(%r, prereleases=%s)" % (s, v, pre)))

    edge_markers = [
        'python_version >= "3.8"', "python_version>='3.8'", 'os_name == "posix"',
        'os.name == "posix"', 'python_implementation == "CPython"', 'extra == "Test_Extra"',
        '"test" == extra', 'extra == python_version', 'python_version == extra',
        '"a" == "b"', '"3.11" == "python_version"', 'python_version == python_version',
        'python_version in "3.10 3.11"', 'python_version not in "3.10"', 'os_name ~= "posix"',
        'os_name === "posix"', 'python_full_version === "3.11.4"', 'python_version ~= "3.1"',
        'python_version < "=3.12"', '(os_name == "a" or os_name == "posix") and '
        'python_version > "3"', '((os_name == "a" or os_name == "posix")) and python_version > "3"',
        '((os_name == "posix"))', 'os_name == "a" foo', 'os_name == "a")', "os_name == 'a\"b'",
        'os_name == "a\\x41"', 'os_name == "\\N{BULLET}"', 'os_name == "a\\\nb"',
        'os_name == "a\\x4"', 'os_name notin "x"', 'os_name not  in "x"', 'os_name not\tin "x"',
        'os_name == "x" and', '(os_name == "x"', 'os_name', '', 'extra == "1.0"',
        'python_version == "3.11.*"', 'python_full_version != "3.11.*"', "os_name=='posix'or"
        "os_name=='nt'", 'os_nameX == "a"', 'platform_python_implementation == "CPython"',
        'implementation_version >= "3.11.0rc1"', 'python_version > "3.11" or extra == "x"',
        'os_name == "\\x00"', 'os_name == "\\u00e9"',
        'os_name=="a"or os_name=="b"', 'os_name=="a" oros_name=="b"', 'os_name\u00e9 == "a"',
        'python_version<"3"and python_version>"2"', "platform.python_implementation=='x'",
        "os_name ==\u00a0'a'", "os_name == 'a'\u00a0and os_name == 'b'", "extra == 'a_b'",
        "'a_B' == extra", "extra in 'test,doc'", "extra == '1.0'", "extra == ''",
        "python_version == '3.11' and (extra == 'X')", "((extra == 'X'))",
        "python_full_version >= '3.11.0a1'", "python_version >= ' 3.8 '", "python_version === '3.11'",
        "implementation_version == '3.11.*'", "python_version != '3.*'", "'3.11' in python_version",
        "os_name < 'q'", "os_name <= 'posix'", "os_name > ''", "python_version ~= '3'",
        "python_version < '3.11.0.0.1'", "python_version > '3.11.post1'",
    ]
    markers = list(edge_markers) + [g.any_marker() for _ in range(5000 * scale)]
    markers += [g.noise(g.marker()) for _ in range(1000 * scale)]
    for s in markers:
        exp, m = ref_marker(s)
        cases.append(("M\t" + hx(s), exp, "Marker(%r)" % s))
        if m is None:
            continue
        if fmt_marker(m._markers) != str(m):
            stats["packaging_str_differs"] += 1
        for _ in range(2):
            env = g.env()
            extra = g.r.choice([None, None, "test", "Test_Extra", "1.0", "doc-s", ""])
            e2 = dict(env)
            e2["extra"] = extra
            try:
                res = int(m.evaluate(e2))
            except Exception:
                res = -1
            q = "ME\t%s\t%s\t%s" % (hx(s), "-" if extra is None else hx(extra),
                                     "\t".join(hx(env[k]) for k in ENV_KEYS))
            cases.append((q, str(res), "Marker(%r).evaluate(%r)" % (s, e2)))

    edge_reqs = [
        "requests", "requests>=2.0", "requests (>=2.0)", "requests[security]>=2.0",
        "requests [ security , socks ] >= 2.0 ; python_version < '3.8'", "name@http://x.invalid/y",
        "name @ http://x.invalid/y", "name @ http://x.invalid/y ; os_name == 'a'",
        "name @ http://x.invalid/y; os_name == 'a'", "name @ file:///tmp/x", "name @ file:/tmp/x",
        "name @ https:foo", "name[a b]", "name[a,]", "name[", "name[]", "name>=1.0,", "name>=1.0,,",
        "name===1,0", "name (>=1.0", "name >=1.0 ;", "name ; ", "name\n", "name\n\n", " name",
        "name;os_name=='a'", "name>=1.0;os_name=='a' garbage", "-name", "name-", "name.",
        "na_me", "1name", "name==1.0.*", "name<1.0.*", "name~=1.0", "name>=1.0 <2",
        "name (>=1.0) @ http://x", "name@ http://x ;", "name[é]", "namé", "name[x]@ http://h/p",
        "name @ http://[::1]:80/x", "name @ http://[::1/x", "Name.With-Odd_Chars[Ex_1]",
        "name>=\u00a01.0", "name>=1.0\u00a0", "name >=1.0\t;\tos_name=='a'", "name[\tx\t]",
        "name;os_name=='a'\n", "name;os_name=='a'\n\n", "name @ http://h/x\n",
        "name @ http://h/x \n", "name;os_name in'posix'", "name;(os_name=='a')and(os_name=='b')",
        "name;os_name=='a'and", "nam\u00e9>=1", "name==1.0+\u00e9", "name===1.0+\u00e9",
        "name===\u00e9", "name;os_name=='\u00e9'", "name~=1.0.*", "name<=1.0+l", "name>1.0.*",
        "name (===x)", "name (===x )", "name(===x)", "name==1.0 ,!=1.1", "name== 1.0,", "name,",
        "name>=1.0,>=1.0", "name>=1,<=1.0.0.0", "a.b-c_d[E.f-G_h]", "name[a,b,a]",
        "name @ https://h.invalid/p#egg=x&subdirectory=y", "name @ git+ssh://git@h.invalid/r",
        "name @ FILE:///x", "name @ file://", "name @ file:///", "name @ file:///a?b",
        "name @ http://user:pw@[2001:db8::1]:8080/x", "name @ http://[fe80::1%eth0]/x",
        "name @ http://[::ffff:1.2.3.4]/", "name @ http://[v1.abc]/", "name @ http://[V1.abc]/",
        "name @ http://[1:2:3:4:5:6:7:8:9]/", "name @ http://[::1]x/",
    ]
    reqs = list(edge_reqs) + corpus_reqs + [g.requirement() for _ in range(6000 * scale)]
    reqs += [g.noise(g.requirement()) for _ in range(1500 * scale)]
    for s in reqs:
        exp, col = ref_requirement(s)
        cases.append(("R\t" + hx(s), exp, "Requirement(%r)" % s, col))

    for _ in range(2000 * scale):
        s = g.name()
        exp = "%s\t%d" % (hx(canonicalize_name(s)), 1 if NAME_RE.match(s) else 0)
        cases.append(("N\t" + hx(s), exp, "name %r" % s))
    return cases, stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()

    cases, stats = build_cases(args.seed, args.scale)
    questions = "".join(c[0] + "\n" for c in cases)
    out = subprocess.run([args.driver], input=questions.encode(), stdout=subprocess.PIPE,
                         check=True).stdout.decode().split("\n")
    failures = []
    for i, case in enumerate(cases):
        got = out[i] if i < len(out) else "<no answer>"
        if "\\N{" in unhx_question(case[0]):
            stats["skipped_named_escape"] += 1  # da_pep rejects \N{name} (documented)
            continue
        exp = case[1]
        if case[0].startswith("R\t") and exp == "E":
            col = case[3] if len(case) > 3 else None
            ok = got.startswith("E")
            if ok and col is not None:
                ok = got == "E\t%d" % col
                exp = "E\t%d" % col
        else:
            ok = got == exp
        if not ok:
            failures.append((case[2], exp, got))
    kinds = {}
    for c in cases:
        k = c[0].split("\t", 1)[0]
        kinds[k] = kinds.get(k, 0) + 1
    print("cases: %d (%s)" % (len(cases), ", ".join("%s=%d" % kv for kv in sorted(kinds.items()))))
    print("from the embedded metadata sources: %d versions, %d requirements, %d specifiers"
          % tuple(len(x) for x in corpus_strings()))
    print("skipped (packaging raises while evaluating): %d" % stats["skipped_raise"])
    print("skipped (\\N{name} escape, rejected by da_pep): %d" % stats["skipped_named_escape"])
    print("markers whose packaging str() is corrected: %d" % stats["packaging_str_differs"])
    for desc, exp, got in failures[:15]:
        print("DISAGREE %s\n  packaging: %s\n  da_pep:    %s" % (desc, dec(exp), dec(got)))
    checked = len(cases) - stats["skipped_named_escape"]
    print("%d passed, %d failed" % (checked - len(failures), len(failures)))
    return 1 if failures else 0


def unhx_question(q):
    return unhx(q.split("\t")[1])


def dec(answer):
    """Readable form of an answer line (hex fields decoded)."""
    parts = answer.split("\t")
    shown = []
    for p in parts:
        if p and all(ch in "0123456789abcdef" for ch in p) and len(p) % 2 == 0 and len(p) > 2:
            try:
                shown.append(repr(unhx(p)))
                continue
            except Exception:
                pass
        shown.append(p)
    return " ".join(shown)


if __name__ == "__main__":
    sys.exit(main())
