#!/bin/sh
# shellcheck disable=SC2154 # fail is set by lib.sh
# The Debian package: cpack builds it from the build tree; its control fields depend on
# the runtime libraries; dpkg installs it into an empty root (its own database there),
# where the binary audits the demo from another directory; dpkg removes it without a
# trace. Usage: deb_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1
check "cpack builds the .deb" test $? -eq 0
deb=$(ls "$tmp"/out/depaudit_*.deb 2>/dev/null | head -1)
check "one depaudit_*.deb" test -f "$deb"
[ -f "$deb" ] || { cat "$tmp/cpack.log"; finish; }
version=$(sed -n 's/^project(depaudit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
check "Version is the project's ($version-1)" test "$(dpkg-deb -f "$deb" Version)" = "$version-1"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libcurl4 libzip4 libtree-sitter0 libcjson1 zlib1g; do
    check "Depends names $lib" sh -c 'printf "%s" "$1" | grep -Eq "(^|, )$2 "' _ "$depends" "$lib"
done
check "nothing under /usr/local" sh -c '! dpkg-deb -c "$1" | grep -q "/usr/local"' _ "$deb"

root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
# The libraries are the host's: the empty root has no package database entries for them.
dpkg --root="$root" --log=/dev/null --force-depends --force-not-root -i "$deb" >"$tmp/dpkg.log" 2>&1
check "dpkg installs it into an empty root" test $? -eq 0
check "dpkg knows it installed" sh -c 'dpkg --root="$1" -s depaudit | grep -q "^Status: install ok installed"' _ "$root"
copy_demo "$src" "$tmp/demo"
(cd "$tmp/demo" && "$root/usr/bin/depaudit" --offline src Dockerfile >"$tmp/demo.out" 2>/dev/null)
check "the packaged binary audits the demo (exit 1)" test $? -eq 1
check "the packaged binary finds the missing exporter" grep -q "DA001 \`opentelemetry.exporter" "$tmp/demo.out"
check "man page at /usr/share/man/man1" test -s "$root/usr/share/man/man1/depaudit.1.gz"
check "bash completion at /usr/share/bash-completion" test -s "$root/usr/share/bash-completion/completions/depaudit"
dpkg --root="$root" --log=/dev/null --force-depends --force-not-root -r depaudit >>"$tmp/dpkg.log" 2>&1
check "dpkg removes it" test $? -eq 0
check "no file left under usr/" test -z "$(find "$root/usr" -type f 2>/dev/null)"
[ "$fail" -eq 0 ] || cat "$tmp/dpkg.log"
finish
