#!/bin/sh
# Which index `depaudit resolve` asks, over a real nginx mirror: pip's configuration file
# (PIP_CONFIG_FILE), UV_INDEX_URL, the Dockerfile's own index (ENV PIP_INDEX_URL, and
# --index-url on the RUN line, credentials never shown), the public default without a
# network (one line, then the snapshot; never a hang), a 404 as "not on that index" (never
# the snapshot's answer instead), and a configured index that cannot be reached (exit 3).
# Usage: cli_index_selection.sh DEPAUDIT SOURCE_DIR
set -eu
depaudit=$1
src=$2
tools=$src/tests/mirror/tools
py=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/cli-index-selection.XXXXXX")
cleanup() { "$tools/mirror_server.sh" stop "$work/mirror" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

$py "$tools/build_mirror.py" "$work/mirror" "$src/tests/mirror/fixtures/opentelemetry.json" >/dev/null
url=$("$tools/mirror_server.sh" start "$work/mirror")
log=$(cat "$work/mirror/.mirror-server")/access.log
# Nothing of this machine's configuration, and the public index behind a refusing proxy.
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_NO_INDEX PIP_CERT UV_INDEX_URL UV_DEFAULT_INDEX \
    UV_INDEX UV_EXTRA_INDEX_URL 2>/dev/null || true
export PIP_CONFIG_FILE=/dev/null https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
n=0
# run ARGS...: depaudit resolve; exit code in rc, stdout in out, stderr in err, and how many
# requests the mirror saw in hits.
run() {
    n=$((n + 1))
    out=$work/$n.out err=$work/$n.err
    before=$(wc -l <"$log")
    rc=0
    "$depaudit" resolve --cache-dir "$work/cache$n" "$@" >"$out" 2>"$err" || rc=$?
    sleep 0.1 # nginx writes its log line after the answer
    hits=$(($(wc -l <"$log") - before))
}

# 1. pip.conf named by PIP_CONFIG_FILE ([install] over [global])
printf '[global]\nindex-url = http://127.0.0.1:9/nothing/\n[install]\nindex-url = %s/simple/\n' \
    "$url" >"$work/pip.conf"
PIP_CONFIG_FILE=$work/pip.conf run zipp
[ "$rc" = 0 ] || fail "pip.conf: exit $rc: $(cat "$err")"
[ "$hits" -gt 0 ] || fail "pip.conf: the mirror was not asked"
grep -q "^zipp==" "$out" || fail "pip.conf: zipp not resolved: $(cat "$out")"

# 2. UV_INDEX_URL
UV_INDEX_URL=$url/simple/ run deprecated
[ "$rc" = 0 ] && [ "$hits" -gt 0 ] || fail "UV_INDEX_URL: exit $rc, $hits requests: $(cat "$err")"
grep -q "^wrapt==" "$out" || fail "UV_INDEX_URL: deprecated's dependency missing: $(cat "$out")"

# 3. the Dockerfile's own index: ENV, and --index-url with credentials on the RUN line
mkdir -p "$work/img1" "$work/img2"
printf 'FROM python:3.11-slim\nENV PIP_INDEX_URL=%s/simple/\nRUN pip install zipp\n' "$url" \
    >"$work/img1/Dockerfile"
run "$work/img1/Dockerfile"
[ "$rc" = 0 ] && [ "$hits" -gt 0 ] || fail "Dockerfile ENV index: exit $rc, $hits requests: $(cat "$err")"
grep -q "^zipp==" "$out" || fail "Dockerfile ENV index: $(cat "$out")"
secret_url=$(echo "$url" | sed 's|^http://|http://builder:s3cr3tpass@|')
printf 'FROM python:3.11-slim\nRUN pip install --index-url %s/simple/ importlib-metadata\n' \
    "$secret_url" >"$work/img2/Dockerfile"
run "$work/img2/Dockerfile"
[ "$rc" = 0 ] && [ "$hits" -gt 0 ] || fail "RUN --index-url: exit $rc, $hits requests: $(cat "$err")"
grep -q "^importlib-metadata==" "$out" || fail "RUN --index-url: $(cat "$out")"
! grep -q "s3cr3tpass" "$out" "$err" || fail "the Dockerfile's index password was printed"
# the command line still chooses over the Dockerfile
run --index-url "http://127.0.0.1:9/simple/" "$work/img1/Dockerfile"
[ "$rc" = 3 ] || fail "--index-url over the Dockerfile: exit $rc, want 3 (unreachable): $(cat "$err")"

# 4. nothing configured, no network: the default index is tried once, then one line and the
# snapshot (requests is in the embedded snapshot)
run requests
[ "$rc" = 0 ] || fail "no network: exit $rc: $(cat "$err")"
[ "$(grep -c "no network" "$err")" = 1 ] || fail "no network: not exactly one line: $(cat "$err")"
grep -q "^requests==" "$out" || fail "no network: requests not resolved from the snapshot"
run --offline requests
! grep -q "no network" "$err" || fail "--offline still tries the network: $(cat "$err")"

# 5. 404 is the truth: requests is in the snapshot but not on the mirror
run --index-url "$url/simple/" requests
[ "$rc" = 1 ] || fail "404: exit $rc, want 1 (not on that index): $(cat "$out" "$err")"
! grep -q "^requests==" "$out" || fail "404: the snapshot answered instead of the index"
grep -q "requests" "$out" "$err" || fail "404: the missing project is not named"

# 6. a configured index that cannot be reached is a fault, not "no network"
run --index-url "http://127.0.0.1:9/simple/" zipp
[ "$rc" = 3 ] || fail "unreachable configured index: exit $rc, want 3: $(cat "$err")"
! grep -q "no network" "$err" || fail "a configured index fell back to the snapshot"
echo "index selection: all checks passed"
