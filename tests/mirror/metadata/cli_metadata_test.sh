#!/bin/sh
# `depaudit metadata` end to end against nginx (run through run_mirror_test.sh, which sets
# DA_MIRROR_URL and DA_WORK):   cli_metadata_test.sh DEPAUDIT PYTHON3
set -eu
depaudit=$1
py=$2
idx="$DA_MIRROR_URL/full/simple/"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# JSON: versions, requirements, modules, and where they came from.
"$depaudit" metadata --format json --no-snapshot --cache-dir "$DA_WORK/cli-cache" --stats \
    --index-url "$idx" opentelemetry-api==1.21.0 zipp >"$DA_WORK/out.json" || fail "exit $?"
"$py" - "$DA_WORK/out.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
d = {x["name"]: x for x in doc["distributions"]}
otel = d["opentelemetry-api"]["release"]
assert otel["source"] == "index", otel["source"]
assert otel["requires_dist"] == ["deprecated>=1.2.6", "importlib-metadata<7.0,>=6.0"], otel
assert "opentelemetry.trace" in otel["modules"] and "opentelemetry" in otel["namespaces"]
assert "opentelemetry_api-1.21.0-py3-none-any.whl" in otel["origin"]
z = d["zipp"]
assert z["version"] == "3.17.0", z["version"]  # 3.18.0 is yanked: not the latest pick
assert [v["version"] for v in z["project"]["versions"]] == ["3.17.0", "3.18.0"]
assert doc["stats"]["requests"] >= 4 and doc["missing"] == []
PY

# Warm: the same answers from the cache, no request.
"$depaudit" metadata --format json --no-snapshot --cache-dir "$DA_WORK/cli-cache" --stats \
    --index-url "$idx" opentelemetry-api==1.21.0 >"$DA_WORK/warm.json" || fail "warm exit $?"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["stats"]["requests"] == 0, d["stats"]; assert d["distributions"][0]["release"]["source"] == "cache"' "$DA_WORK/warm.json"

# Two processes filling one cache at once: every entry stays whole (temp file + rename),
# so a third run answers everything from it.
for k in 1 2; do
    "$depaudit" metadata --format json --no-snapshot --cache-dir "$DA_WORK/shared-cache" \
        --index-url "$idx" opentelemetry-api==1.21.0 zipp wrapt deprecated python-jose \
        importlib-metadata >"$DA_WORK/par$k.json" &
done
wait
"$depaudit" metadata --format json --no-snapshot --cache-dir "$DA_WORK/shared-cache" --stats \
    --index-url "$idx" opentelemetry-api==1.21.0 zipp wrapt deprecated python-jose \
    importlib-metadata >"$DA_WORK/par3.json" || fail "shared cache exit $?"
"$py" - "$DA_WORK/par1.json" "$DA_WORK/par2.json" "$DA_WORK/par3.json" <<'PY'
import json, sys
docs = [json.load(open(p)) for p in sys.argv[1:]]
assert docs[2]["stats"]["requests"] == 0, docs[2]["stats"]
strip = lambda d: [(x["name"], x["version"], x["release"]["requires_dist"], x["release"]["modules"])
                   for x in d["distributions"]]
assert strip(docs[0]) == strip(docs[1]) == strip(docs[2])
PY
ls "$DA_WORK/shared-cache"/v2/pages >/dev/null || fail "no cache pages"
ls "$DA_WORK/shared-cache"/v2/pages | grep -q tmp && fail "temp files left in the cache"

# Text output names the source.
"$depaudit" metadata --no-snapshot --no-cache --index-url "$idx" legacy-sdist-only \
    >"$DA_WORK/out.txt" || fail "text exit $?"
grep -q "modules (guess)" "$DA_WORK/out.txt" || fail "sdist-only not labelled a guess"
grep -q "requires *unknown" "$DA_WORK/out.txt" || fail "sdist-only requirements not unknown"

# Offline with an empty cache: exit 3 and the missing answers listed.
rc=0
"$depaudit" metadata --offline --no-snapshot --cache-dir "$DA_WORK/empty-cache" \
    --index-url "$idx" zipp >"$DA_WORK/offline.txt" 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "offline exit $rc, want 3"
grep -q "offline, lacking: zipp" "$DA_WORK/offline.txt" || fail "offline lacks not listed"

# A missing project is exit 3, a bad option exit 2.
rc=0
"$depaudit" metadata --no-snapshot --no-cache --index-url "$idx" no-such-thing \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "missing project exit $rc, want 3"
rc=0
"$depaudit" metadata --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "bad option exit $rc, want 2"
"$depaudit" metadata --help | grep -q "index-url" || fail "--help"
echo "cli_metadata_test: ok"
