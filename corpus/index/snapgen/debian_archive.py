"""Debian's archive, reached through apt with a private configuration.

Each suite gets its own directory under <cache>/debian/<suite>/ with an apt.conf, a
sources file, a lists directory and an empty dpkg status: `apt-get update` there fetches
(and verifies against the signed InRelease) the Packages index and, through an added
index target, the Contents indexes, without reading or writing the machine's apt state.
The .deb files are downloaded by `apt-get download PACKAGE=VERSION` into the shared
<cache>/debian/debs/ and read in memory with dpkg-deb; nothing is ever extracted or
installed. Every input is named in the provenance by the InRelease date and hashes, so a
later `generate --check` can tell whether it reads the same inputs."""

import collections
import glob
import hashlib
import io
import json
import os
import re
import subprocess
import tarfile

from .common import log
from .modules import INFO_RE

ARCHIVE = "http://deb.debian.org/debian"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
DIST_PACKAGES = "usr/lib/python3/dist-packages/"

APT_CONF = """// Written by corpus/index/generate: a private apt state for one suite.
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "{d}/sources.list.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "{d}/preferences.d";
Dir::State::Lists "{d}/lists";
Dir::State::status "{d}/status";
Dir::Cache "{d}/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Cache::archives "{debs}";
APT::Architecture "amd64";
APT::Architectures {{ "amd64"; }};
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "3";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
Acquire::IndexTargets::deb::Contents-deb {{
  MetaKey "$(COMPONENT)/Contents-$(ARCHITECTURE)";
  ShortDescription "Contents-$(ARCHITECTURE)";
  Description "$(RELEASE)/$(COMPONENT) $(ARCHITECTURE) Contents (deb)";
  KeepCompressed "true";
}};
"""

SOURCES = """Types: deb
URIs: {archive}
Suites: {suite}
Components: main
Architectures: amd64
Signed-By: {keyring}
{targets}"""


class Suite:
    """One suite's verified indexes: Packages always, Contents when the archive served
    the file its InRelease names (contents is None otherwise)."""

    def __init__(self, name, root):
        self.name = name
        self.root = root
        self.date = ""
        self.inrelease_sha256 = ""
        self.hashes = {}  # path in the Release file -> sha256
        self.packages = {}  # package -> {field: value}
        self.contents = None  # package -> [paths relative to dist-packages]
        self.contents_note = ""

    def lists(self):
        return os.path.join(self.root, "lists")


def suite_dir(cache, suite):
    return os.path.join(cache, "debian", suite)


def deb_dir(cache):
    return os.path.join(cache, "debian", "debs")


def write_apt_config(cache, suite, with_contents):
    d = suite_dir(cache, suite)
    for sub in ("lists/partial", "cache", "sources.list.d", "preferences.d"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    os.makedirs(os.path.join(deb_dir(cache), "partial"), exist_ok=True)
    open(os.path.join(d, "status"), "a").close()
    with open(os.path.join(d, "apt.conf"), "w") as f:
        f.write(APT_CONF.format(d=d, debs=deb_dir(cache)))
    with open(os.path.join(d, "sources.list.d", "debian.sources"), "w") as f:
        f.write(SOURCES.format(archive=ARCHIVE, suite=suite, keyring=KEYRING,
                               targets="" if with_contents else "Targets: Packages\n"))
    return os.path.join(d, "apt.conf")


def apt_env(conf):
    env = dict(os.environ)
    env["APT_CONFIG"] = conf
    return env


def update_suite(cache, suite):
    """apt-get update for one suite. When the archive serves a Contents file that does not
    match the InRelease (a mirror caught mid-sync), the suite is fetched again without
    Contents: its file lists then come only from .deb files and from other suites' verified
    Contents for the same package version. Returns a note for the provenance."""
    conf = write_apt_config(cache, suite, True)
    r = subprocess.run(["apt-get", "update"], env=apt_env(conf), cwd=suite_dir(cache, suite),
                       capture_output=True, text=True)
    if r.returncode == 0 and "E: " not in r.stderr:
        return ""
    problem = [ln for ln in r.stderr.splitlines() if ln.startswith("E: ")]
    log("%s: apt-get update with Contents failed: %s" % (suite, "; ".join(problem)))
    conf = write_apt_config(cache, suite, False)
    r = subprocess.run(["apt-get", "update"], env=apt_env(conf), cwd=suite_dir(cache, suite),
                       capture_output=True, text=True)
    if r.returncode != 0 or "E: " in r.stderr:
        raise SystemExit("%s: apt-get update failed:\n%s" % (suite, r.stderr))
    return "Contents not used: the archive served files that do not match the InRelease"


def cat_file(path):
    """The decompressed bytes of an apt lists file (apt-helper knows every compressor)."""
    return subprocess.Popen(["/usr/lib/apt/apt-helper", "cat-file", path],
                            stdout=subprocess.PIPE)


def read_release(suite):
    path = os.path.join(suite.lists(), "deb.debian.org_debian_dists_%s_InRelease" % suite.name)
    if not os.path.exists(path):
        raise SystemExit("%s: no InRelease in %s (run generate without --offline once)"
                         % (suite.name, suite.lists()))
    data = open(path, "rb").read()
    suite.inrelease_sha256 = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", "replace")
    m = re.search(r"^Date: (.*)$", text, re.M)
    suite.date = m.group(1).strip() if m else ""
    section = None
    for line in text.splitlines():
        if line and not line.startswith(" "):
            section = line.split(":", 1)[0]
        elif section == "SHA256" and line.startswith(" "):
            h, _, p = line.split()
            suite.hashes[p] = h


def lists_file(suite, key):
    """The lists file apt stored for a Release path such as main/Contents-all."""
    base = "deb.debian.org_debian_dists_%s_%s" % (suite.name, key.replace("/", "_"))
    found = [p for p in glob.glob(os.path.join(suite.lists(), base + "*"))
             if not p.endswith(".diff_Index")]
    return found[0] if found else None


def verified_stream(suite, key):
    """Yields the lines of a lists file whose decompressed bytes match the InRelease's
    SHA256 for `key`; raises SystemExit naming the file on a mismatch."""
    path = lists_file(suite, key)
    want = suite.hashes.get(key)
    if path is None or want is None:
        raise SystemExit("%s: no %s in %s" % (suite.name, key, suite.lists()))
    proc = cat_file(path)
    h = hashlib.sha256()
    tail = b""
    for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):
        h.update(chunk)
        chunk = tail + chunk
        lines = chunk.split(b"\n")
        tail = lines.pop()
        for ln in lines:
            yield ln.decode("utf-8", "replace")
    if tail:
        yield tail.decode("utf-8", "replace")
    proc.wait()
    if h.hexdigest() != want:
        raise SystemExit("%s: %s does not match the InRelease's SHA256 (%s != %s)"
                         % (suite.name, path, h.hexdigest(), want))


def read_packages(suite):
    para = {}
    key = None
    for line in verified_stream(suite, "main/binary-amd64/Packages"):
        if not line:
            if "Package" in para:
                suite.packages[para["Package"]] = para
            para, key = {}, None
        elif line[0] in " \t":
            if key:
                para[key] += " " + line.strip()
        elif ":" in line:
            key, _, val = line.partition(":")
            para[key] = val.strip()
    if "Package" in para:
        suite.packages[para["Package"]] = para


def read_contents(suite):
    """Package -> files under usr/lib/python3/dist-packages/, from both Contents files."""
    files = collections.defaultdict(list)
    for key in ("main/Contents-amd64", "main/Contents-all"):
        for line in verified_stream(suite, key):
            if not line.startswith(DIST_PACKAGES):
                continue
            m = re.match(r"^(.*\S)\s+(\S+)$", line)
            if not m:
                continue
            rel = m.group(1)[len(DIST_PACKAGES):]
            for sp in m.group(2).split(","):
                files[sp.rsplit("/", 1)[-1]].append(rel)
    suite.contents = dict(files)


def load_suite(cache, name, offline):
    suite = Suite(name, suite_dir(cache, name))
    note_file = os.path.join(suite.root, "contents-note")
    if offline:
        note = open(note_file).read() if os.path.exists(note_file) else ""
    else:
        note = update_suite(cache, name)
        with open(note_file, "w") as f:
            f.write(note)  # what --offline and --check then report
    read_release(suite)
    read_packages(suite)
    has_contents = lists_file(suite, "main/Contents-amd64") and lists_file(suite, "main/Contents-all")
    if has_contents and not note:
        read_contents(suite)
    else:
        suite.contents_note = note or "Contents not used: not in the cache"
    log("%s: %d packages, %s" % (name, len(suite.packages),
                                 "%d with Python files" % len(suite.contents)
                                 if suite.contents is not None else suite.contents_note))
    return suite


# ---------------------------------------------------------------- .deb files

def deb_file_name(pkg, version, arch):
    return "%s_%s_%s.deb" % (pkg, version.replace(":", "%3a"), arch)


def download_debs(cache, suite, wanted, offline):
    """wanted: [(package, version)] of this suite. Returns {(package, version): path} of
    those in the cache, each checked against the Packages index's SHA256."""
    debs = deb_dir(cache)
    out, need = {}, []
    for pkg, ver in wanted:
        fields = suite.packages[pkg]
        path = os.path.join(debs, deb_file_name(pkg, ver, fields.get("Architecture", "all")))
        (out.__setitem__((pkg, ver), path) if os.path.exists(path) else need.append((pkg, ver)))
    if need and offline:
        raise SystemExit("%s: %d .deb files are not in %s (run without --offline)"
                         % (suite.name, len(need), debs))
    conf = os.path.join(suite.root, "apt.conf")
    for i in range(0, len(need), 60):
        batch = ["%s=%s" % pv for pv in need[i:i + 60]]
        r = subprocess.run(["apt-get", "download"] + batch, env=apt_env(conf), cwd=debs,
                           capture_output=True, text=True)
        if r.returncode != 0:
            for one in batch:
                r = subprocess.run(["apt-get", "download", one], env=apt_env(conf), cwd=debs,
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    raise SystemExit("%s: apt-get download %s failed:\n%s"
                                     % (suite.name, one, r.stderr))
        log("%s: %d/%d .deb files downloaded" % (suite.name, min(i + 60, len(need)), len(need)))
    for pkg, ver in need:
        fields = suite.packages[pkg]
        out[(pkg, ver)] = os.path.join(debs, deb_file_name(pkg, ver,
                                                           fields.get("Architecture", "all")))
    return out


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class DebContents:
    """What one .deb says about its Python distributions: every file under dist-packages
    and the metadata files of each *.dist-info / *.egg-info."""

    def __init__(self):
        self.paths = []
        self.infos = collections.defaultdict(dict)


def read_deb(path, want_sha256):
    """The .deb's DebContents, checked against the Packages index's SHA256; what it says is
    kept beside it (<sha256>.json under parsed/) so that later runs skip the unpacking."""
    if sha256_file(path) != want_sha256:
        raise SystemExit("%s: SHA256 differs from the Packages index (delete it and rerun)"
                         % path)
    parsed = os.path.join(os.path.dirname(path), "parsed", want_sha256 + ".json")
    if os.path.exists(parsed):
        with open(parsed) as f:
            d = json.load(f)
        out = DebContents()
        out.paths = d["paths"]
        out.infos.update(d["infos"])
        return out
    out = unpack_deb(path)
    os.makedirs(os.path.dirname(parsed), exist_ok=True)
    with open(parsed + ".tmp", "w") as f:
        json.dump({"paths": out.paths, "infos": out.infos}, f)
    os.replace(parsed + ".tmp", parsed)
    return out


def unpack_deb(path):
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", path], check=True,
                          capture_output=True).stdout
    out = DebContents()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
        for m in tf:
            p = m.name[2:] if m.name.startswith("./") else m.name
            if not p.startswith(DIST_PACKAGES) or m.isdir():
                continue
            rel = p[len(DIST_PACKAGES):]
            out.paths.append(rel)
            im = INFO_RE.match(rel)
            if not im or not m.isfile():
                continue
            inner = rel[len(im.group(0)):]
            if im.group(3) == "":
                inner = "PKG-INFO"  # a single-file egg-info is the PKG-INFO itself
            if inner in ("METADATA", "PKG-INFO", "requires.txt", "top_level.txt"):
                out.infos[im.group(1)][inner] = \
                    tf.extractfile(m).read().decode("utf-8", "replace")
    return out
