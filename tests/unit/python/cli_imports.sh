#!/bin/sh
# The contract of `depaudit imports`: help, exit codes, error messages, both formats.
# usage: cli_imports.sh DEPAUDIT PYTHON3
set -u
bin=$1
py=$2
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # expect CODE DESCRIPTION -- command...
    want=$1
    what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: $what: exit $got, expected $want"
        sed 's/^/  stderr: /' "$tmp/err"
        fails=$((fails + 1))
    fi
}

expect_stderr() { # expect_stderr PATTERN DESCRIPTION
    if ! grep -q -- "$1" "$tmp/err"; then
        echo "FAIL: $2: stderr lacks '$1'"
        sed 's/^/  stderr: /' "$tmp/err"
        fails=$((fails + 1))
    fi
}

mkdir -p "$tmp/proj/pkg"
printf 'import os\nimport requests\nfrom . import sibling\nimport tomllib\n' >"$tmp/proj/pkg/a.py"
printf 'def broken(:\n    import still_found\n' >"$tmp/proj/pkg/b.py"
: >"$tmp/proj/pkg/__init__.py"

expect 0 "--help" -- "$bin" imports --help
grep -q "usage: depaudit imports" "$tmp/out" || { echo "FAIL: --help text"; fails=$((fails + 1)); }
expect 2 "unknown option" -- "$bin" imports --bogus "$tmp/proj"
expect_stderr "^depaudit: " "unknown option"
expect 2 "no path" -- "$bin" imports
expect_stderr "^depaudit: " "no path"
expect 2 "missing path" -- "$bin" imports "$tmp/does-not-exist"
expect_stderr "does-not-exist" "missing path"
expect 2 "bad format" -- "$bin" imports --format xml "$tmp/proj"
expect 2 "bad python version" -- "$bin" imports --python-version 3 "$tmp/proj"
expect 2 "python 2" -- "$bin" imports --python-version 2.7 "$tmp/proj"
expect 2 "option without value" -- "$bin" imports --exclude
expect 2 "bad threads" -- "$bin" imports --threads 0 "$tmp/proj"

expect 0 "text output" -- "$bin" imports "$tmp/proj"
grep -q "pkg/a.py:2:1: import requests third-party" "$tmp/out" ||
    { echo "FAIL: text output lacks the requests line"; cat "$tmp/out"; fails=$((fails + 1)); }
expect_stderr "pkg/b.py:1: syntax error" "warning for the broken file"

expect 0 "json output, 3.10" -- "$bin" imports --format json --python-version 3.10 "$tmp/proj"
"$py" - "$tmp/out" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
by = {r["module"]: r for r in doc["imports"]}
problems = []
if doc["files"] != 3: problems.append(f"files={doc['files']}")
if by["tomllib"]["class"] != "third-party": problems.append("tomllib is not third-party on 3.10")
if by["os"]["class"] != "stdlib": problems.append("os is not stdlib")
if by[""]["class"] != "relative" or by[""]["level"] != 1: problems.append("relative import")
if "still_found" not in by: problems.append("import in the broken file lost")
if len(doc["errors"]) != 1 or doc["errors"][0]["line"] != 1: problems.append("errors")
for p in problems: print("FAIL: json:", p)
sys.exit(1 if problems else 0)
PYEOF

expect 0 "max file size" -- "$bin" imports --max-file-size 30 "$tmp/proj"
expect_stderr "pkg/a.py: larger than 30 bytes ([0-9]* bytes): not read" "oversized file named"
grep -q "import requests" "$tmp/out" && { echo "FAIL: an oversized file was read"; fails=$((fails + 1)); }
expect 2 "bad max file size" -- "$bin" imports --max-file-size 0 "$tmp/proj"
expect 2 "negative max file size" -- "$bin" imports --max-file-size -5 "$tmp/proj"

expect 0 "exclude" -- "$bin" imports --format json --exclude 'b.py' "$tmp/proj"
grep -q still_found "$tmp/out" && { echo "FAIL: --exclude b.py did not exclude"; fails=$((fails + 1)); }

[ "$fails" = 0 ] && echo "all cli_imports checks passed"
exit "$fails"
