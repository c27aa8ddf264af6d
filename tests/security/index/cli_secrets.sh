#!/bin/sh
# A password planted in the index URL (--index-url and PIP_INDEX_URL, well-formed and
# mistyped) never leaves the process: not on stdout or stderr in any output format, not in
# the cache (run through run_hostile_index.sh):
#   cli_secrets.sh DEPAUDIT SUBCOMMAND...    (SUBCOMMAND: metadata, resolve, check)
# The index answers (nginx ignores the credentials), fails (503 from the fault server) and
# lies (a hostile wheel), so URLs appear in answers, origins and error messages alike.
set -eu
depaudit=$1
shift
secret="Pw-$(date +%s)-s3cr3t"
user="alice"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
hostport=${DA_HOSTILE_URL#http://}
faultport=${DA_FAULT_URL#http://}
good="http://$user:$secret@$hostport/simple/"
down="http://$user:$secret@$faultport/always500/simple/"
proj=$DA_WORK/secrets-project
mkdir -p "$proj"
printf 'FROM python:3.11-slim\nRUN pip install honest zip64-locator==1.0 no-such-project\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n' \
    >"$proj/Dockerfile"
printf 'import honest\nimport zip64_locator\nimport no_such_project\n' >"$proj/app.py"
out=$DA_WORK/secrets
mkdir -p "$out"
n=0
# one INDEX_URL HOW SUBCOMMAND FORMAT: a run, its output kept for the grep below.
one() {
    n=$((n + 1))
    cache="$out/cache"
    set -- "$1" "$2" "$3" "$4"
    case $3 in
    metadata) args="metadata --format $4 --stats --no-snapshot honest==1.0 zip64-locator==1.0 no-such-project renamed" ;;
    resolve) args="resolve --format $4 honest zip64-locator==1.0" ;;
    check) args="check --format $4 $proj $proj/Dockerfile" ;;
    esac
    rc=0
    if [ "$2" = env ]; then
        # shellcheck disable=SC2086
        PIP_INDEX_URL=$1 "$depaudit" $args --cache-dir "$cache" >"$out/$n.stdout" \
            2>"$out/$n.stderr" || rc=$?
    else
        # shellcheck disable=SC2086
        "$depaudit" $args --cache-dir "$cache" --index-url "$1" >"$out/$n.stdout" \
            2>"$out/$n.stderr" || rc=$?
    fi
    [ "$rc" -lt 128 ] || fail "$3 --format $4 killed (exit $rc)"
    echo "$3 --format $4 (index URL by $2): exit $rc" >"$DA_WORK/secrets-$n.what"
}
for sub in "$@"; do
    case $sub in
    metadata | resolve) formats="text json" ;;
    check) formats="text json sarif github" ;;
    *) fail "unknown subcommand $sub" ;;
    esac
    for f in $formats; do
        for how in option env; do
            one "$good" "$how" "$sub" "$f"
            one "$down" "$how" "$sub" "$f"
        done
        # Mistyped URLs: the error that rejects them must not show the password either.
        one "$user:$secret@$hostport/simple/" option "$sub" "$f"
        one "http://$user:pa/$secret@$hostport/simple/" option "$sub" "$f"
    done
done
leaks=$(grep -rlF -- "$secret" "$out" || true)
if [ -n "$leaks" ]; then
    for l in $leaks; do
        case $l in
        *.stdout | *.stderr)
            what=$(basename "${l%.*}")
            echo "leak in $(cat "$DA_WORK/secrets-$what.what") $(basename "$l"):" >&2
            ;;
        *) echo "leak in $l:" >&2 ;;
        esac
        grep -F -- "$secret" "$l" | head -3 >&2
    done
    fail "the password left the process"
fi
# The runs did reach the index and name it (redacted), so the grep above saw real URLs.
grep -rqF -- "http://***@$hostport/" "$out" || fail "no redacted index URL in any output"
echo "cli_secrets ($*): ok, $n runs"
