# shellcheck shell=sh
# Shared by the packaging tests: check NAME CONDITION... records a failure and goes on, so
# one run reports every broken piece; finish exits 1 if anything failed.
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() {
    name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
    [ "$fail" -eq 0 ] && echo "all ok"
    exit "$fail"
}
# A copy of the demo project to run in (the installed binary must work from anywhere).
copy_demo() {
    cp -R "$1/corpus/demo" "$2"
}
