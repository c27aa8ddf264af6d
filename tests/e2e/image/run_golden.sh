#!/bin/sh
# Golden tests of `depaudit installs --format json`.
#   run_golden.sh BIN            diff every case against its expected output
#   run_golden.sh --update BIN   rewrite the expected outputs (then review them by hand)
# BIN is `depaudit` (or the test driver taking the same options after the subcommand
# name). Each case runs from its own directory so paths in the output are relative.
# A case whose expected.err exists must fail with exit status 2 and that exact stderr.
set -u
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
bin=${1:?usage: run_golden.sh [--update] BIN}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
fail=0
count=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$here"/cases/*/; do
    name=$(basename "$dir")
    count=$((count + 1))
    set --
    if [ -f "$dir/args" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && set -- "$@" "$line"
        done <"$dir/args"
    fi
    dockerfile=Dockerfile
    [ -f "$dir/dockerfile_name" ] && dockerfile=$(cat "$dir/dockerfile_name")
    (cd "$dir" && "$bin" installs --format json "$@" "$dockerfile") >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ -f "$dir/expected.err" ] || { [ $update -eq 1 ] && [ $status -ne 0 ]; }; then
        if [ $update -eq 1 ]; then
            cp "$tmp/err" "$dir/expected.err"
            rm -f "$dir/expected.json"
            continue
        fi
        if [ $status -ne 2 ]; then
            echo "FAIL $name: exit status $status, expected 2"
            fail=$((fail + 1))
        elif ! diff -u "$dir/expected.err" "$tmp/err"; then
            echo "FAIL $name: stderr differs"
            fail=$((fail + 1))
        fi
        continue
    fi
    if [ $update -eq 1 ]; then
        cp "$tmp/out" "$dir/expected.json"
        continue
    fi
    if [ $status -ne 0 ]; then
        echo "FAIL $name: exit status $status"
        cat "$tmp/err"
        fail=$((fail + 1))
    elif ! diff -u "$dir/expected.json" "$tmp/out"; then
        echo "FAIL $name: output differs"
        fail=$((fail + 1))
    fi
done
if [ $update -eq 1 ]; then
    echo "updated $count cases"
    exit 0
fi
echo "$((count - fail))/$count golden cases pass"
[ $fail -eq 0 ]
