#!/bin/sh
# `depaudit resolve --offline` with the embedded snapshot, whose version lists are samples:
# a real version it lacks and a project it does not know are unknown (exit 0, resolution
# partial, said so), never "no version fits" nor exit 3; requirements that exclude each
# other whatever versions exist are a known failure (exit 1).
# Usage: resolve_offline.sh DEPAUDIT
set -eu
depaudit=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/resolve-offline.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {
    set +e
    "$depaudit" resolve --offline "$@" >"$work/out" 2>"$work/err"
    rc=$?
    set -e
}

run requests==2.31.0
[ $rc -eq 0 ] || fail "requests==2.31.0: exit $rc: $(cat "$work/out" "$work/err")"
grep -q '^requests==2.31.0 (assumed' "$work/out" || fail "not assumed: $(cat "$work/out")"
grep -q '^resolution: partial$' "$work/out" || fail "not partial"
grep -q 'not among the versions the snapshot lists' "$work/out" || fail "no unknown line"
if grep -q 'no version of requests fits' "$work/out"; then fail "called unresolvable"; fi

run --format json pyTelegramBotAPI==4.21.0
[ $rc -eq 0 ] || fail "unknown project: exit $rc: $(cat "$work/err")"
/usr/bin/python3 - "$work/out" <<'PY' || fail "unknown project: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["state"] == "partial", d["state"]
assert any(u.startswith("pytelegrambotapi 4.21.0: nothing known") for u in d["unknowns"]), d
dist = [x for x in d["distributions"] if x["name"] == "pytelegrambotapi"][0]
assert dist["assumed"] and dist["source"] is None, dist
PY

run requests==2.34.2 "urllib3<1.0"
[ $rc -eq 1 ] || fail "exclusive requirements: exit $rc, expected 1: $(cat "$work/out")"
grep -q '^conflict: .*requests 2.34.2 requires urllib3' "$work/out" || fail "no conflict line"
grep -q '^resolution: failed$' "$work/out" || fail "not failed"
echo ok
