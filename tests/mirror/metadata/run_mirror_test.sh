#!/bin/sh
# Builds the mirror trees the metadata client tests read, serves them with nginx and the
# fault server on free loopback ports, runs the test binary, and always stops both.
#   run_mirror_test.sh SOURCE_DIR WORK_DIR PYTHON3 TEST_BINARY [ARGS...]
# The binary finds the servers in DA_MIRROR_URL (nginx; trees full/, htmlonly/, nometa/,
# padded/, padded-nometa/
# under it), DA_FAULT_URL (fault_server.py over full/) and DA_WORK (scratch dir).
set -eu
src=$1
work=$2
py=$3
shift 3
tools=$src/tests/mirror/tools
fixtures="$src/tests/mirror/fixtures $src/tests/mirror/metadata/fixtures"
fpid=""
cleanup() {
    "$tools/mirror_server.sh" stop "$work/trees" || true
    if [ -n "$fpid" ]; then
        kill "$fpid" 2>/dev/null || true
        wait "$fpid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -e "$work/trees/.mirror-server" ]; then
    "$tools/mirror_server.sh" stop "$work/trees" || true
fi
rm -rf "$work"
mkdir -p "$work/trees"
"$py" "$tools/build_mirror.py" --debian-wheels "$work/trees/full" $fixtures
"$py" "$tools/build_mirror.py" --html-only "$work/trees/htmlonly" $fixtures
"$py" "$tools/build_mirror.py" --debian-wheels --no-metadata-files "$work/trees/nometa" $fixtures
"$py" "$tools/build_mirror.py" --pad wrapt --pad opentelemetry-api "$work/trees/padded" $fixtures
"$py" "$tools/build_mirror.py" --no-metadata-files --pad opentelemetry-api \
    "$work/trees/padded-nometa" $fixtures
url=$("$tools/mirror_server.sh" start "$work/trees")
"$py" "$tools/fault_server.py" --url-file "$work/fault.url" --lifetime 300 --stall 30 \
    "$work/trees/full" >/dev/null &
fpid=$!
i=0
while [ ! -s "$work/fault.url" ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
[ -s "$work/fault.url" ] || { echo "fault server did not start" >&2; exit 1; }
status=0
DA_MIRROR_URL=$url DA_FAULT_URL=$(cat "$work/fault.url") DA_WORK=$work "$@" || status=$?
exit $status
