#!/bin/sh
# The command-line contract every subcommand shares: --version, --help, exit code 2 and a
# "depaudit:" message on stderr for usage errors.
set -u
bin=$1
fail=0
check() { # description expected-exit actual-exit
    if [ "$2" != "$3" ]; then echo "FAIL: $1 (exit $3, expected $2)"; fail=1; else echo "ok: $1"; fi
}
out=$("$bin" --version); check "--version exits 0" 0 $?
case $out in "depaudit "[0-9]*) echo "ok: version string";; *) echo "FAIL: version string '$out'"; fail=1;; esac
"$bin" --help >/dev/null; check "--help exits 0" 0 $?
"$bin" --help | grep -q "Exit codes" || { echo "FAIL: --help documents exit codes"; fail=1; }
"$bin" >/dev/null 2>&1; check "no arguments is a usage error" 2 $?
for sub in check imports installs resolve metadata which; do
    "$bin" "$sub" --help >/dev/null; check "$sub --help exits 0" 0 $?
done
err=$("$bin" imports --no-such-option 2>&1 >/dev/null); check "unknown option exits 2" 2 $?
case $err in depaudit:*) echo "ok: error prefix";; *) echo "FAIL: error message '$err'"; fail=1;; esac
exit $fail
