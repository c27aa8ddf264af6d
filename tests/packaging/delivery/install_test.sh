#!/bin/sh
# cmake --install into a DESTDIR, then the installed binary, run from a directory outside
# the build, audits a copy of the demo exactly as the README says, and the man page and
# completions are where man and the shells look for them.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr >"$tmp/install.log" 2>&1
check "cmake --install succeeds" test $? -eq 0
bin="$tmp/root/usr/bin/depaudit"
check "binary installed in bin/" test -x "$bin"
for f in share/man/man1/depaudit.1.gz share/bash-completion/completions/depaudit \
    share/zsh/vendor-completions/_depaudit share/fish/vendor_completions.d/depaudit.fish \
    share/doc/depaudit/copyright share/doc/depaudit/README.md; do
    check "installed: usr/$f" test -s "$tmp/root/usr/$f"
done
check "the user guide is installed" test -s "$tmp/root/usr/share/doc/depaudit/guide/getting-started.md"

copy_demo "$src" "$tmp/demo"
cd "$tmp/demo" || exit 1
"$bin" --offline src Dockerfile >"$tmp/out" 2>"$tmp/err"
rc=$?
check "installed binary: the demo exits 1 (errors found)" test "$rc" -eq 1
check "installed binary: the OTLP exporter is missing (snapshot embedded)" \
    grep -q "DA001 \`opentelemetry.exporter.otlp.proto.grpc.trace_exporter\` is not provided" "$tmp/out"
check "installed binary: jose is missing" grep -q "DA001 \`jose\` is not provided" "$tmp/out"
check "installed binary: summary line" grep -q "^Found 5 problems: 2 errors" "$tmp/out"

"$bin" --version >"$tmp/version"
check "--version: version first" grep -Eq "^depaudit [0-9]+\.[0-9]+\.[0-9]+" "$tmp/version"
version=$(sed -n 's/^project(depaudit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
check "--version: the version in CMakeLists.txt ($version)" grep -q "^depaudit $version\( \|$\)" "$tmp/version"
check "--version: the snapshot's dates" grep -Eq "^snapshot: .*[0-9]{4}-[0-9]{2}" "$tmp/version"
check "--version: library versions" grep -Eq "^libraries: libcurl [0-9]" "$tmp/version"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git -C "$src" rev-parse --short=12 HEAD)
    check "--version: the git commit ($commit)" grep -q "(git $commit" "$tmp/version"
fi
finish
