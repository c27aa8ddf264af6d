"""Reading a distribution's public source repository at a release tag (a git directory,
never a work tree, never executed): which modules its wheel ships, its requirements and
its version, from the build configuration (pyproject.toml, setup.cfg, setup.py read as
text and as an AST, never run) and the tree at that tag.

Used by `corpus/index/curate-upstream` to draft and to re-check the rows of
sources/upstream.jsonl; the generator itself only reads that file (snapgen/upstream.py).
Whatever the build configuration leaves open (a computed package list, requirements a
setup.py builds at run time, top-level extension modules) is reported as a doubt, and
the row is not written until a person settles it."""

import ast
import configparser
import fnmatch
import re
import subprocess
import tomllib

from .common import norm, version_key
from .modules import modules_from_paths, name_namespaces

RESERVED_FLAT = {"test", "tests", "testing", "doc", "docs", "example", "examples", "bench",
                 "benchmark", "benchmarks", "script", "scripts", "tools", "tool", "tasks",
                 "build", "dist", "site", "ci", "conftest", "noxfile", "setup", "manage",
                 "debian", "contrib", "news", "changelog", "venv", "env", "data", "util",
                 "utils", "python", "static", "templates", "samples", "sample"}


class Repo:
    def __init__(self, gitdir):
        self.gitdir = gitdir

    def git(self, *args):
        return subprocess.run(["git", "--git-dir", self.gitdir] + list(args), check=True,
                              capture_output=True).stdout

    def tags(self):
        return self.git("tag").decode().split()

    def commit_of(self, ref):
        return self.git("rev-parse", ref + "^{commit}").decode().strip()

    def files(self, ref):
        out = self.git("ls-tree", "-r", "--name-only", "-z", ref).decode("utf-8", "replace")
        return [p for p in out.split("\0") if p]

    def text(self, ref, path):
        try:
            return self.git("show", "%s:%s" % (ref, path)).decode("utf-8", "replace")
        except subprocess.CalledProcessError:
            return None


TAG_RE = re.compile(r"^(?:(?P<prefix>.*?)[-_/@=]+)?v?(?P<ver>\d+(?:\.\d+)*"
                    r"(?:[.-]?(?:post)\d+|(?:a|b|rc)\d+)?)$")


def release_tags(repo, dist, prefixes):
    """Tags of final releases of `dist`: a bare version ("v1.2.3", "1.2.3") when prefixes is
    empty, else "<prefix>-v1.2.3", "<prefix>==1.2.3", "<prefix>/v1.2.3", "<prefix>@1.2.3"
    for one of the prefixes. Newest first."""
    out = []
    for t in repo.tags():
        m = TAG_RE.match(t)
        if not m:
            continue
        pre = m.group("prefix")
        if prefixes:
            if pre is None or norm(pre) not in {norm(p) for p in prefixes}:
                continue
        elif pre not in (None, "v", "release", "rel"):
            continue
        if "." not in m.group("ver"):
            continue  # "release-382": a build counter, not a version
        out.append((m.group("ver"), t))
    # Final releases first: a release candidate tag is a release only when no final
    # release is tagged at all (the OpenTelemetry contrib packages are all "b0").
    out.sort(key=lambda x: (not re.search(r"(a|b|rc)\d+$", x[0]), version_key(x[0])),
             reverse=True)
    return out


def load_toml(text, where, doubts):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        doubts.append("%s: invalid TOML (%s)" % (where, e))
        return {}


class Draft:
    """What one release's source says."""

    def __init__(self):
        self.name = ""
        self.version = ""
        self.modules, self.namespaces = [], []
        self.requires = []
        self.requires_known = False
        self.requires_python = ""
        self.extras = []
        self.paths_read = []
        self.doubts = []
        self.backend = ""
        self.stub_dirs = []


# ---------------------------------------------------------------- requirements

def extra_marker(req, extra):
    extra = norm(extra)
    if ";" in req:
        spec, marker = req.split(";", 1)
        return '%s; (%s) and extra == "%s"' % (spec.strip(), marker.strip(), extra)
    return '%s; extra == "%s"' % (req.strip(), extra)


def requirement_lines(text):
    """requirements.txt: one requirement a line, comments and blank lines skipped; any
    option line (-r, -c, -e, --hash) makes the list uncertain (returned as None)."""
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            return None
        out.append(line)
    return out


def poetry_constraint(c):
    """A Poetry version constraint into PEP 440 (caret, tilde, wildcard, comparisons)."""
    out = []
    for part in [p.strip() for p in re.split(r"\s*,\s*|\s+(?=[<>=!^~])", c.strip()) if p.strip()]:
        if part == "*":
            continue
        m = re.match(r"^\^(\d+(?:\.\d+)*)$", part)
        if m:
            nums = [int(x) for x in m.group(1).split(".")]
            i = next((k for k, v in enumerate(nums) if v != 0), len(nums) - 1)
            upper = nums[:i + 1]
            upper[-1] += 1
            out += [">=" + m.group(1), "<" + ".".join(map(str, upper))]
            continue
        m = re.match(r"^~(\d+(?:\.\d+)*)$", part)
        if m:
            nums = [int(x) for x in m.group(1).split(".")]
            upper = nums[:2] if len(nums) >= 2 else nums[:1]
            upper[-1] += 1
            out += [">=" + m.group(1), "<" + ".".join(map(str, upper))]
            continue
        m = re.match(r"^(\d+(?:\.\d+)*)\.\*$", part)
        if m:
            out.append("==" + part)
            continue
        if re.match(r"^\d", part):
            out.append("==" + part)
            continue
        if re.match(r"^(>=|<=|>|<|==|!=|~=)\s*\d", part):
            out.append(part.replace(" ", ""))
            continue
        return None
    return ",".join(out)


def poetry_requirements(poetry, d):
    deps = poetry.get("dependencies", {})
    extras = poetry.get("extras", {})
    in_extra = {}
    for ex, names in extras.items():
        for n in names:
            in_extra.setdefault(norm(n), []).append(ex)
    reqs = []
    for name, spec in deps.items():
        if name.lower() == "python":
            c = spec if isinstance(spec, str) else spec.get("version", "")
            d.requires_python = poetry_constraint(c) or ""
            continue
        specs = spec if isinstance(spec, list) else [spec]
        for s in specs:
            if isinstance(s, str):
                s = {"version": s}
            if "git" in s or "path" in s or "url" in s:
                d.doubts.append("poetry dependency %s from git/path/url" % name)
                return None
            ver = poetry_constraint(s.get("version", "*"))
            if ver is None:
                d.doubts.append("poetry constraint %r of %s" % (s.get("version"), name))
                return None
            req = name + ("[%s]" % ",".join(s["extras"]) if s.get("extras") else "") + ver
            markers = []
            if s.get("python"):
                py = poetry_constraint(s["python"])
                if py is None:
                    d.doubts.append("poetry python constraint %r" % s["python"])
                    return None
                markers += ['python_version %s "%s"' % re.match(r"(\D+)(.*)", x).groups()
                            for x in py.split(",") if x]
            if s.get("markers"):
                markers.append("(%s)" % s["markers"])
            if markers:
                req += "; " + " and ".join(markers)
            if s.get("optional"):
                for ex in in_extra.get(norm(name), []):
                    reqs.append(extra_marker(req, ex))
            else:
                reqs.append(req)
    d.extras = sorted(norm(e) for e in extras)
    return reqs


def hatch_hook_requirements(cfg):
    """Dependencies a hatch metadata hook declares statically
    ([tool.hatch.metadata.hooks.<hook>] dependencies / optional-dependencies; the
    uv-dynamic-versioning hook substitutes "{{ version }}", kept as "{version}" and filled
    in by the caller)."""
    hooks = cfg.get("tool", {}).get("hatch", {}).get("metadata", {}).get("hooks", {})
    dyn = set(cfg.get("project", {}).get("dynamic", []))
    for name, h in hooks.items():
        if "dependencies" in h or "optional-dependencies" in h:
            if "dependencies" in dyn and "dependencies" not in h:
                return None
            reqs = [r.replace("{{ version }}", "{version}") for r in h.get("dependencies", [])]
            if "dependencies" not in dyn:
                reqs = list(cfg["project"].get("dependencies", [])) + reqs
            opt = h.get("optional-dependencies", {})
            if "optional-dependencies" not in dyn:
                opt = cfg["project"].get("optional-dependencies", {})
            for ex, lst in sorted(opt.items()):
                reqs += [extra_marker(r.replace("{{ version }}", "{version}"), ex) for r in lst]
            return reqs, sorted(norm(e) for e in opt)
    return None


def literal(node, assigns):
    """The literal value of an AST node, following simple module-level names; None if
    the value is computed."""
    if isinstance(node, ast.Name) and node.id in assigns:
        return literal(assigns[node.id], assigns)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = literal(node.left, assigns), literal(node.right, assigns)
        return a + b if isinstance(a, list) and isinstance(b, list) else None
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def setup_py_call(text, d):
    """The keywords of setup() in setup.py, as AST nodes, and the module-level simple
    assignments (never executed)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        d.doubts.append("setup.py does not parse: %s" % e)
        return {}, {}
    assigns = {}
    for n in tree.body:
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            assigns[n.targets[0].id] = n.value
    kws = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "setup":
            for k in n.keywords:
                if k.arg:
                    kws[k.arg] = k.value
                else:
                    d.doubts.append("setup.py passes **kwargs to setup()")
    return kws, assigns


# ---------------------------------------------------------------- packages

def find_packages(files, where, include=("*",), exclude=(), namespaces=False):
    """setuptools' find_packages / find_namespace_packages over a file list."""
    where = where.strip("/").replace("\\", "/")
    base = (where + "/") if where and where != "." else ""
    dirs = {}
    for p in files:
        if not p.startswith(base):
            continue
        rel = p[len(base):]
        parts = rel.split("/")
        for i in range(1, len(parts)):
            dirs.setdefault("/".join(parts[:i]), set())
        if len(parts) > 1:
            dirs["/".join(parts[:-1])].add(parts[-1])
    out = []

    def looks(dpath):
        return namespaces or "__init__.py" in dirs.get(dpath, ())

    def walk(parent):
        for dpath in sorted(x for x in dirs if x.rsplit("/", 1)[0] == parent and "/" in x
                            or (parent == "" and "/" not in x)):
            leaf = dpath.rsplit("/", 1)[-1]
            if "." in leaf or not looks(dpath):
                continue
            pkg = dpath.replace("/", ".")
            inc = any(fnmatch.fnmatchcase(pkg, pat) for pat in include)
            exc = any(fnmatch.fnmatchcase(pkg, pat) for pat in exclude)
            if inc and not exc:
                out.append(pkg)
            walk(dpath)

    walk("")
    return out, base


def package_files(files, packages, package_dir, py_modules=()):
    """The .py/.pyi/.so files a setuptools wheel of these packages ships, as wheel paths."""
    out = []
    for pkg in packages:
        src = pkg.replace(".", "/")
        for prefix, target in sorted(package_dir.items(), key=lambda x: -len(x[0])):
            if prefix == "" or pkg == prefix or pkg.startswith(prefix + "."):
                rest = pkg[len(prefix):].lstrip(".") if prefix else pkg
                src = "/".join(x for x in (target.strip("/"), rest.replace(".", "/")) if x)
                break
        for p in files:
            if p.startswith(src + "/") and "/" not in p[len(src) + 1:]:
                out.append(pkg.replace(".", "/") + "/" + p[len(src) + 1:])
    root = package_dir.get("", "").strip("/")
    for m in py_modules:
        out.append(m.replace(".", "/") + ".py")
        if (root + "/" if root else "") + m.replace(".", "/") + ".py" not in files:
            out.append("\0missing py_module " + m)
    return out


def auto_discovery(files, d):
    """setuptools' automatic discovery (no packages configured): src-layout, else the
    flat layout's top-level packages and modules that are not reserved names."""
    if any(p.startswith("src/") for p in files):
        pk, _ = find_packages(files, "src", namespaces=True)
        mods = [p[4:-3] for p in files if p.startswith("src/") and p.count("/") == 1 and
                p.endswith(".py")]
        return package_files(files, pk, {"": "src"}, mods), "src-layout"
    pk, _ = find_packages(files, ".")
    top = sorted({p.split(".")[0] for p in pk} - RESERVED_FLAT)
    pk = [p for p in pk if p.split(".")[0] in top]
    mods = [p[:-3] for p in files if "/" not in p and p.endswith(".py")
            and p[:-3] not in RESERVED_FLAT]
    if len(top) > 1 or (top and mods):
        d.doubts.append("flat layout with several top-level names: setuptools refuses "
                        "that unless configured (%s)" % (top + mods))
    return package_files(files, pk, {}, mods), "flat-layout"


def name_dir(name):
    return re.sub(r"[-.]+", "_", name).lower()


def wheel_files_default(files, name, d, roots=("src", "")):
    """hatch/flit/poetry/uv default: the package or module named after the project."""
    mod = name_dir(name)
    for root in roots:
        base = (root + "/") if root else ""
        if any(p.startswith(base + mod + "/") for p in files):
            return [p[len(base):] for p in files if p.startswith(base + mod + "/")]
        if base + mod + ".py" in files:
            return [mod + ".py"]
    d.doubts.append("no package named after the project (%s)" % mod)
    return []


def under(files, path):
    path = path.strip("/")
    return [p for p in files if p == path or p.startswith(path + "/")]


def glob_match(path, pat):
    """gitignore-style: "**/" matches no directory too."""
    return fnmatch.fnmatch(path, pat) or ("/**/" in pat and
                                          fnmatch.fnmatch(path, pat.replace("/**/", "/")))


def hatch_files(files, cfg, name, d):
    wheel = cfg.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {}) \
        .get("wheel", {})
    build = cfg.get("tool", {}).get("hatch", {}).get("build", {})
    pk = wheel.get("packages", build.get("packages"))
    only = wheel.get("only-include", build.get("only-include"))
    sources = wheel.get("sources", build.get("sources"))
    out = []
    if wheel.get("bypass-selection") and not pk and not only:
        return []  # a meta-package: the wheel ships metadata only
    if pk:
        for p in pk:
            p = p.strip("/")
            if isinstance(sources, list) and sources:
                got = under(files, p)
                for src in sources:
                    got = [q[len(src.strip("/")) + 1:] if q.startswith(src.strip("/") + "/")
                           else q for q in got]
                out += got
                continue
            top = p.rsplit("/", 1)[-1]
            out += [top + q[len(p):] for q in under(files, p)]
    elif only:
        for p in only:
            got = under(files, p)
            if isinstance(sources, dict):
                for src, dst in sources.items():
                    got = [(dst.strip("/") + "/" if dst else "") + q[len(src.strip("/")) + 1:]
                           if q.startswith(src.strip("/") + "/") else q for q in got]
            elif isinstance(sources, list):
                for src in sources:
                    got = [q[len(src.strip("/")) + 1:] if q.startswith(src.strip("/") + "/")
                           else q for q in got]
            out += got
    elif wheel.get("include", build.get("include")):
        pats = wheel.get("include", build.get("include"))
        neg = [p[1:].strip("/") for p in pats if p.startswith("!")]
        for pat in (p.strip("/") for p in pats if not p.startswith("!")):
            out += [q for q in files if q == pat or q.startswith(pat + "/") or glob_match(q, pat)]
        out = [q for q in out if not any(glob_match(q, n) for n in neg)]
    else:
        out = wheel_files_default(files, name, d)
    if wheel.get("only-packages", build.get("only-packages")):
        # files outside Python packages (directories without __init__.py) are left out
        # unless listed as artifacts (read as globs)
        arts = wheel.get("artifacts", build.get("artifacts", []))
        dirs_init = {q.rsplit("/", 1)[0] for q in out if q.endswith("/__init__.py")}
        out = [q for q in out if "/" not in q or q.rsplit("/", 1)[0] in dirs_init or
               any(fnmatch.fnmatch(q, a.replace("**/", "*")) for a in arts)]
    hooks = dict(build.get("hooks", {}))
    hooks.update(wheel.get("hooks", {}))
    for h, conf in hooks.items():
        if h == "vcs":  # hatch-vcs writes the version file inside the package
            continue
        d.doubts.append("hatch build hook %r may add files (%s)" % (h, conf))
    if wheel.get("force-include") or build.get("force-include"):
        d.doubts.append("hatch force-include: %s" % (wheel.get("force-include") or
                                                     build.get("force-include")))
    if wheel.get("exclude") or build.get("exclude"):
        ex = wheel.get("exclude") or build.get("exclude")
        out = [p for p in out if not any(fnmatch.fnmatch(p, e.strip("/")) or
                                         fnmatch.fnmatch(p, e.strip("/") + "/*") for e in ex)]
    return out


def maturin_files(files, cfg, name, d, subdir, repo, ref):
    mat = cfg.get("tool", {}).get("maturin", {})
    modname = mat.get("module-name")
    if not modname:
        cargo = repo.text(ref, (subdir + "/" if subdir else "") + "Cargo.toml") or ""
        ct = load_toml(cargo, "Cargo.toml", d) if cargo else {}
        modname = ct.get("lib", {}).get("name") or ct.get("package", {}).get("name") or name
        modname = modname.replace("-", "_")
    pysrc = mat.get("python-source", "")
    top = modname.split(".")[0]
    base = (pysrc.strip("/") + "/") if pysrc else ""
    out = [p[len(base):] for p in files if p.startswith(base + top + "/")]
    ext = modname.replace(".", "/") + ".abi3.so"
    out.append(ext)
    for extra in mat.get("python-packages", []):
        out += [p[len(base):] for p in files if p.startswith(base + extra + "/")]
    if not any(p.startswith(top + "/") for p in out[:-1]) and "." in modname:
        d.doubts.append("maturin module %s without its python package" % modname)
    return out


# ---------------------------------------------------------------- the release

def read_release(repo, ref, subdir, expect_name):
    """A Draft of the release at `ref`; subdir is the project's folder in a monorepo."""
    d = Draft()
    base = (subdir.strip("/") + "/") if subdir else ""
    allfiles = repo.files(ref)
    files = [p[len(base):] for p in allfiles if p.startswith(base)]
    pyproject_t = repo.text(ref, base + "pyproject.toml")
    setup_cfg_t = repo.text(ref, base + "setup.cfg")
    setup_py_t = repo.text(ref, base + "setup.py")
    cfg = load_toml(pyproject_t, "pyproject.toml", d) if pyproject_t else {}
    hatch_t = repo.text(ref, base + "hatch.toml")
    if hatch_t is not None:  # hatch.toml holds what [tool.hatch] would
        cfg.setdefault("tool", {}).setdefault("hatch", {}).update(
            load_toml(hatch_t, "hatch.toml", d))
        d.paths_read.append(base + "hatch.toml")
    for n, t in (("pyproject.toml", pyproject_t), ("setup.cfg", setup_cfg_t),
                 ("setup.py", setup_py_t)):
        if t is not None:
            d.paths_read.append(base + n)
    project = cfg.get("project", {})
    poetry = cfg.get("tool", {}).get("poetry", {})
    backend = cfg.get("build-system", {}).get("build-backend", "")
    if not backend and (setup_py_t or setup_cfg_t):
        backend = "setuptools.build_meta:__legacy__"
    d.backend = backend
    scfg = configparser.ConfigParser(interpolation=None)
    if setup_cfg_t:
        try:
            scfg.read_string(setup_cfg_t)
        except configparser.Error as e:
            d.doubts.append("setup.cfg: %s" % e)
    kws, assigns = setup_py_call(setup_py_t, d) if setup_py_t else ({}, {})
    d.name = project.get("name") or poetry.get("name") or \
        (scfg.get("metadata", "name", fallback="") if setup_cfg_t else "") or \
        (literal(kws["name"], assigns) if "name" in kws else "") or ""
    if not d.name or norm(str(d.name)) != norm(expect_name):
        d.doubts.append("the project's name is %r, not %s" % (d.name, expect_name))
    d.name = expect_name
    dynamic = set(project.get("dynamic", []))

    # ---- files the wheel ships
    if "setuptools" in backend:
        wheel = setuptools_files(files, cfg, scfg, kws, assigns, d)
    elif "hatchling" in backend:
        wheel = hatch_files(files, cfg, d.name, d)
    elif "poetry" in backend:
        pk = poetry.get("packages")
        if pk:
            wheel = []
            for e in pk:
                if e.get("format") and "wheel" not in e["format"]:
                    continue
                frm = (e.get("from", "").strip("/") + "/") if e.get("from") else ""
                inc = e["include"]
                if "*" in inc:
                    d.doubts.append("poetry include pattern %r" % inc)
                wheel += [p[len(frm):] for p in files if p.startswith(frm + inc + "/") or
                          p == frm + inc or p == frm + inc + ".py"]
        else:
            wheel = wheel_files_default(files, d.name, d)
    elif "flit" in backend:
        mod = cfg.get("tool", {}).get("flit", {}).get("module", {}).get("name") or \
            name_dir(d.name)
        wheel = wheel_files_default(files, mod.replace(".", "/"), d)
    elif "maturin" in backend:
        wheel = maturin_files(files, cfg, d.name, d, subdir, repo, ref)
    elif "uv_build" in backend:
        ub = cfg.get("tool", {}).get("uv", {}).get("build-backend", {})
        mod = ub.get("module-name") or name_dir(d.name)
        mods = mod if isinstance(mod, list) else [mod]
        root = ub.get("module-root", "src").strip("/")
        wheel = []
        for m in mods:
            wheel += [p[len(root) + 1 if root else 0:] for p in files
                      if p.startswith((root + "/" if root else "") + m.replace(".", "/") + "/")]
    elif "pdm" in backend:
        pb = cfg.get("tool", {}).get("pdm", {}).get("build", {})
        pdir = pb.get("package-dir", "src" if any(p.startswith("src/") for p in files) else "")
        if pb.get("includes"):
            wheel = []
            for inc in pb["includes"]:
                wheel += [p[len(pdir) + 1 if pdir else 0:] for p in files
                          if fnmatch.fnmatch(p, inc) or p.startswith(inc.strip("/") + "/")]
        else:
            wheel = wheel_files_default(files, d.name, d, roots=(pdir,))
    elif "scikit_build_core" in backend:
        sk = cfg.get("tool", {}).get("scikit-build", {}).get("wheel", {})
        pk = sk.get("packages") or ["src/" + name_dir(d.name), "python/" + name_dir(d.name),
                                     name_dir(d.name)]
        wheel = []
        for p in pk:
            top = p.rstrip("/").rsplit("/", 1)[-1]
            wheel += [top + q[len(p.rstrip("/")):] for q in under(files, p)]
        d.doubts.append("scikit-build: compiled modules come from CMake, not read")
    else:
        d.doubts.append("unknown build backend %r" % backend)
        wheel = []
    missing = [p[1:] for p in wheel if p.startswith("\0")]
    d.doubts += missing
    wheel = [p for p in wheel if not p.startswith("\0")]
    d.stub_dirs = sorted({p.split("/")[0] for p in wheel if p.split("/")[0].endswith("-stubs")})
    d.modules, d.namespaces = modules_from_paths(wheel, name_namespaces([d.name], wheel))
    for m in d.modules:
        if m.split(".")[0] in RESERVED_FLAT:
            d.doubts.append("ships a module named %s" % m)
    if "ext_modules" in kws:
        d.doubts.append("setup.py builds extension modules: %s" %
                        ast.unparse(kws["ext_modules"])[:200])

    # ---- requirements
    reqs = None
    st_dyn = cfg.get("tool", {}).get("setuptools", {}).get("dynamic", {})
    if "name" in project and ("dependencies" in dynamic and "dependencies" in st_dyn or
                              "optional-dependencies" in dynamic and
                              "optional-dependencies" in st_dyn):
        reqs = setuptools_requirements(repo, ref, base, cfg, scfg, kws, assigns, d)
    elif "dependencies" not in dynamic and "name" in project:
        reqs = list(project.get("dependencies", []))
        for ex, lst in sorted(project.get("optional-dependencies", {}).items()):
            reqs += [extra_marker(r, ex) for r in lst]
        d.extras = sorted(norm(e) for e in project.get("optional-dependencies", {}))
        if "optional-dependencies" in dynamic:
            d.doubts.append("optional-dependencies are dynamic")
            reqs = None
    elif hatch_hook_requirements(cfg) is not None:
        reqs, d.extras = hatch_hook_requirements(cfg)
    elif poetry and "name" not in project:
        reqs = poetry_requirements(poetry, d)
    else:
        reqs = setuptools_requirements(repo, ref, base, cfg, scfg, kws, assigns, d)
    if reqs is not None:
        d.requires = reqs
        d.requires_known = True
    d.requires_python = project.get("requires-python", d.requires_python) or \
        (scfg.get("options", "python_requires", fallback="") if setup_cfg_t else "") or \
        (literal(kws["python_requires"], assigns) or "" if "python_requires" in kws else "") \
        or d.requires_python

    # ---- version
    d.version = read_version(repo, ref, base, files, project, poetry, scfg, kws, assigns,
                             dynamic, cfg, d)
    return d


def fill_version(d, version):
    d.requires = [r.replace("{version}", version) for r in d.requires]


def setuptools_files(files, cfg, scfg, kws, assigns, d):
    st = cfg.get("tool", {}).get("setuptools", {})
    package_dir = dict(st.get("package-dir", {}))
    py_modules = list(st.get("py-modules", []))
    packages = None
    if "packages" in st:
        p = st["packages"]
        if isinstance(p, list):
            packages = p
        else:
            f = p.get("find", {})
            packages = []
            for w in f.get("where", ["."]):
                pk, _ = find_packages(files, w, f.get("include", ["*"]), f.get("exclude", []),
                                      f.get("namespaces", True))
                packages += pk
                if w not in (".", ""):
                    package_dir.setdefault("", w)
    if scfg.has_section("options"):
        o = scfg["options"]
        if "package_dir" in o:
            for line in o["package_dir"].strip().splitlines():
                k, _, v = line.partition("=")
                package_dir[k.strip()] = v.strip()
        if "py_modules" in o:
            py_modules += [x.strip() for x in re.split(r"[,\s]+", o["py_modules"]) if x.strip()]
        if "packages" in o:
            val = o["packages"].strip()
            if val in ("find:", "find_namespace:"):
                f = scfg["options.packages.find"] if scfg.has_section("options.packages.find") \
                    else {}
                where = f.get("where", package_dir.get("", ".")).strip()
                lines = lambda k: [x.strip() for x in re.split(r"[,\n]", f.get(k, "")) if x.strip()]
                packages, _ = find_packages(files, where, lines("include") or ["*"],
                                            lines("exclude"), val == "find_namespace:")
            else:
                packages = [x.strip() for x in re.split(r"[,\s]+", val) if x.strip()]
    if "package_dir" in kws:
        pd = literal(kws["package_dir"], assigns)
        if isinstance(pd, dict):
            package_dir.update(pd)
        else:
            d.doubts.append("setup.py package_dir is computed")
    if "py_modules" in kws:
        pm = literal(kws["py_modules"], assigns)
        if isinstance(pm, list):
            py_modules += pm
        else:
            d.doubts.append("setup.py py_modules is computed")
    if "packages" in kws:
        packages = setup_py_packages(files, kws["packages"], assigns, package_dir, d)
    if packages is None:
        wheel, how = auto_discovery(files, d)
        d.doubts.append("setuptools automatic discovery (%s)" % how) if how == "flat-layout" \
            else None
        return wheel
    return package_files(files, packages, package_dir, py_modules)


def setup_py_packages(files, node, assigns, package_dir, d):
    val = literal(node, assigns)
    if isinstance(val, list):
        return val
    call = node
    if isinstance(call, ast.Name) and call.id in assigns:
        call = assigns[call.id]
    if isinstance(call, ast.Call):
        fname = getattr(call.func, "id", getattr(call.func, "attr", ""))
        if fname == "find" and getattr(call.func, "value", None) is not None and \
                getattr(call.func.value, "attr", "") == "PEP420PackageFinder":
            fname = "find_namespace_packages"
        if fname in ("find_packages", "find_namespace_packages"):
            args = {}
            for i, a in enumerate(call.args):
                args[("where", "exclude", "include")[i]] = literal(a, assigns)
            for k in call.keywords:
                args[k.arg] = literal(k.value, assigns)
            if any(v is None for v in args.values()):
                d.doubts.append("setup.py find_packages arguments are computed")
            where = args.get("where") or "."
            pk, _ = find_packages(files, where, tuple(args.get("include") or ("*",)),
                                  tuple(args.get("exclude") or ()),
                                  fname == "find_namespace_packages")
            return pk  # setup.py names package_dir itself when it needs one
    # [p for p in find_namespace_packages(...) if p.startswith("google")] and its
    # concatenations: the Google client libraries' pattern.
    if isinstance(call, ast.BinOp) and isinstance(call.op, ast.Add):
        a = setup_py_packages(files, call.left, assigns, package_dir, d)
        b = setup_py_packages(files, call.right, assigns, package_dir, d)
        return a + b
    if isinstance(call, ast.ListComp) and len(call.generators) == 1:
        gen = call.generators[0]
        conds = gen.ifs
        if isinstance(gen.iter, ast.Call) and len(conds) == 1 and \
                isinstance(conds[0], ast.Call) and \
                getattr(conds[0].func, "attr", "") == "startswith" and \
                isinstance(call.elt, ast.Name) and isinstance(gen.target, ast.Name) and \
                call.elt.id == gen.target.id:
            pre = literal(conds[0].args[0], assigns) if conds[0].args else None
            pre = (pre,) if isinstance(pre, str) else pre
            if isinstance(pre, tuple):
                n_before = len(d.doubts)
                got = setup_py_packages(files, gen.iter, assigns, package_dir, d)
                if len(d.doubts) == n_before:
                    return [p for p in got if p.startswith(pre)]
    if isinstance(call, ast.ListComp) or isinstance(call, ast.Call):
        d.doubts.append("setup.py packages is computed: %s" % ast.unparse(node)[:200])
    else:
        d.doubts.append("setup.py packages unreadable: %s" % ast.unparse(node)[:200])
    return []


def setuptools_requirements(repo, ref, base, cfg, scfg, kws, assigns, d):
    dyn = cfg.get("tool", {}).get("setuptools", {}).get("dynamic", {})
    project = cfg.get("project", {})
    reqs = None
    if "dependencies" in dyn or "optional-dependencies" in dyn:
        reqs = [] if "dependencies" in dyn else list(project.get("dependencies", []))
        for f in dyn.get("dependencies", {}).get("file", []):
            t = repo.text(ref, base + f)
            got = requirement_lines(t) if t is not None else None
            if got is None:
                d.doubts.append("dynamic dependencies file %s unreadable" % f)
                return None
            d.paths_read.append(base + f)
            reqs += got
        for ex, spec in dyn.get("optional-dependencies", {}).items():
            for f in spec.get("file", []):
                t = repo.text(ref, base + f)
                got = requirement_lines(t) if t is not None else None
                if got is None:
                    d.doubts.append("dynamic extra file %s unreadable" % f)
                    return None
                d.paths_read.append(base + f)
                reqs += [extra_marker(r, ex) for r in got]
                d.extras.append(norm(ex))
        if "optional-dependencies" in project:
            for ex, lst in sorted(project["optional-dependencies"].items()):
                reqs += [extra_marker(r, ex) for r in lst]
                d.extras.append(norm(ex))
        return reqs
    if scfg.has_section("options") and "install_requires" in scfg["options"] or \
            scfg.has_section("options.extras_require"):
        reqs = [x.strip() for x in scfg.get("options", "install_requires",
                                            fallback="").splitlines()
                if x.strip() and not x.strip().startswith("#")]
        if scfg.has_section("options.extras_require"):
            for ex, val in scfg["options.extras_require"].items():
                reqs += [extra_marker(x.strip(), ex) for x in val.splitlines()
                         if x.strip() and not x.strip().startswith("#")]
                d.extras.append(norm(ex))
    if "install_requires" in kws or "extras_require" in kws:
        ir = literal(kws["install_requires"], assigns) if "install_requires" in kws else []
        er = literal(kws["extras_require"], assigns) if "extras_require" in kws else {}
        if not isinstance(ir, list) or not isinstance(er, dict):
            d.doubts.append("setup.py requirements are computed")
            return None
        reqs = (reqs or []) + list(ir)
        for ex, lst in er.items():
            if ":" in ex:
                d.doubts.append("extras_require key with a marker: %s" % ex)
                return None
            reqs += [extra_marker(r, ex) for r in lst]
            d.extras.append(norm(ex))
    if reqs is None and project.get("name") and "dependencies" not in project.get("dynamic", []):
        reqs = []
    if reqs is None and not kws and not scfg.has_section("options"):
        d.doubts.append("no requirements found anywhere")
    return reqs


VERSION_ASSIGN = re.compile(r"""^\s*(?:__version__|VERSION|version|__VERSION__)\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", re.M)


def read_version(repo, ref, base, files, project, poetry, scfg, kws, assigns, dynamic, cfg, d):
    if project.get("version") and "version" not in dynamic:
        return project["version"]
    if poetry.get("version") and not project.get("name"):
        return poetry["version"]
    tool = cfg.get("tool", {})
    path = None
    if tool.get("hatch", {}).get("version", {}).get("path"):
        path = tool["hatch"]["version"]["path"]
    attr = tool.get("setuptools", {}).get("dynamic", {}).get("version", {})
    if isinstance(attr, dict) and attr.get("attr"):
        mod = attr["attr"].rsplit(".", 1)[0].replace(".", "/")
        for root in ("", "src/") + tuple(v.strip("/") + "/" for v in
                                         tool.get("setuptools", {}).get("package-dir", {}).values()):
            for cand in (root + mod + ".py", root + mod + "/__init__.py"):
                if cand in files:
                    path = cand
    if isinstance(attr, dict) and attr.get("file"):
        f = attr["file"] if isinstance(attr["file"], str) else attr["file"][0]
        t = repo.text(ref, base + f)
        if t:
            return t.strip()
    if tool.get("pdm", {}).get("version", {}).get("path"):
        path = tool["pdm"]["version"]["path"]
    if scfg.has_section("metadata") and "version" in scfg["metadata"]:
        v = scfg["metadata"]["version"].strip()
        if v.startswith("attr:"):
            mod = v[5:].strip().rsplit(".", 1)[0].replace(".", "/")
            pd = scfg.get("options", "package_dir", fallback="").strip().lstrip("=").strip()
            for root in ("", "src/", pd + "/" if pd else ""):
                for cand in (root + mod + ".py", root + mod + "/__init__.py"):
                    if cand in files:
                        path = cand
        elif v.startswith("file:"):
            t = repo.text(ref, base + v[5:].strip())
            return t.strip() if t else ""
        else:
            return v
    if "version" in kws:
        v = literal(kws["version"], assigns)
        if isinstance(v, str):
            return v
    if "flit" in d.backend and not path:
        mod = tool.get("flit", {}).get("module", {}).get("name") or name_dir(d.name)
        for cand in (mod + "/__init__.py", "src/" + mod + "/__init__.py", mod + ".py"):
            if cand in files:
                path = cand
    if path:
        t = repo.text(ref, base + path) or ""
        m = VERSION_ASSIGN.search(t)
        if m:
            d.paths_read.append(base + path)
            return m.group(1)
    if "maturin" in d.backend:
        t = repo.text(ref, base + "Cargo.toml")
        if t:
            v = load_toml(t, "Cargo.toml", d).get("package", {}).get("version")
            if isinstance(v, str):
                d.paths_read.append(base + "Cargo.toml")
                return v
    return ""  # from the tag (setuptools-scm, hatch-vcs, ...): the caller decides
