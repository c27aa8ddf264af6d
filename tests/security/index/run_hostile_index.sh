#!/bin/sh
# Serves the hostile index (make_hostile_index.py) with nginx and with the fault server on
# free loopback ports, runs a test command, and always stops both.
#   run_hostile_index.sh SOURCE_DIR WORK_DIR PYTHON3 COMMAND [ARGS...]
# The command finds DA_HOSTILE_URL (nginx: ".../simple/" below it is the index),
# DA_FAULT_URL (fault_server.py over the same tree: "$DA_FAULT_URL/always500/simple/", ...)
# and DA_WORK (a scratch directory of its own).
set -eu
src=$1
work=$2
py=$3
shift 3
tools=$src/tests/mirror/tools
fpid=""
cleanup() {
    "$tools/mirror_server.sh" stop "$work/tree" || true
    if [ -n "$fpid" ]; then
        kill "$fpid" 2>/dev/null || true
        wait "$fpid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -e "$work/tree/.mirror-server" ]; then
    "$tools/mirror_server.sh" stop "$work/tree" || true
fi
rm -rf "$work"
mkdir -p "$work"
"$py" "$src/tests/security/index/make_hostile_index.py" "$src" "$work/tree"
url=$("$tools/mirror_server.sh" start "$work/tree")
"$py" "$tools/fault_server.py" --url-file "$work/fault.url" --lifetime 300 --stall 30 \
    "$work/tree" >/dev/null &
fpid=$!
i=0
while [ ! -s "$work/fault.url" ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
[ -s "$work/fault.url" ] || { echo "fault server did not start" >&2; exit 1; }
mkdir -p "$work/scratch"
status=0
DA_HOSTILE_URL=$url DA_FAULT_URL=$(cat "$work/fault.url") DA_WORK=$work/scratch \
    DA_NGINX_LOG="$(cat "$work/tree/.mirror-server")/access.log" "$@" || status=$?
exit $status
