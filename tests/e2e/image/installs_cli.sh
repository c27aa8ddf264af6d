#!/bin/sh
# `depaudit installs` options and usage errors: exit status 2 with a "depaudit:" message
# naming the problem, 0 with a plan; the text format names what the JSON holds.
set -u
bin=${1:?usage: installs_cli.sh BIN}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err
expect() { # description expected-status command...
    desc=$1 want=$2
    shift 2
    "$@" >$out 2>$err
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL: $desc (exit $got, expected $want)"
        cat $err
        fail=1
    else
        echo "ok: $desc"
    fi
}
contains() { # description file text
    if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: no '$3' in $2"; cat "$2"; fail=1; fi
}
demo=cases/demo_multistage/Dockerfile
expect "help" 0 "$bin" installs --help
contains "help lists --build-arg" $out "--build-arg NAME=VALUE"
expect "no Dockerfile" 2 "$bin" installs
contains "no Dockerfile message" $err "depaudit: installs: no DOCKERFILE given"
expect "unknown option" 2 "$bin" installs --frob $demo
contains "unknown option message" $err "unknown option '--frob'"
expect "bad format" 2 "$bin" installs --format yaml $demo
contains "bad format message" $err "--format must be text or json"
expect "missing value" 2 "$bin" installs $demo --target
contains "missing value message" $err "--target needs a value"
expect "two Dockerfiles" 2 "$bin" installs $demo $demo
expect "unreadable Dockerfile" 2 "$bin" installs cases/does-not-exist/Dockerfile
contains "unreadable names the file" $err "depaudit: cases/does-not-exist/Dockerfile"
expect "bad --python-version" 2 "$bin" installs --python-version 3 $demo
contains "bad --python-version message" $err "--python-version must be 3.Y or 3.Y.Z, not '3'"
expect "bad --platform" 2 "$bin" installs --platform windows/amd64 $demo
contains "bad --platform message" $err "unknown --platform 'windows/amd64'"
expect "text format" 0 "$bin" installs $demo
contains "text names the Python" $out "Python 3.11 on linux/x86_64 (glibc 2.36)"
contains "text names the op and its reach" $out "COPY --from=builder /install /usr/local (cases/demo_multistage/Dockerfile:34)"
contains "text lists a requirement with its line" $out "opentelemetry-sdk==1.21.0  [cases/demo_multistage/Dockerfile:20]"
expect "options with =" 0 "$bin" installs --format=json --platform=linux/arm64 --python-version=3.13.1 --build-arg=X=1 $demo
contains "platform applied" $out '"machine":	"aarch64"'
contains "python override applied" $out '"version":	"3.13.1"'
expect "--context" 0 "$bin" installs --format json --context cases/demo_multistage $demo
contains "context used" $out '"context":	"cases/demo_multistage"'
expect "warnings go to stderr with json" 0 "$bin" installs --format json cases/stage_never_copied/Dockerfile
contains "warning on stderr" $err "depaudit: warning: cases/stage_never_copied/Dockerfile:2: this install does not reach the final image"
exit $fail
