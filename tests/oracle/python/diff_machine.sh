#!/bin/sh
# The fast path against the full tree-sitter path over every .py file on this machine (and
# notebooks), not a ctest: it takes minutes. Run by hand after a change to src/python/fast_*:
#   sh tests/oracle/python/diff_machine.sh build/tests/oracle/python/diff_fast_full
# Prints the count compared, the share the fast path settled and every difference (exit 1).
set -eu
tool=${1:-build/tests/oracle/python/diff_fast_full}
roots=""
for r in /usr /root /opt /etc /var /home /srv /work; do
    [ -d "$r" ] && roots="$roots $r"
done
# shellcheck disable=SC2086
exec nice -n 10 "$tool" --max 50 $roots
