#!/bin/sh
# The hooks of .pre-commit-hooks.yaml, run the way pre-commit runs them (entry, then args;
# no file names): on a copy of the demo the hook fails with its two errors, on a clean
# project it passes; its `files` pattern selects Python files, Dockerfiles and
# requirement/lock files and nothing else. Usage: precommit_test.sh DEPAUDIT SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/depaudit"

# One hook's fields, read as pre-commit reads this flat file: "entry", "args" (a flow
# list), "files" (a quoted regex, maybe an anchor).
field() { # HOOK_ID FIELD
    sed -n "/^- id: $1\$/,/^- id:/s/^  $2: //p" "$src/.pre-commit-hooks.yaml" | head -1
}
for id in depaudit depaudit-docker; do
    check "$id: has entry, args and files" test -n "$(field $id entry)" -a -n "$(field $id args)"
done
check "depaudit-docker builds the repository's Dockerfile" test "$(field depaudit-docker language)" = docker
entry=$(field depaudit entry)
args=$(field depaudit args | sed -e 's/^\[//' -e 's/\]$//' -e 's/,/ /g')
files=$(field depaudit files | sed -e 's/^&[a-z-]* //' -e "s/^'//" -e "s/'\$//")

copy_demo "$src" "$tmp/demo"
cd "$tmp/demo" || exit 1
# shellcheck disable=SC2086 # entry and args are word lists, as pre-commit splits them
PATH="$tmp/bin:$PATH" $entry $args >"$tmp/out" 2>&1
check "hook on the demo fails (exit 1)" test $? -eq 1
check "hook output names the missing OTLP exporter" grep -q "DA001 \`opentelemetry.exporter" "$tmp/out"

mkdir -p "$tmp/clean/app"
printf 'FROM python:3.12-slim\nRUN pip install requests==2.32.3\nCOPY app /app\nCMD ["python", "-m", "app"]\n' >"$tmp/clean/Dockerfile"
printf 'import json\nimport requests\n\nprint(json.dumps(requests.__version__))\n' >"$tmp/clean/app/__main__.py"
cd "$tmp/clean" || exit 1
# shellcheck disable=SC2086
PATH="$tmp/bin:$PATH" $entry $args >"$tmp/out" 2>&1
rc=$?
check "hook on a clean project passes (exit 0)" test $rc -eq 0
[ $rc -eq 0 ] || cat "$tmp/out"

# The pattern applied as pre-commit applies it (Python re.search), one process for all.
python3 - "$files" >"$tmp/matches" <<'PY'
import re, sys
pattern = re.compile(sys.argv[1])
selected = ["app.py", "pkg/mod.pyi", "nb/x.ipynb", "Dockerfile", "docker/Dockerfile.prod",
            "api.Dockerfile", "requirements.txt", "requirements/dev.in", "requirements-dev.txt",
            "constraints.txt", "pyproject.toml", "setup.cfg", "setup.py", "uv.lock",
            "poetry.lock", "Pipfile.lock", "pylock.toml"]
skipped = ["README.md", "src/app.js", "docs/requirements.md", "Makefile", "notes.txt"]
for f in selected:
    print(("ok" if pattern.search(f) else "FAIL") + ": files pattern selects " + f)
for f in skipped:
    print(("FAIL" if pattern.search(f) else "ok") + ": files pattern skips " + f)
PY
cat "$tmp/matches"
check "the files pattern was applied" grep -q "selects pylock.toml" "$tmp/matches"
grep -q "^FAIL" "$tmp/matches" && fail=1
finish
