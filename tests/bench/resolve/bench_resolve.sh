#!/bin/sh
# Resolver benchmark, run by hand (not registered with ctest):
#
#   tests/bench/resolve/bench_resolve.sh BUILD_DIR
#
# Resolves a 40-requirement list modelled on the seed incident's Dockerfile (see
# make_fixture.py: 122 projects, ~1,700 releases) over a local nginx mirror built with
# tests/mirror/tools, with depaudit's resolver and real metadata client
# (BUILD_DIR/tests/oracle/resolve/resolve_driver, index mode) and with pip 23
# (`pip install --dry-run --report`), each cold (empty cache) and warm (second run with the
# same cache), and prints wall time, HTTP requests and bytes served (from nginx's access
# log) for each, the ratios, and whether both resolved to the same set.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=${1:?usage: bench_resolve.sh BUILD_DIR}
driver=$build/tests/oracle/resolve/resolve_driver
tools=$src/tests/mirror/tools
py=/usr/bin/python3
[ -x "$driver" ] || { echo "build resolve_driver first: $driver" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/resolve-bench.XXXXXX")
cleanup() { "$tools/mirror_server.sh" stop "$work/mirror" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

$py "$here/make_fixture.py" "$work/index.json" "$work/requirements.txt"
$py - "$work" <<'PY'
import json, sys
w = sys.argv[1]
d = json.load(open(w + "/index.json"))
d["requirements"] = open(w + "/requirements.txt").read().split()
d["python"] = "3.11"
json.dump(d, open(w + "/scenario.json", "w"))
PY
t0=$(date +%s.%N)
# HTML pages: pip 23.0 cannot read the PEP 691 JSON form of core-metadata
$py "$tools/build_mirror.py" --html-only "$work/mirror" "$work/index.json" >/dev/null
t1=$(date +%s.%N)
echo "mirror built in $(echo "$t1 - $t0" | bc) s"
url=$("$tools/mirror_server.sh" start "$work/mirror")
log=$(cat "$work/mirror/.mirror-server")/access.log

# run LABEL OUTFILE CMD...: wall time, requests and bytes served during CMD.
run() {
    label=$1 out=$2
    shift 2
    before=$(wc -l <"$log")
    s=$(date +%s.%N)
    "$@" >"$out" 2>"$out.err" || echo "($label exited $?: $(tail -n 2 "$out.err"))"
    e=$(date +%s.%N)
    sleep 0.2 # let nginx write its last log lines
    stats=$(tail -n +"$((before + 1))" "$log" | awk '{n++; b += $10} END {printf "%d %d", n, b}')
    printf '%-22s %8.2f s %6s requests %10s bytes\n' "$label" "$(echo "$e - $s" | bc)" \
        ${stats% *} ${stats#* }
    echo "$label $(echo "$e - $s" | bc) $stats" >>"$work/results"
}

pip_cmd() {
    env -u PIP_FIND_LINKS -u PIP_CERT -u PIP_DEFAULT_TIMEOUT -u PIP_INDEX_URL \
        -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null $py -m pip install --dry-run --report "$work/pip-report.json" \
        --quiet --ignore-installed --disable-pip-version-check --no-input --index-url "$url/simple/" \
        --python-version 3.11 --only-binary=:all: --target "$work/target" "$@" \
        -r "$work/requirements.txt"
}

run "depaudit cold" "$work/d1" "$driver" "$work/scenario.json" "$url/simple/" "$work/dcache"
run "depaudit warm" "$work/d2" "$driver" "$work/scenario.json" "$url/simple/" "$work/dcache"
run "pip cold" "$work/p1" pip_cmd --cache-dir "$work/pcache"
run "pip warm" "$work/p2" pip_cmd --cache-dir "$work/pcache"

$py - "$work" <<'PY'
import json, re, sys
w = sys.argv[1]
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
r = {}
for line in open(w + "/results"):
    parts = line.split()
    r[" ".join(parts[:2])] = tuple(float(x) for x in parts[2:])
for mode in ("cold", "warm"):
    d, p = r["depaudit " + mode], r["pip " + mode]
    ratio = lambda a, b: ("%.1fx" % (a / b)) if b else "-"
    print("%s: pip/depaudit time %s, requests %s, bytes %s" %
          (mode, ratio(p[0], d[0]), ratio(p[1], d[1]), ratio(p[2], d[2])))
ours = sorted(l.strip() for l in open(w + "/d1") if l.strip())
try:
    rep = json.load(open(w + "/pip-report.json"))
    theirs = sorted("%s==%s" % (norm(i["metadata"]["name"]), i["metadata"]["version"])
                    for i in rep["install"])
except Exception as e:
    theirs = ["pip failed: %s" % e]
print("distributions: depaudit %d, pip %d, same set: %s" % (len(ours), len(theirs), ours == theirs))
if ours != theirs:
    print("only depaudit:", sorted(set(ours) - set(theirs))[:10])
    print("only pip:", sorted(set(theirs) - set(ours))[:10])
PY
