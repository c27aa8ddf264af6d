#!/bin/sh
# `depaudit metadata`, `resolve` and `check` against the hostile index (run through
# run_hostile_index.sh):   cli_hostile_index.sh DEPAUDIT PYTHON3
# Every hostile answer is a clear error naming the URL, never a crash; an invalid project
# name sends no request at all; a page for another project is refused; a cache entry cut
# short heals on the next run instead of failing every run.
set -eu
depaudit=$1
py=$2
idx="$DA_HOSTILE_URL/simple/"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# run NAME COMMAND...: output (both streams) into $DA_WORK/NAME.out, exit code into rc.
run() {
    out="$DA_WORK/$1.out"
    shift
    rc=0
    "$@" >"$out" 2>&1 || rc=$?
    [ "$rc" -lt 128 ] || fail "$*: killed by signal $((rc - 128)); output: $(cat "$out")"
}
expect() { # FILE TEXT
    grep -qF -- "$2" "$1" || fail "$1 lacks \"$2\": $(cat "$1")"
}

# 1. Wheels whose end records lie (the ZIP64 locator near INT64_MAX segfaulted `metadata`
#    and `check`): exit 3, the reason and the file's URL.
for case in "zip64-locator|ZIP64 locator points at byte 9223372036854775792" \
    "zip64-wrap|central directory (offset" "many-entries|entries cannot fit"; do
    name=${case%%|*}
    reason=${case#*|}
    run "$name" "$depaudit" metadata --no-snapshot --no-cache --index-url "$idx" "$name==1.0"
    [ "$rc" = 3 ] || fail "metadata $name: exit $rc, want 3"
    expect "$DA_WORK/$name.out" "$reason"
    expect "$DA_WORK/$name.out" "$DA_HOSTILE_URL/packages/$name/"
done
proj=$DA_WORK/project
mkdir -p "$proj"
printf 'FROM python:3.11-slim\nRUN pip install zip64-locator==1.0 honest\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n' \
    >"$proj/Dockerfile"
printf 'import honest\nimport zip64_locator\n' >"$proj/app.py"
run check "$depaudit" check --cache-dir "$DA_WORK/check-cache" --index-url "$idx" \
    "$proj" "$proj/Dockerfile"
[ "$rc" = 1 ] || [ "$rc" = 3 ] || fail "check: exit $rc"
expect "$DA_WORK/check.out" "ZIP64 locator points at byte 9223372036854775792"
run resolve "$depaudit" resolve --cache-dir "$DA_WORK/resolve-cache" --index-url "$idx" \
    "zip64-locator==1.0"
[ "$rc" = 3 ] || fail "resolve: exit $rc, want 3"
expect "$DA_WORK/resolve.out" "ZIP64 locator points at byte 9223372036854775792"

# 2. Names that are not distribution names never reach a URL.
for name in 'x?y=1#frag' '../../etc/passwd' 'a b' '..' 'zipp/../honest'; do
    run badname "$depaudit" metadata --no-snapshot --no-cache --index-url "$idx" "$name"
    [ "$rc" != 0 ] || fail "metadata '$name': exit 0"
    expect "$DA_WORK/badname.out" "is not a valid distribution name"
done
if grep -E 'y=1|frag|passwd|a%20b|a b|\.\./|/simple/ HTTP|/simple/\.\.' "$DA_NGINX_LOG"; then
    fail "a request left for an invalid name"
fi

# 3. A JSON page that names another project.
run renamed "$depaudit" metadata --no-snapshot --no-cache --index-url "$idx" renamed
[ "$rc" = 3 ] || fail "renamed: exit $rc, want 3"
expect "$DA_WORK/renamed.out" 'page of project "evil-twin" when asked for "renamed"'

# 4. The cache: every entry cut short (header intact, the probe's case), then every entry
#    with one byte changed. Each next run answers as the first did and leaves whole entries.
cache=$DA_WORK/cache
run warm "$depaudit" metadata --format json --no-snapshot --cache-dir "$cache" \
    --index-url "$idx" honest==1.0
[ "$rc" = 0 ] || fail "warm: exit $rc: $(cat "$DA_WORK/warm.out")"
for damage in truncate flip; do
    "$py" - "$cache/v2" "$damage" <<'PY'
import os, sys
root, damage = sys.argv[1], sys.argv[2]
n = 0
for d in ("pages", "releases"):
    for name in os.listdir(os.path.join(root, d)):
        path = os.path.join(root, d, name)
        data = open(path, "rb").read()
        head = data.index(b"\n") + 1
        if damage == "truncate":
            data = data[:head + (len(data) - head) // 2]
        else:
            i = head + (len(data) - head) // 3
            data = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
        open(path, "wb").write(data)
        n += 1
if n < 2:
    sys.exit("only %d cache entries to damage" % n)
PY
    run "healed-$damage" "$depaudit" metadata --format json --stats --no-snapshot \
        --cache-dir "$cache" --index-url "$idx" honest==1.0
    [ "$rc" = 0 ] || fail "after $damage: exit $rc: $(cat "$DA_WORK/healed-$damage.out")"
    "$py" - "$DA_WORK/warm.out" "$DA_WORK/healed-$damage.out" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
strip = lambda d: [(x["name"], x["version"], x["release"]["modules"]) for x in d["distributions"]]
assert strip(a) == strip(b), (a, b)
assert b["stats"]["requests"] >= 2, b["stats"]  # fetched again, not trusted
PY
    run "again-$damage" "$depaudit" metadata --format json --stats --no-snapshot \
        --cache-dir "$cache" --index-url "$idx" honest==1.0
    "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["stats"]["requests"] == 0, d["stats"]' \
        "$DA_WORK/again-$damage.out" || fail "the healed cache does not answer alone"
done
echo "cli_hostile_index: ok"
