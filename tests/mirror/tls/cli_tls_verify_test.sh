#!/bin/sh
# TLS is always verified: `depaudit metadata` against nginx over HTTPS with a private CA
# (run through run_tls_test.sh).   cli_tls_verify_test.sh DEPAUDIT PYTHON3
set -eu
depaudit=$1
py=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# Nothing from a refused connection may reach the cache: not a page, not a temp file.
cache_must_be_empty() { # dir what
    if [ -d "$1" ] && [ -n "$(find "$1" -type f)" ]; then
        find "$1" -type f >&2
        fail "$2: the cache kept something from a refused connection"
    fi
}
run() { # name args...: runs depaudit, output in $DA_WORK/name.out, exit code in rc
    out=$DA_WORK/$1.out
    shift
    rc=0
    "$depaudit" metadata --no-snapshot "$@" >"$out" 2>&1 || rc=$?
}

# 1. The CA is not in the system's bundle: refused, exit 3, the URL and the reason named.
idx="$DA_GOOD_URL/simple/"
run untrusted --cache-dir "$DA_WORK/c-untrusted" --index-url "$idx" zipp opentelemetry-api==1.21.0
[ "$rc" = 3 ] || fail "untrusted CA: exit $rc, want 3: $(cat "$out")"
grep -q "$DA_GOOD_URL/simple/zipp/: the server's TLS certificate could not be verified" "$out" ||
    fail "untrusted CA: the error does not name the URL and the reason: $(cat "$out")"
grep -q -- "--cert" "$out" || fail "untrusted CA: the error does not point at --cert: $(cat "$out")"
cache_must_be_empty "$DA_WORK/c-untrusted" "untrusted CA"
# The same in JSON: a failure, never an empty requirement list.
run untrusted-json --format json --cache-dir "$DA_WORK/c-untrusted" --index-url "$idx" \
    opentelemetry-api==1.21.0
[ "$rc" = 3 ] || fail "untrusted CA (json): exit $rc, want 3"
"$py" - "$out" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1]).read())
d = doc["distributions"][0]
assert d.get("release") is None and "could not be verified" in d["release_error"], d
assert "could not be verified" in d["project_error"], d
PY
cache_must_be_empty "$DA_WORK/c-untrusted" "untrusted CA (json)"

# 2. With --cert ca.pem: the same index answers, wheels read by range over TLS.
run trusted --format json --stats --cert "$DA_TLS_CA" --cache-dir "$DA_WORK/c-trusted" \
    --index-url "$idx" zipp opentelemetry-api==1.21.0
[ "$rc" = 0 ] || fail "with --cert: exit $rc: $(cat "$out")"
"$py" - "$out" "$DA_GOOD_URL" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1]).read())
d = {x["name"]: x for x in doc["distributions"]}
otel = d["opentelemetry-api"]["release"]
assert otel["source"] == "index", otel
assert otel["origin"].startswith(sys.argv[2] + "/packages/"), otel["origin"]
assert otel["requires_dist"] == ["deprecated>=1.2.6", "importlib-metadata<7.0,>=6.0"], otel
assert "opentelemetry.trace" in otel["modules"], otel["modules"]
assert d["zipp"]["version"] == "3.17.0", d["zipp"]
assert doc["stats"]["requests"] >= 3 and doc["stats"]["range_requests"] >= 1, doc["stats"]
PY
[ -n "$(find "$DA_WORK/c-trusted" -type f)" ] || fail "with --cert: nothing was cached"
# localhost is in the certificate too.
run trusted-localhost --cert "$DA_TLS_CA" --no-cache \
    --index-url "https://localhost:${DA_GOOD_URL##*:}/simple/" zipp
[ "$rc" = 0 ] || fail "with --cert, via localhost: exit $rc: $(cat "$out")"

# 3. A certificate from the same CA but for another host name: refused even with the CA.
run wronghost --cert "$DA_TLS_CA" --cache-dir "$DA_WORK/c-wrong" \
    --index-url "$DA_WRONG_URL/simple/" zipp
[ "$rc" = 3 ] || fail "wrong host name: exit $rc, want 3: $(cat "$out")"
grep -q "$DA_WRONG_URL/simple/zipp/: the server's TLS certificate could not be verified" "$out" ||
    fail "wrong host name: the error does not name the URL and the reason: $(cat "$out")"
grep -q "127.0.0.1" "$out" || fail "wrong host name: the host is not named"
cache_must_be_empty "$DA_WORK/c-wrong" "wrong host name"

# 4. A cached page does not bypass verification: a warm cache from the trusted run,
#    --refresh forces revalidation, and without --cert that must fail, not serve stale.
run refresh-untrusted --refresh --cache-dir "$DA_WORK/c-trusted" --index-url "$idx" zipp
[ "$rc" = 3 ] || fail "revalidation without --cert: exit $rc, want 3: $(cat "$out")"
grep -q "could not be verified" "$out" || fail "revalidation: reason missing: $(cat "$out")"

# 5. --cert naming no file: a usage error that names it, before any request.
run badcert --cert "$DA_WORK/no-such-ca.pem" --no-cache --index-url "$idx" zipp
[ "$rc" = 2 ] || fail "missing --cert file: exit $rc, want 2"
grep -q "no-such-ca.pem: cannot read the CA bundle" "$out" || fail "missing --cert: $(cat "$out")"
echo "cli_tls_verify_test: ok"
