#!/bin/sh
# `depaudit check` against an index that fails (tests/mirror/tools/fault_server.py): a 503
# on every request, a truncated body, a redirect loop, a .metadata file whose hash does not
# match. Each is a fault, like `resolve` says: exit 3 with the fault and the URL named,
# even with --fail-on never (the audit could not be done), and never a finding that reads
# the failure as an answer (DA006 "not a name the index knows", DA007 "cannot resolve").
# Usage: cli_check_faults.sh DEPAUDIT SOURCE_DIR
set -eu
depaudit=$1
src=$2
tools=$src/tests/mirror/tools
py=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/cli-check-faults.XXXXXX")
fpid=""
cleanup() {
    if [ -n "$fpid" ]; then
        kill "$fpid" 2>/dev/null || true
        wait "$fpid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

$py "$tools/build_mirror.py" "$work/tree" "$src/tests/mirror/fixtures" >/dev/null
$py "$tools/fault_server.py" --url-file "$work/fault.url" --lifetime 240 --stall 5 \
    "$work/tree" >/dev/null &
fpid=$!
i=0
while [ ! -s "$work/fault.url" ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
[ -s "$work/fault.url" ] || fail "the fault server did not start"
fault=$(cat "$work/fault.url")

mkdir "$work/p"
printf 'FROM python:3.11-slim\nRUN pip install zipp==3.18.0 reqeusts\nCOPY app.py .\nCMD ["python", "app.py"]\n' \
    >"$work/p/Dockerfile"
printf 'import zipp\n' >"$work/p/app.py"

# the well-behaved index: a completed audit (the typo is DA006 there: the index says 404)
cd "$work/p"
set +e
"$depaudit" --index-url "$fault/ok/simple/" --cache-dir "$work/cache-ok" --format json \
    app.py Dockerfile >"$work/out" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "ok: exit $rc, expected 1: $(cat "$work/err")"
grep -q '"DA006"' "$work/out" || fail "ok: no DA006 for the typo"

# a .metadata file with another hash fails only releases, not pages: without the typo,
# whose 404 page would end the resolution before any release is read
mkdir "$work/q"
printf 'FROM python:3.11-slim\nRUN pip install zipp==3.18.0\nCOPY app.py .\nCMD ["python", "app.py"]\n' \
    >"$work/q/Dockerfile"
cp "$work/p/app.py" "$work/q/"

for mode in always500 truncated redirectloop wronghash; do
    [ "$mode" = wronghash ] && cd "$work/q"
    for failon in error never; do
        set +e
        "$depaudit" --index-url "$fault/$mode/simple/" --cache-dir "$work/cache-$mode-$failon" \
            --fail-on "$failon" --format json app.py Dockerfile >"$work/out" 2>"$work/err"
        rc=$?
        set -e
        [ $rc -eq 3 ] || fail "$mode (--fail-on $failon): exit $rc, expected 3: $(cat "$work/err")"
        grep -q "metadata needed for the resolution is missing: $fault/$mode/" "$work/err" ||
            fail "$mode: the fault and its URL are not named: $(cat "$work/err")"
        if grep -q -e DA006 -e DA007 "$work/out"; then
            fail "$mode: a failure read as an answer: $(cat "$work/out")"
        fi
    done
done
echo "ok"
