#!/bin/sh
# `depaudit resolve` end to end over a real nginx mirror (tests/mirror/tools): requirement
# arguments, -r files, a Dockerfile, JSON and text output, a conflict, exit codes.
# Usage: cli_resolve.sh DEPAUDIT SOURCE_DIR
set -eu
depaudit=$1
src=$2
tools=$src/tests/mirror/tools
py=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/cli-resolve.XXXXXX")
cleanup() { "$tools/mirror_server.sh" stop "$work/mirror" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

$py "$tools/build_mirror.py" "$work/mirror" "$src/tests/oracle/resolve/scenarios/38_web_app.json" \
    "$src/tests/oracle/resolve/scenarios/17_conflict_pinned.json" >/dev/null
url=$("$tools/mirror_server.sh" start "$work/mirror")
common="--index-url $url/simple/ --cache-dir $work/cache --only-binary :all:"

# requirement arguments, JSON: versions and reasons
$depaudit resolve $common --format json "fastapi>=0.100" "uvicorn[standard]" httpx \
    >"$work/out.json" 2>"$work/err" || fail "resolve exited $?: $(cat "$work/err")"
$py - "$work/out.json" <<'PY' || fail "JSON output"
import json, sys
d = json.load(open(sys.argv[1]))
got = {x["name"]: x for x in d["distributions"]}
assert got["fastapi"]["version"] == "0.104.1", got["fastapi"]
assert got["pydantic"]["version"] == "2.5.2"
assert got["fastapi"]["requested"] and not got["pydantic"]["requested"]
assert "standard" in got["uvicorn"]["extras"]
ws = [r for r in got["websockets"]["reasons"] if r["kind"] == "required-by"]
assert ws and ws[0]["parent"] == "uvicorn" and ws[0]["extra"] == "standard", ws
assert "colorama" not in got  # win32 only
assert d["conflicts"] == []
PY
grep -q "requests" "$work/err" || fail "no metadata statistics on stderr"

# -r FILE with a comment and a marker, text output
printf '# app\nhttpx\nclick ; python_version >= "3.8"\n' >"$work/requirements.txt"
$depaudit resolve $common -r "$work/requirements.txt" >"$work/out.txt" 2>"$work/err" ||
    fail "-r exited $?: $(cat "$work/err")"
grep -q '^httpx==0.25.2$' "$work/out.txt" || fail "-r: httpx missing: $(cat "$work/out.txt")"
grep -q "requested as httpx at $work/requirements.txt:2" "$work/out.txt" ||
    fail "-r: reason: $(cat "$work/out.txt")"
grep -q '^click==8.1.7$' "$work/out.txt" || fail "-r: click missing"

# a Dockerfile: two RUN lines, the second resolving against the first
cat >"$work/Dockerfile" <<'DF'
FROM python:3.11-slim
RUN pip install --no-cache-dir "httpcore==0.18.0"
RUN pip install --no-cache-dir httpx
DF
$depaudit resolve $common "$work/Dockerfile" >"$work/out.txt" 2>"$work/err" ||
    fail "Dockerfile exited $?: $(cat "$work/err")"
grep -q '^httpcore==1.0.2$' "$work/out.txt" || fail "Dockerfile: httpcore not upgraded: $(cat "$work/out.txt")"
grep -q "Dockerfile:3" "$work/out.txt" || fail "Dockerfile: no line reason"

# a conflict: exit 1 and the explanation
set +e
$depaudit resolve $common "a==2.0" c >"$work/out.txt" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "conflict: exit $rc, expected 1"
grep -q "a 2.0 requires b<1" "$work/out.txt" || fail "conflict text: $(cat "$work/out.txt")"

# usage errors exit 2
set +e
$depaudit resolve --format yaml x >/dev/null 2>&1
rc=$?
$depaudit resolve $common "bad[" >/dev/null 2>"$work/err"
rc2=$?
set -e
[ $rc -eq 2 ] || fail "bad --format: exit $rc"
[ $rc2 -eq 2 ] || fail "bad requirement: exit $rc2"
grep -q "invalid requirement 'bad\['" "$work/err" || fail "bad requirement message: $(cat "$work/err")"
echo "ok"
