#!/bin/sh
# lintian (Debian's package checker) passes the .deb with no error and no warning;
# info-level tags are printed (packaging/README.md says why each one stays).
# Usage: lintian_test.sh BUILD_DIR
set -u
build=$1
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1
check "cpack builds the .deb" test $? -eq 0
lintian --pedantic --display-info "$tmp"/out/depaudit_*.deb >"$tmp/lintian" 2>"$tmp/err"
cat "$tmp/lintian"
check "lintian: no error or warning" sh -c '! grep -E "^(E|W): " "$1"' _ "$tmp/lintian"
check "lintian: ran on the package" sh -c '! grep -qi "error\|cannot" "$1"' _ "$tmp/err"
finish
