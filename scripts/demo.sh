#!/bin/sh
# README command 1: set everything up, build, and audit the demo project offline.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root/corpus/demo"
set +e
"$root/build/depaudit" --offline src Dockerfile
rc=$?
echo "depaudit exited with $rc (1 means it found problems, as expected for this demo)"
[ "$rc" -le 1 ]
