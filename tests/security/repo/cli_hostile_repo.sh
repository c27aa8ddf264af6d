#!/bin/sh
# A hostile build context through the whole binary (check in every format, installs):
#   - requirements.txt is a link to a file outside the context holding a planted secret,
#     src/etc a link to a directory outside it, pyproject.toml a link to /dev/zero;
#   - constraints.txt is a FIFO nobody writes to; src/big.py is over the source limit;
#   - a source file's name holds ESC sequences and a newline forging a finding line.
# Asserted: every run ends (no hang, no crash), nothing of the outside files is printed,
# each refusal names its file and reason, no raw control character reaches the text or
# GitHub output, no forged line appears, JSON and SARIF parse.
#   cli_hostile_repo.sh DEPAUDIT WORKDIR
set -eu
depaudit=$1
work=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
rm -rf "$work"
mkdir -p "$work/outside/mod" "$work/ctx/src"
ctx=$work/ctx
printf 'SECRET_LINE_planted==1.0\n' >"$work/outside/secret.txt"
printf 'import secret_mod_planted\n' >"$work/outside/mod/leak.py"
ln -s ../outside/secret.txt "$ctx/requirements.txt"
ln -s ../../outside/mod "$ctx/src/etc"
ln -s /dev/zero "$ctx/pyproject.toml"
mkfifo "$ctx/constraints.txt"
printf 'import flask\n' >"$ctx/src/app.py"
# over DA_SOURCE_FILE_MAX (8 MiB), sparse: skipped from its size, never parsed
dd if=/dev/null of="$ctx/src/big.py" bs=1 seek=9437184 2>/dev/null
evil=$(printf '\033[2J\033]0;pwned\007evil\nDA001 forged')
printf 'import yaml\n' >"$ctx/src/$evil.py"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt constraints.txt pyproject.toml ./
RUN pip install flask -r requirements.txt -c constraints.txt
RUN pip install .
COPY src/ .
CMD ["python", "app.py"]
DOCKERFILE
for f in text json sarif github; do
    rc=0
    (cd "$ctx" && timeout 120 "$depaudit" check --offline --verbose --format "$f" src Dockerfile) \
        >"$work/out.$f" 2>"$work/err.$f" || rc=$?
    [ "$rc" -ne 124 ] || fail "check --format $f hung"
    [ "$rc" -lt 4 ] || fail "check --format $f: exit $rc (a crash?): $(cat "$work/err.$f")"
done
rc=0
(cd "$ctx" && timeout 120 "$depaudit" installs Dockerfile) >"$work/out.installs" \
    2>"$work/err.installs" || rc=$?
[ "$rc" -ne 124 ] || fail "installs hung"
[ "$rc" -lt 4 ] || fail "installs: exit $rc"
all="$work/out.text $work/out.json $work/out.sarif $work/out.github $work/err.text
     $work/err.json $work/err.sarif $work/err.github $work/out.installs $work/err.installs"
# shellcheck disable=SC2086
! grep -l -e SECRET_LINE_planted -e secret_mod_planted $all || fail "an outside file was read"
# shellcheck disable=SC2086
grep -q 'requirements.txt.*leads outside' $all || fail "the link out is not named"
# shellcheck disable=SC2086
grep -q 'constraints.txt.*a FIFO' $all || fail "the FIFO is not named"
# shellcheck disable=SC2086
grep -q 'big.py.*larger than 8 MiB' $all || fail "the huge source is not named"
# shellcheck disable=SC2086
grep -q 'src/etc.*outside' $all || fail "the directory link out is not named"
for f in text github; do
    ! grep -q "$(printf '\033')" "$work/out.$f" "$work/err.$f" ||
        fail "a raw ESC in the $f output"
    ! grep -q '^DA001 forged' "$work/out.$f" "$work/err.$f" || fail "a forged line in $f"
done
grep -q 'evil\\x0aDA001 forged\|evil%0ADA001 forged' "$work/out.text" "$work/out.github" \
    "$work/err.text" || fail "the escaped name is not shown"
python3 -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' \
    "$work/out.json" "$work/out.sarif" || fail "JSON or SARIF does not parse"
echo "ok: hostile repository refused, named, escaped"
