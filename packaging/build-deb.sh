#!/bin/sh
# Builds the release .deb: a separate Release build (no tests) with Debian's hardening
# flags (dpkg-buildflags, hardening=+all: fortify, stack protector, relro, bindnow), then
# cpack. lintian then reports no error or warning (packaging/README.md).
# Usage: packaging/build-deb.sh [BUILD_DIR]   (default build-deb/; the .deb lands there)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-deb}
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DDEPAUDIT_TESTS=OFF \
    -DCMAKE_C_FLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
cmake --build "$build" -j"$(nproc)"
(cd "$build" && cpack -G DEB)
