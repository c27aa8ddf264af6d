#!/bin/sh
# depaudit which through the real binary: text and JSON output, the exit codes, and
# --snapshot with the round-trip fixture. usage: cli_which.sh DEPAUDIT FIXTURE
set -u
bin=$1 fixture=$2
fail() { echo "FAIL: $*"; exit 1; }

out=$("$bin" which yaml google.protobuf.message) || fail "which yaml exited $?"
echo "$out" | grep -q '^yaml:' || fail "no yaml section: $out"
echo "$out" | grep -q '  pyyaml ' || fail "pyyaml not listed: $out"
echo "$out" | grep -q '  protobuf ' || fail "protobuf not listed: $out"
echo "$out" | grep -q 'from snapshot: ' || fail "no provenance: $out"
echo "$out" | grep -q '^Snapshot sources:' || fail "no sources: $out"

out=$("$bin" which --format json opentelemetry.exporter.otlp.proto.grpc) || fail "json exited $?"
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
dists = [p["distribution"] for p in d["results"][0]["providers"]]
assert dists == ["opentelemetry-exporter-otlp-proto-grpc"], dists
assert d["results"][0]["providers"][0]["source"] == "snapshot"
assert "debian" in d["snapshot"]
' || fail "json output: $out"

"$bin" which no_such_module_xq7 >/dev/null; rc=$?
[ $rc -eq 3 ] || fail "unknown module exited $rc, want 3"
"$bin" which >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "no module exited $rc, want 2"
"$bin" which --format yaml x >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad format exited $rc, want 2"
"$bin" which --snapshot /nonexistent.snapshot yaml 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "missing snapshot exited $rc, want 2"

out=$("$bin" which --snapshot "$fixture" yaml.cyaml) || fail "fixture which exited $?"
echo "$out" | grep -q 'pyyaml 6.0.1' || fail "fixture answer: $out"
echo "$out" | grep -q 'fixture provenance line 1' || fail "fixture provenance: $out"
echo "1 passed, 0 failed"
