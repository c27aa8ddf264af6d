#!/bin/sh
# Every subcommand's options through the real binary: `--opt=value` means exactly what
# `--opt value` means (same exit code, stdout and stderr) and is never a usage error; an
# unknown option and a missing value give one line "depaudit: SUB: ..." and exit code 2.
# Offline throughout: a tiny project in a temporary directory and the repository's
# snapshot file.
set -u
bin=${1:?usage: cli_options.sh BIN SOURCE_DIR}
src=${2:?usage: cli_options.sh BIN SOURCE_DIR}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/p/src" "$tmp/site" "$tmp/cache"
printf 'FROM python:3.11-slim AS app\nRUN pip install requests\nCOPY src/ /app/src/\n' >"$tmp/p/Dockerfile"
printf 'import requests\nimport yaml\n' >"$tmp/p/src/app.py"
printf 'requests\n' >"$tmp/p/reqs.txt"
printf 'urllib3<3\n' >"$tmp/p/cons.txt"
printf '[tool.depaudit]\nignore = ["DA004"]\n' >"$tmp/p/cfg.toml"
: >"$tmp/p/ca.pem"
snapshot=$src/corpus/index/snapshot.bin
index=http://127.0.0.1:9/simple/
export XDG_CACHE_HOME="$tmp/cache"

# same SUB OPTION=VALUE... -- POSITIONAL...: runs the = form and the split form.
same() {
    sub=$1
    shift
    eq="" split=""
    while [ "$1" != "--" ]; do
        case $1 in
        *=*) eq="$eq $1" split="$split ${1%%=*} ${1#*=}" ;;
        *) eq="$eq $1" split="$split $1" ;;
        esac
        shift
    done
    shift
    # shellcheck disable=SC2086
    (cd "$tmp/p" && "$bin" $sub $eq "$@" >"$tmp/eq.out" 2>"$tmp/eq.err")
    eq_rc=$?
    # shellcheck disable=SC2086
    (cd "$tmp/p" && "$bin" $sub $split "$@" >"$tmp/split.out" 2>"$tmp/split.err")
    split_rc=$?
    if [ $eq_rc = 2 ]; then
        echo "FAIL: $sub:$eq is a usage error: $(cat "$tmp/eq.err")"
        fail=1
    elif [ $eq_rc != $split_rc ] || ! cmp -s "$tmp/eq.out" "$tmp/split.out" ||
        ! cmp -s "$tmp/eq.err" "$tmp/split.err"; then
        echo "FAIL: $sub: --opt=value and --opt value differ (exit $eq_rc and $split_rc)"
        diff "$tmp/eq.err" "$tmp/split.err"
        fail=1
    else
        echo "ok: $sub accepts --opt=value (exit $eq_rc)"
    fi
}

same check --offline --format=json --fail-on=never --python-version=3.11 --build-arg=X=1 \
    --target=app --dockerfile=Dockerfile --config=cfg.toml --snapshot="$snapshot" \
    --cache-dir="$tmp/cache" --index-url=$index -- src
same imports --format=json --python-version=3.12.1 --exclude=tests --first-party=app \
    --threads=1 -- src
same installs --format=json --build-arg=X=1 --target=app --python-version=3.11 \
    --platform=linux/arm64 --context=. -- Dockerfile
same resolve --offline --format=json --python-version=3.11.4 --platform=linux/amd64 \
    --index-url=$index --cache-dir="$tmp/cache" --as-of=2024-01-01 --requirement=reqs.txt \
    --constraint=cons.txt --only-binary=:all: --build-arg=X=1 --target=app -- requests
same resolve --offline --format=json --build-arg=X=1 --target=app -- Dockerfile
same metadata --offline --format=json --index-url=$index --extra-index-url=$index \
    --cache-dir="$tmp/cache" --site-packages="$tmp/site" --python=/usr/bin/python3 \
    --cert=ca.pem --python-version=3.11 --timeout=5 --retries=1 --stats -- requests
same metadata --format=json --site-packages="$tmp/site" --
same which --format=json --snapshot="$snapshot" -- yaml

# one_error SUB ARGS...: exit 2 and exactly one line naming the subcommand.
one_error() {
    what=$1
    shift
    (cd "$tmp/p" && "$bin" "$@" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    lines=$(wc -l <"$tmp/err")
    if [ $rc = 2 ] && [ "$lines" = 1 ] && grep -q "^depaudit: $1: $what" "$tmp/err" &&
        [ ! -s "$tmp/out" ]; then
        echo "ok: $*: $(cat "$tmp/err")"
    else
        echo "FAIL: $* (exit $rc, $lines lines): $(cat "$tmp/err")"
        fail=1
    fi
}

for sub in check imports installs resolve metadata which; do
    one_error "unknown option '--frob' (see depaudit $sub --help)" $sub --frob x
    one_error "unknown option '--frob' (see depaudit $sub --help)" $sub --frob=1 x
    one_error "--format needs a value" $sub x --format
    one_error "--format must be " $sub --format=yaml x
done
for sub in check imports installs resolve metadata; do
    one_error "--python-version must be 3.Y or 3.Y.Z, not '3'" $sub --python-version=3 x
done
one_error "--offline takes no value" check --offline=yes src
one_error "--threads must be a whole number from 1 to 64, not '0'" imports --threads=0 src
one_error "--retries must be a whole number from 0 to 20, not '99'" metadata --retries=99 x
exit $fail
