#!/bin/sh
# The repository's Dockerfile (the image of depaudit itself): depaudit reads it cleanly;
# its build stage installs every Debian package cmake/Dependencies.cmake asks for (tests
# off: no cmocka); its runtime stage installs the package of every shared library the
# built binary loads. Built for real only where a Docker daemon answers and
# DEPAUDIT_DOCKER_BUILD=1 (minutes: not in the default suite).
# Usage: dockerfile_test.sh DEPAUDIT SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
df="$src/Dockerfile"

"$bin" installs "$df" >"$tmp/plan" 2>"$tmp/err"
check "depaudit installs reads the Dockerfile (exit 0)" test $? -eq 0
check "the plan's final image is the runtime stage at depaudit's entrypoint" \
    grep -q "^ENTRYPOINT depaudit" "$tmp/plan"
# The image holds no Python code (the runtime stage copies only the binary): audited with
# an empty source root, nothing may be reported.
mkdir "$tmp/no-code"
"$bin" check --offline "$tmp/no-code" "$df" >"$tmp/out" 2>&1
check "depaudit check on it finds nothing (exit 0)" test $? -eq 0

# The apt-get install words of stage N (1: build, 2: runtime).
stage_packages() {
    awk -v want="$1" '/^FROM /{n++} n==want' "$df" | tr -d '\\' | tr ' ' '\n' |
        grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u
}
stage_packages 1 >"$tmp/build"
stage_packages 2 >"$tmp/runtime"
sed -n 's/.*(Debian: \([a-z0-9.+-]*\)).*/\1/p' "$src/cmake/Dependencies.cmake" | grep -v cmocka |
    sort -u >"$tmp/needed"
check "Dependencies.cmake names Debian packages" test -s "$tmp/needed"
for p in $(cat "$tmp/needed"); do
    check "build stage installs $p" grep -qx "$p" "$tmp/build"
done
# Direct dependencies only: the libraries the binary links itself (NEEDED).
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}')
for lib in $(ldd "$bin" | awk '$3 ~ /^\// {print $1 "=" $3}'); do
    printf '%s\n' "$needed" | grep -qx "${lib%%=*}" || continue
    lib=${lib#*=}
    real=$(readlink -f "$lib")
    pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$lib" 2>/dev/null)
    pkg=$(printf '%s\n' "$pkg" | head -1 | cut -d: -f1)
    case $pkg in "" | libc6) continue ;; esac # libc6 is in every Debian image
    check "runtime stage installs $pkg ($(basename "$lib"))" grep -qx "$pkg" "$tmp/runtime"
done

if [ "${DEPAUDIT_DOCKER_BUILD:-0}" = 1 ] && docker info >/dev/null 2>&1; then
    docker build -q -t depaudit-selftest "$src" >"$tmp/build.log" 2>&1
    check "docker build" test $? -eq 0
    copy_demo "$src" "$tmp/demo"
    docker run --rm -u "$(id -u):$(id -g)" -v "$tmp/demo:/src" depaudit-selftest --offline src Dockerfile >"$tmp/out"
    check "the image audits the demo (exit 1)" test $? -eq 1
else
    echo "note: image not built (set DEPAUDIT_DOCKER_BUILD=1 where a Docker daemon runs)"
fi
finish
