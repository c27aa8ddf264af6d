#!/usr/bin/python3
"""Writes a small synthetic site-packages covering the layouts the reader must handle:
dist-info with RECORD (quoted paths, a namespace package, an extension module, a
*.data-free wheel layout), egg-info directories with installed-files.txt or only
top_level.txt, a lone egg-info PKG-INFO file, and a stale top_level.txt.

    make_site_packages.py OUT_DIR
"""
import os
import shutil
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def dist_info(root, name, version, files, top_level=None, requires=()):
    info = "%s-%s.dist-info" % (name.replace("-", "_"), version)
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    for r in requires:
        meta += "Requires-Dist: %s\n" % r
    write(os.path.join(root, info, "METADATA"), meta + "\n")
    rows = []
    for f in files:
        write(os.path.join(root, f), "# %s\n" % f)
        q = '"%s"' % f if "," in f else f
        rows.append("%s,sha256=x,1" % q)
    if top_level is not None:
        write(os.path.join(root, info, "top_level.txt"), "\n".join(top_level) + "\n")
        rows.append("%s/top_level.txt,," % info)
    rows.append("%s/METADATA,," % info)
    rows.append("%s/RECORD,," % info)
    write(os.path.join(root, info, "RECORD"), "\n".join(rows) + "\n")


def main(out):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    dist_info(out, "plain-pkg", "1.0", ["plain_pkg/__init__.py", "plain_pkg/core.py"],
              requires=["six>=1.0", "extra-thing; extra == \"x\""])
    dist_info(out, "single-module", "2.0", ["single_module.py"])
    dist_info(out, "nsdist-a", "1.0", ["nsx/a/__init__.py"], top_level=["nsx"])
    dist_info(out, "nsdist-b", "1.0", ["nsx/b/__init__.py", "nsx/b/x,y.py"])
    dist_info(out, "stale-top", "0.1", ["real_mod/__init__.py"], top_level=["real_mod", "gone"])
    dist_info(out, "ext-only", "3.0", ["fastext.cpython-311-x86_64-linux-gnu.so"])
    egg = os.path.join(out, "eggy-1.5-py3.11.egg-info")
    write(os.path.join(egg, "PKG-INFO"), "Metadata-Version: 1.2\nName: eggy\nVersion: 1.5\n\n")
    write(os.path.join(egg, "requires.txt"), "requests\n\n[socks]\nPySocks\n")
    write(os.path.join(egg, "installed-files.txt"),
          "../eggy/__init__.py\n../eggy/util.py\nPKG-INFO\n")
    write(os.path.join(out, "eggy", "__init__.py"), "")
    write(os.path.join(out, "eggy", "util.py"), "")
    egg2 = os.path.join(out, "toponly-0.9.egg-info")
    write(os.path.join(egg2, "PKG-INFO"), "Metadata-Version: 1.1\nName: toponly\nVersion: 0.9\n\n")
    write(os.path.join(egg2, "top_level.txt"), "toponly\n")
    write(os.path.join(out, "toponly", "__init__.py"), "")
    write(os.path.join(out, "lonely-4.0-py3.11.egg-info"),
          "Metadata-Version: 1.1\nName: lonely\nVersion: 4.0\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
