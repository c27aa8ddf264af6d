"""The supported-tag list of src/pep (wheel_tags.c) against packaging.tags, exactly.

packaging computes the list for the running interpreter; here every input it would read
from the machine is given explicitly instead: the platform list comes from packaging's own
_linux_platforms() with the glibc/musl version and the architecture replaced by the
target's, and the tags from cpython_tags()/compatible_tags() with explicit python_version,
abis and platforms, chained the way sys_tags() chains them for CPython.

usage: tag_order_oracle.py PROBE   (PROBE = the pep_wheel_probe executable)
"""
import subprocess
import sys
import sysconfig

from packaging import _manylinux, _musllinux, tags


def packaging_platforms(libc, libc_version, arch):
    saved = (_manylinux._get_glibc_version, _manylinux._have_compatible_abi,
             _musllinux._get_musl_version, sysconfig.get_platform)
    try:
        if libc == "glibc":
            _manylinux._get_glibc_version = lambda: libc_version
            _musllinux._get_musl_version = lambda executable: None
        else:
            _manylinux._get_glibc_version = lambda: (-1, -1)
            _musllinux._get_musl_version = (
                lambda executable: _musllinux._MuslVersion(*libc_version))
        _manylinux._have_compatible_abi = (
            lambda executable, a: a in {"x86_64", "aarch64", "ppc64", "ppc64le", "s390x"})
        sysconfig.get_platform = lambda: f"linux-{arch}"
        return list(tags._linux_platforms(is_32bit=False))
    finally:
        (_manylinux._get_glibc_version, _manylinux._have_compatible_abi,
         _musllinux._get_musl_version, sysconfig.get_platform) = saved


def packaging_tags(minor, libc, libc_version, arch):
    platforms = packaging_platforms(libc, libc_version, arch)
    version = (3, minor)
    interp = f"cp3{minor}"
    out = [str(t) for t in tags.cpython_tags(version, abis=[interp], platforms=platforms)]
    out += [str(t) for t in tags.compatible_tags(version, interpreter=interp,
                                                 platforms=platforms)]
    return out


TARGETS = [
    ("glibc", (2, 36), "x86_64"),   # Debian bookworm
    ("glibc", (2, 36), "aarch64"),
    ("glibc", (2, 31), "x86_64"),   # Debian bullseye
    ("glibc", (2, 28), "aarch64"),  # Debian buster
    ("glibc", (2, 17), "aarch64"),  # exactly manylinux2014
    ("glibc", (2, 12), "x86_64"),   # older than manylinux2014 on x86
    ("glibc", (2, 40), "ppc64le"),
    ("glibc", (2, 16), "aarch64"),  # too old for any manylinux on aarch64
    ("musl", (1, 2), "x86_64"),     # Alpine
    ("musl", (1, 2), "aarch64"),
    ("musl", (1, 1), "x86_64"),
]


def main():
    probe = sys.argv[1]
    checked = failures = 0
    for minor in range(8, 15):
        for libc, libc_version, arch in TARGETS:
            expected = packaging_tags(minor, libc, libc_version, arch)
            got = subprocess.run(
                [probe, "tags", f"3.{minor}", libc, "%d.%d" % libc_version, arch],
                check=True, capture_output=True, text=True).stdout.splitlines()
            checked += 1
            if got != expected:
                failures += 1
                first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b),
                             min(len(got), len(expected)))
                print(f"3.{minor} {libc} {libc_version} {arch}: {len(got)} tags, "
                      f"packaging has {len(expected)}; first difference at {first}: "
                      f"{got[first:first + 1]} vs {expected[first:first + 1]}")
    print(f"{checked} targets compared, {failures} differ")
    if checked < 70:
        print("too few targets compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
