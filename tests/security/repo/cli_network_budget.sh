#!/bin/sh
# --timeout, --connect-timeout, --retries and --network-budget reach the network layer
# of check, resolve and metadata: against an index that accepts connections and never
# answers, each run fails in seconds (not minutes) and says metadata was unavailable
# (exit 3), never "nothing to install".
#   cli_network_budget.sh DEPAUDIT WORKDIR
set -eu
depaudit=$1
work=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
rm -rf "$work"
mkdir -p "$work/p"
# a listener with a backlog that is never accepted from: connections succeed, no byte comes
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(120)' "$work/port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
i=0
while [ ! -s "$work/port" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
url="http://127.0.0.1:$(cat "$work/port")/simple/"
printf 'FROM python:3.11-slim\nRUN pip install not-in-any-snapshot-xyz\nCOPY app.py /app/\n' \
    >"$work/p/Dockerfile"
printf 'import not_in_any_snapshot_xyz\n' >"$work/p/app.py"
net="--timeout 1 --connect-timeout 1 --retries 0 --network-budget 3"
for cmd in "metadata --no-snapshot --no-cache not-in-any-snapshot-xyz" \
    "resolve not-in-any-snapshot-xyz" "check $work/p $work/p/Dockerfile"; do
    start=$(date +%s)
    rc=0
    # shellcheck disable=SC2086
    timeout 60 "$depaudit" $cmd $net -i "$url" --cache-dir "$work/cache" >"$work/out" \
        2>"$work/err" || rc=$?
    took=$(($(date +%s) - start))
    [ "$rc" -ne 124 ] || fail "$cmd: still waiting after 60 s"
    [ "$took" -le 8 ] || fail "$cmd: took $took s with a 3 s network budget"
    [ "$rc" -eq 3 ] || fail "$cmd: exit $rc, expected 3 (metadata unavailable): $(cat "$work/err")"
    echo "ok: $cmd: exit $rc after $took s"
done
