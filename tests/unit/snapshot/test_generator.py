"""The snapshot generator's own rules (corpus/index/snapgen), and what the committed
snapshot must never contain. usage: test_generator.py GENERATE SNAPSHOT"""
import os
import sys
import tempfile
import types
import unittest

GENERATE, SNAPSHOT = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(GENERATE)))
from snapgen import common, debian_rows, sources  # noqa: E402
from snapgen.snapfile import read_snapshot  # noqa: E402


class Versions(unittest.TestCase):
    def test_debian_local_labels_are_not_index_versions(self):
        self.assertEqual(debian_rows.pypi_version("25.6.1+really25.2.1"), "25.2.1")
        self.assertEqual(debian_rows.pypi_version("1.2+dfsg"), "1.2")
        self.assertEqual(debian_rows.pypi_version(" 2.0rc1 "), "2.0rc1")

    def test_info_names(self):
        self.assertEqual(debian_rows.split_info_name("PyYAML-6.0.1", "6.0.1-1"),
                         ("PyYAML", "6.0.1"))
        self.assertEqual(debian_rows.split_info_name("foo-1.0-py3.11", "1.0-1"), ("foo", "1.0"))
        self.assertEqual(debian_rows.split_info_name("foo", "1:2.3+dfsg-1"), ("foo", "2.3"))

    def test_newest_first(self):
        keys = sorted(["1.10", "1.9", "1.10rc1", "1.10.post1"], key=common.version_key,
                      reverse=True)
        self.assertEqual(keys, ["1.10.post1", "1.10", "1.10rc1", "1.9"])


def suite(name, packages, contents):
    s = types.SimpleNamespace(name=name, contents=contents, packages={}, root="/nonexistent")
    for pkg, ver in packages.items():
        s.packages[pkg] = {"Package": pkg, "Version": ver}
    return s


class FileLists(unittest.TestCase):
    def test_a_suite_without_contents_borrows_only_the_same_version(self):
        paths = ["foo/__init__.py", "foo-1.0.dist-info/METADATA"]
        sid = suite("sid", {"python3-foo": "1.0-1", "python3-bar": "2.0-1"},
                    {"python3-foo": paths, "python3-bar": ["bar-2.0.dist-info/METADATA"]})
        trixie = suite("trixie", {"python3-foo": "1.0-1", "python3-bar": "1.5-1"}, None)
        lists, missing = debian_rows.file_lists([trixie, sid])
        self.assertEqual(lists[("trixie", "python3-foo")], paths)
        self.assertNotIn(("trixie", "python3-bar"), lists)
        self.assertEqual(missing, {"trixie": ["python3-bar"]})


def seen(suite_name, pkg, debver, paths, infos_meta, depends=""):
    s = types.SimpleNamespace(name=suite_name, contents={})
    x = debian_rows.Seen(s, pkg, {"Version": debver, "Depends": depends}, paths)
    x.deb = types.SimpleNamespace(paths=paths, infos=infos_meta)
    return x


class Rows(unittest.TestCase):
    def test_one_row_per_version_naming_every_suite(self):
        paths = ["yaml/__init__.py", "PyYAML-6.0.2.dist-info/METADATA"]
        meta = {"PyYAML-6.0.2": {"METADATA": "Name: PyYAML\nVersion: 6.0.2\n"}}
        old = ["yaml/__init__.py", "PyYAML-6.0.dist-info/METADATA"]
        rels = debian_rows.debian_releases([
            seen("sid", "python3-yaml", "6.0.2-1", paths, meta),
            seen("trixie", "python3-yaml", "6.0.2-1", paths, meta),
            seen("bookworm", "python3-yaml", "6.0-3+b2", old,
                 {"PyYAML-6.0": {"METADATA": "Name: PyYAML\nVersion: 6.0\n"}})])
        by_version = {r.version: r for r in rels}
        self.assertEqual(sorted(by_version), ["6.0", "6.0.2"])
        self.assertTrue(by_version["6.0.2"].origin.startswith(
            "debian trixie+sid python3-yaml 6.0.2-1 ("), by_version["6.0.2"].origin)
        self.assertTrue(by_version["6.0"].origin.startswith(
            "debian bookworm python3-yaml 6.0-3+b2 ("), by_version["6.0"].origin)
        self.assertEqual(by_version["6.0.2"].modules, ["yaml"])

    def requirements(self, metadata, depends, deb2pypi):
        paths = ["foo/__init__.py", "foo-1.0.dist-info/METADATA"]
        x = seen("sid", "python3-foo", "1.0-1", paths,
                 {"foo-1.0": {"METADATA": metadata}}, depends)
        rels = debian_rows.debian_releases([x])
        debian_rows.add_requirements(rels, deb2pypi)
        return rels[0]

    def test_metadata_requirements_are_complete(self):
        r = self.requirements("Name: foo\nVersion: 1.0\nRequires-Dist: bar>=1\n",
                              "python3-bar, python3-extra", {"python3-bar": "bar",
                                                            "python3-extra": "extra"})
        self.assertEqual(r.requires, ["bar>=1"])
        self.assertTrue(r.requires_known)
        self.assertFalse(r.requires_incomplete)

    def test_stripped_requirements_are_restored_and_flagged(self):
        r = self.requirements("Name: foo\nVersion: 1.0\n", "python3-bar, python3:any",
                              {"python3-bar": "bar"})
        self.assertEqual(r.requires, ["bar"])
        self.assertTrue(r.requires_incomplete)
        self.assertIn("restored from Depends", r.origin)

    def test_no_requirements_and_no_python_depends_is_complete(self):
        r = self.requirements("Name: foo\nVersion: 1.0\n", "python3:any, libc6 (>= 2.34)", {})
        self.assertEqual(r.requires, [])
        self.assertTrue(r.requires_known)
        self.assertFalse(r.requires_incomplete)


class Installed(unittest.TestCase):
    def test_provenance_names_the_release_never_the_path(self):
        with tempfile.TemporaryDirectory() as site:
            info = os.path.join(site, "pydantic_settings-2.14.1.dist-info")
            os.mkdir(info)
            with open(os.path.join(info, "METADATA"), "w") as f:
                f.write("Name: pydantic-settings\nVersion: 2.14.1\nRequires-Dist: pydantic>=2\n")
            with open(os.path.join(info, "RECORD"), "w") as f:
                f.write("pydantic_settings/__init__.py,,\n")
            rels, digest = sources.installed_releases([site])
            self.assertEqual(len(rels), 1)
            self.assertEqual(rels[0].origin, "installed RECORD of pydantic-settings 2.14.1")
            self.assertEqual(rels[0].modules, ["pydantic_settings"])
            self.assertEqual(len(digest), 64)


class Committed(unittest.TestCase):
    """The committed snapshot: no builder's path anywhere, every Debian row names its suite,
    every version list a sample, every Debian input dated and hashed."""

    @classmethod
    def setUpClass(cls):
        cls.projects, cls.provenance = read_snapshot(SNAPSHOT)

    def test_no_builder_paths(self):
        for name, (_, _, rels, _) in self.projects.items():
            for r in rels:
                for bad in ("/root/", "/usr/lib/", "/home/", "site-packages/", "/var/", "/tmp/"):
                    self.assertNotIn(bad, r.origin, name)
        for bad in ("/root/", "/usr/lib/", "/home/", "/work/"):
            self.assertNotIn(bad, self.provenance)

    def test_debian_rows_name_their_suites(self):
        n = 0
        for name, (_, _, rels, _) in self.projects.items():
            for r in rels:
                if r.flags >> 8 == common.SRC_DEBIAN:
                    n += 1
                    self.assertRegex(r.origin, r"^snapshot: debian \S*(bookworm|trixie|sid)", name)
        self.assertGreater(n, 1000)

    def test_every_version_list_is_a_sample(self):
        self.assertTrue(all(f == 0 for (_, _, _, f) in self.projects.values()))

    def test_inputs_dated_and_hashed(self):
        for s in ("bookworm", "trixie", "sid"):
            self.assertRegex(self.provenance, r"debian %s: InRelease dated [^;]*\d{4}[^;]* "
                             r"\(sha256 [0-9a-f]{64}\); main amd64 Packages sha256 [0-9a-f]{64}" % s)
        self.assertRegex(self.provenance, r"names: .* as of \d{4}-\d\d, sha256 [0-9a-f]{64}")

    def test_an_old_release_pin_still_finds_its_row(self):
        rels = self.projects["pyyaml"][2]
        versions = [r.version for r in rels if not r.flags & common.F_MODULES_ONLY]
        self.assertIn("6.0", versions)  # bookworm's
        self.assertGreaterEqual(len(set(versions)), 2)
        self.assertEqual(versions[0], max(versions, key=common.version_key))  # newest first


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
