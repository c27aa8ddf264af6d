#!/bin/sh
# Installs everything depaudit needs to build and test (Debian packages, the pinned grammar
# packages) and configures+builds into build/. Idempotent: a second run only rebuilds.
# Usage: scripts/setup.sh [BUILD_DIR [CMAKE_OPTION...]]. Run as root from anywhere; on a machine already set up it does no network access.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages="build-essential cmake pkg-config libcurl4-openssl-dev libcjson-dev libzip-dev
libtree-sitter-dev libyaml-dev libcmocka-dev nginx-light python3 python3-packaging python3-pip
python3-pip-whl python3-setuptools-whl python3-wheel-whl libpython3.11-testsuite clang
libclang-rt-14-dev
valgrind openssl"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# npm may already come with the machine's own Node.js rather than Debian's.
command -v npm >/dev/null || { echo "setup: npm not found" >&2; exit 1; }

# The stamp records which lock file node_modules was installed from, so a second run
# skips npm entirely and a changed pin reinstalls.
if ! cmp -s grammars/package-lock.json grammars/node_modules/.depaudit-lock 2>/dev/null; then
    echo "setup: installing pinned tree-sitter grammars"
    # --ignore-scripts: we compile the C parsers ourselves and need no Node bindings.
    (cd grammars && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp grammars/package-lock.json grammars/node_modules/.depaudit-lock
fi

# Optional arguments: a build directory (default build/) and extra CMake options for it.
build=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
