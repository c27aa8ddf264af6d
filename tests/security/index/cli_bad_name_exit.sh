#!/bin/sh
# `depaudit metadata NAME` with NAME not a distribution name is a usage error: exit 2 with
# the library's message, and no request (run through run_hostile_index.sh):
#   cli_bad_name_exit.sh DEPAUDIT
set -eu
depaudit=$1
for name in 'x?y=1#frag' '../../etc/passwd'; do
    rc=0
    "$depaudit" metadata --no-snapshot --no-cache --index-url "$DA_HOSTILE_URL/simple/" \
        "$name" >"$DA_WORK/out" 2>&1 || rc=$?
    [ "$rc" = 2 ] || { echo "FAIL: metadata '$name': exit $rc, want 2" >&2; exit 1; }
    grep -q "is not a valid distribution name" "$DA_WORK/out" ||
        { echo "FAIL: no reason: $(cat "$DA_WORK/out")" >&2; exit 1; }
done
echo "cli_bad_name_exit: ok"
