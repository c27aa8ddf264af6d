#!/bin/sh
# The GitHub Action's step (action.yml's `run:` line, with the inputs' defaults as its
# environment) on a copy of the demo: format github prints one workflow command per
# finding (::error for DA001) and fails with 1; format sarif writes a SARIF 2.1.0 file,
# exits 0 so the upload step runs, and records exit-code=1 for the last step.
# Usage: action_test.sh DEPAUDIT SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/depaudit"
action="$src/action.yml"

# An input's default, as the runner would pass it.
input_default() {
    sed -n "/^  $1:\$/,/^  [a-z]/s/^    default: //p" "$action" | head -1 | sed -e 's/^"//' -e 's/"$//'
}
run_line=$(sed -n 's/^      run: \(sh .*run\.sh"\)$/\1/p' "$action")
check "action.yml runs packaging/action/run.sh" test "$run_line" = 'sh "$DEPAUDIT_ACTION_DIR/packaging/action/run.sh"'
check "default format is github" test "$(input_default format)" = github
check "default paths are '. Dockerfile'" test "$(input_default paths)" = ". Dockerfile"

copy_demo "$src" "$tmp/demo"
cd "$tmp/demo" || exit 1
step() { # FORMAT: runs the step with the defaults and that format
    env PATH="$tmp/bin:$PATH" DEPAUDIT_ACTION_DIR="$src" GITHUB_OUTPUT="$tmp/gh_output" \
        DEPAUDIT_PATHS="$(input_default paths)" DEPAUDIT_FORMAT="$1" \
        DEPAUDIT_FAIL_ON="$(input_default fail-on)" DEPAUDIT_OFFLINE="$(input_default offline)" \
        DEPAUDIT_ARGS="$(input_default args)" DEPAUDIT_SARIF_FILE="$(input_default sarif-file)" \
        sh -c "$run_line"
}
: >"$tmp/gh_output"
step github >"$tmp/out" 2>"$tmp/err"
check "github: fails with 1" test $? -eq 1
check "github: DA001 as ::error with file and line" \
    grep -q '^::error file=src/core/telemetry.py,line=4,col=1,title=DA001' "$tmp/out"
check "github: stdout is workflow commands and the summary line" \
    sh -c '! grep -v -e "^::" -e "^depaudit: 5 findings, 2 errors" "$1"' _ "$tmp/out"
check "github: exit-code output recorded" grep -qx "exit-code=1" "$tmp/gh_output"

: >"$tmp/gh_output"
step sarif >"$tmp/out" 2>"$tmp/err"
check "sarif: the step itself exits 0 (so the upload runs)" test $? -eq 0
check "sarif: exit-code=1 recorded for the last step" grep -qx "exit-code=1" "$tmp/gh_output"
check "sarif: a SARIF 2.1.0 log with the DA001 results" python3 - "$(input_default sarif-file)" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
rules = [r["ruleId"] for run in log["runs"] for r in run["results"]]
sys.exit(0 if log["version"] == "2.1.0" and rules.count("DA001") == 2 else 1)
PY
step text >"$tmp/out" 2>"$tmp/err"
check "an unknown format is a usage error (2)" test $? -eq 2
finish
