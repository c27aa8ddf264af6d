#!/bin/sh
# Every scenario of tests/e2e/audit/scenarios/ again, against a real nginx mirror serving
# scenario_world.json (full metadata, files included) instead of --offline. Each scenario's
# expect.json states how the mirror result differs ("mirror", "mirror_*" keys).
# Usage: run_mirror_scenarios.sh DEPAUDIT_BINARY REPO_ROOT
set -u
bin=$1
src=$2
tools=$src/tests/mirror/tools
work=$(mktemp -d /tmp/depaudit-audit-scenarios.XXXXXX)
/usr/bin/python3 "$tools/build_mirror.py" --debian-wheels "$work/mirror" \
    "$src/tests/mirror/audit/scenario_world.json" >/dev/null || exit 1
url=$("$tools/mirror_server.sh" start "$work/mirror") || exit 1
cleanup() {
    "$tools/mirror_server.sh" stop "$work/mirror" || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
failed=""
for dir in "$src"/tests/e2e/audit/scenarios/*/; do
    name=$(basename "$dir")
    # a scenario about what only the snapshot lacks has no mirror counterpart
    if grep -q '"mirror": "offline only' "$dir/expect.json"; then
        echo "skipped against the mirror: $name (offline only)"
        continue
    fi
    if ! /usr/bin/python3 "$src/tests/e2e/audit/run_scenario.py" "$bin" "$dir" "$src" \
        --index-url "$url/simple/" --cache-dir "$work/cache"; then
        failed="$failed $name"
    fi
done
if [ -n "$failed" ]; then
    echo "FAILED against the mirror:$failed"
    exit 1
fi
echo "all scenarios pass against the mirror"
