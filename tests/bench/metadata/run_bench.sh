#!/bin/sh
# Runs the metadata benchmark by hand (not part of ctest):
#   sh tests/bench/metadata/run_bench.sh BUILD_DIR [N]
# Builds a mirror of N (default 100) synthetic distributions (every tenth wheel padded to
# 1.5 MB), serves it with nginx and through a 50 ms delaying proxy, and runs bench_metadata:
# direct (cold/warm), delayed with concurrency 16 and with concurrency 1 (cold/warm).
set -eu
build=$1
n=${2:-100}
src=$(cd "$(dirname "$0")/../../.." && pwd)
tools=$src/tests/mirror/tools
work=$(mktemp -d "${TMPDIR:-/tmp}/depaudit-bench.XXXXXX")
ppid_=""
cleanup() {
    "$tools/mirror_server.sh" stop "$work/tree" || true
    [ -z "$ppid_" ] || kill "$ppid_" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
pads=$(/usr/bin/python3 "$src/tests/bench/metadata/gen_bench_fixture.py" "$n" "$work/bench.json")
padargs=""
for p in $pads; do padargs="$padargs --pad $p"; done
/usr/bin/python3 "$tools/build_mirror.py" $padargs "$work/tree" "$work/bench.json"
url=$("$tools/mirror_server.sh" start "$work/tree")
/usr/bin/python3 "$tools/delay_proxy.py" --delay 0.05 --url-file "$work/proxy.url" "$url" >/dev/null &
ppid_=$!
while [ ! -s "$work/proxy.url" ]; do sleep 0.05; done
proxy=$(cat "$work/proxy.url")
bench=$build/tests/bench/metadata/bench_metadata
echo "== direct (nginx on loopback)"
"$bench" "$url/simple/" "$work/cache-direct" "$n"
echo "== 50 ms added latency per request, concurrency 16"
"$bench" "$proxy/simple/" "$work/cache-delay16" "$n" 16
echo "== 50 ms added latency per request, concurrency 1"
"$bench" "$proxy/simple/" "$work/cache-delay1" "$n" 1
