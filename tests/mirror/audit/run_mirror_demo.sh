#!/bin/sh
# The demo audited against a real nginx mirror (full metadata from an index) instead of
# --offline: the same expectations as tests/e2e/audit/run_demo.py, golden files mirror-*.
# Usage: run_mirror_demo.sh DEPAUDIT_BINARY REPO_ROOT
set -eu
bin=$1
src=$2
tools=$src/tests/mirror/tools
work=$(mktemp -d /tmp/depaudit-audit-mirror.XXXXXX)
/usr/bin/python3 "$tools/build_mirror.py" --debian-wheels "$work/mirror" \
    "$src/tests/mirror/fixtures/opentelemetry.json" "$src/tests/mirror/audit/demo_world.json" >/dev/null
url=$("$tools/mirror_server.sh" start "$work/mirror")
cleanup() {
    "$tools/mirror_server.sh" stop "$work/mirror" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
/usr/bin/python3 "$src/tests/e2e/audit/run_demo.py" "$bin" "$src" \
    --index-url "$url/simple/" --cache-dir "$work/cache"
