#!/bin/sh
# Credentials for an index behind HTTP basic auth, from ~/.netrc or from the index URL,
# are used and never shown: not in any output, error message or cache file (run through
# run_tls_test.sh).   cli_credentials_test.sh DEPAUDIT PYTHON3
set -eu
depaudit=$1
py=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
port=${DA_AUTH_URL##*:}
idx="$DA_AUTH_URL/simple/"
# Everything a run leaves behind must be free of the user name and the password.
no_secrets() { # what file-or-dir...
    what=$1
    shift
    if grep -r -a -l -e "$DA_TLS_USER" -e "$DA_TLS_PASS" "$@" >&2; then
        fail "$what: the credentials appear in the files above"
    fi
}
run() { # name args...: output in $DA_WORK/name.out and .err, exit code in rc
    out=$DA_WORK/$1.out
    errf=$DA_WORK/$1.err
    shift
    rc=0
    "$depaudit" metadata --no-snapshot --cert "$DA_TLS_CA" "$@" >"$out" 2>"$errf" || rc=$?
}
check_answer() { # json-file: opentelemetry-api's requirements and modules came from the index
    "$py" - "$1" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1]).read())
d = {x["name"]: x for x in doc["distributions"]}
otel = d["opentelemetry-api"]["release"]
assert otel["source"] in ("index", "cache"), otel
assert otel["requires_dist"] == ["deprecated>=1.2.6", "importlib-metadata<7.0,>=6.0"], otel
assert "opentelemetry.trace" in otel["modules"], otel["modules"]
assert d["zipp"]["version"] == "3.17.0", d["zipp"]
PY
}

# 0. No credentials anywhere (HOME without .netrc): 401, exit 3, with a hint where they go.
mkdir -p "$DA_WORK/home-empty" "$DA_WORK/home-netrc"
HOME=$DA_WORK/home-empty run nocreds --cache-dir "$DA_WORK/c-nocreds" --index-url "$idx" zipp
[ "$rc" = 3 ] || fail "no credentials: exit $rc, want 3"
grep -q "$idx""zipp/: unexpected HTTP status 401" "$out" ||
    fail "no credentials: the 401 is not reported with the URL: $(cat "$out" "$errf")"
grep -q "netrc" "$out" || fail "no credentials: no hint where credentials go"

# 1. ~/.netrc supplies them: pages, .metadata files and wheel ranges all pass the auth.
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$DA_TLS_USER" "$DA_TLS_PASS" \
    >"$DA_WORK/home-netrc/.netrc"
chmod 600 "$DA_WORK/home-netrc/.netrc"
HOME=$DA_WORK/home-netrc run netrc --format json --stats --cache-dir "$DA_WORK/c-netrc" \
    --index-url "$idx" zipp opentelemetry-api==1.21.0
[ "$rc" = 0 ] || fail "netrc: exit $rc: $(cat "$out" "$errf")"
check_answer "$out"
HOME=$DA_WORK/home-netrc run netrc-text --cache-dir "$DA_WORK/c-netrc" --refresh \
    --index-url "$idx" zipp opentelemetry-api==1.21.0
[ "$rc" = 0 ] || fail "netrc (text): exit $rc: $(cat "$out" "$errf")"
[ -n "$(find "$DA_WORK/c-netrc" -type f)" ] || fail "netrc: nothing was cached"

# 2. Credentials in the index URL (and no .netrc).
cred_idx="https://$DA_TLS_USER:$DA_TLS_PASS@127.0.0.1:$port/simple/"
HOME=$DA_WORK/home-empty run url --format json --stats --cache-dir "$DA_WORK/c-url" \
    --index-url "$cred_idx" zipp opentelemetry-api==1.21.0
[ "$rc" = 0 ] || fail "credentials in URL: exit $rc: $(cat "$out" "$errf")"
check_answer "$out"
grep -q "https://\*\*\*@127.0.0.1:$port/" "$out" || fail "URL credentials: origin not redacted"
# Warm: the cached pages' links still carry the credentials to the wheels.
HOME=$DA_WORK/home-empty run url-warm --cache-dir "$DA_WORK/c-url" --refresh \
    --index-url "$cred_idx" zipp opentelemetry-api==1.21.0 deprecated==1.2.14
[ "$rc" = 0 ] || fail "credentials in URL, warm: exit $rc: $(cat "$out" "$errf")"
# The same through PIP_INDEX_URL.
HOME=$DA_WORK/home-empty PIP_INDEX_URL=$cred_idx run env --no-cache zipp
[ "$rc" = 0 ] || fail "credentials in PIP_INDEX_URL: exit $rc: $(cat "$out" "$errf")"

# 3. Wrong password in the URL: refused, the URL named but redacted.
HOME=$DA_WORK/home-empty run badpass --cache-dir "$DA_WORK/c-badpass" \
    --index-url "https://$DA_TLS_USER:wrong$DA_TLS_PASS@127.0.0.1:$port/simple/" zipp
[ "$rc" = 3 ] || fail "wrong password: exit $rc, want 3"
grep -q "https://\*\*\*@127.0.0.1:$port/simple/zipp/: unexpected HTTP status 401" "$out" ||
    fail "wrong password: $(cat "$out" "$errf")"
# A URL that is not even usable: the error shows it redacted too.
HOME=$DA_WORK/home-empty run badurl --no-cache \
    --index-url "ftp://$DA_TLS_USER:$DA_TLS_PASS@127.0.0.1:$port/simple/" zipp
[ "$rc" != 0 ] || fail "ftp index URL accepted"
grep -q "ftp://\*\*\*@" "$errf" || fail "bad URL error not redacted: $(cat "$errf")"
# Offline with credentials in the URL: the lacking answers are listed without them.
HOME=$DA_WORK/home-empty run offline --offline --cache-dir "$DA_WORK/c-offline" \
    --index-url "$cred_idx" zipp
[ "$rc" = 3 ] || fail "offline: exit $rc, want 3"

# The runs above actually exercised the secrets (the test can fail): the netrc file holds
# them, so the scan must find it when pointed at it.
if ! grep -q -a "$DA_TLS_PASS" "$DA_WORK/home-netrc/.netrc"; then
    fail "the leak scan is blind"
fi
no_secrets "outputs" "$DA_WORK"/*.out "$DA_WORK"/*.err
no_secrets "caches" "$DA_WORK"/c-*
echo "cli_credentials_test: ok"
