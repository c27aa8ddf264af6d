#!/bin/sh
# Secrets planted in every repository input format never leave the process: URL
# credentials in requirements (--index-url, --extra-index-url, VCS and direct URLs),
# pip.conf, Dockerfile ARG/ENV/--index-url, a uv.lock, a Pipfile, pyproject's
# [[tool.uv.index]]. check in every format (with --verbose and --diff) and installs in
# both, stdout and stderr, are grepped for the secret.
#   cli_repo_secrets.sh DEPAUDIT WORKDIR
set -eu
depaudit=$1
work=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
secret="Pw-$(date +%s)-s3cr3t"
rm -rf "$work"
p=$work/project
mkdir -p "$p/src"
printf 'import yaml\nimport flask\nimport requests\n' >"$p/src/app.py"
cat >"$p/requirements.txt" <<REQ
--index-url http://bob:$secret@127.0.0.1:9/simple/
--extra-index-url https://$secret@127.0.0.1:9/extra/
flask==3.0.0
git+https://x-access-token:$secret@127.0.0.1:9/org/repo.git#egg=repo
privpkg @ https://u:$secret@127.0.0.1:9/p.whl
REQ
printf '[global]\nindex-url = http://bob:%s@127.0.0.1:9/simple/\n' "$secret" >"$p/pip.conf"
cat >"$p/uv.lock" <<LOCK
version = 1
requires-python = ">=3.11"

[[package]]
name = "private-lib"
version = "1.0"
source = { registry = "https://tok:$secret@127.0.0.1:9/simple" }
wheels = [{ url = "https://tok:$secret@127.0.0.1:9/private_lib-1.0-py3-none-any.whl" }]
LOCK
cat >"$p/pyproject.toml" <<TOML
[project]
name = "demo"
version = "0"
dependencies = ["private-lib"]

[[tool.uv.index]]
url = "https://tok:$secret@127.0.0.1:9/simple"
TOML
cat >"$p/Pipfile" <<PIPFILE
[[source]]
url = "https://tok:$secret@127.0.0.1:9/simple"
name = "private"

[packages]
requests = "*"
PIPFILE
cat >"$p/Dockerfile" <<DOCKERFILE
FROM python:3.11-slim
ARG PIP_INDEX_URL=http://ann:$secret@127.0.0.1:9/simple/
ENV PIP_EXTRA_INDEX_URL=http://ann:$secret@127.0.0.1:9/x/
WORKDIR /app
COPY pip.conf /etc/pip.conf
COPY requirements.txt pyproject.toml uv.lock Pipfile ./
RUN pip install --index-url http://carl:$secret@127.0.0.1:9/simple/ -r requirements.txt
RUN pip install --extra-index-url=http://dan:$secret@127.0.0.1:9/s/ 'bad[=' https://e:$secret@127.0.0.1:9/x.tar.gz
RUN pip install uv && uv sync --frozen
RUN pip install pipenv && pipenv install --system --deploy
COPY src/ .
CMD ["python", "app.py"]
DOCKERFILE
n=0
run() {
    n=$((n + 1))
    rc=0
    (cd "$p" && timeout 120 "$depaudit" "$@") >"$work/$n.out" 2>"$work/$n.err" || rc=$?
    [ "$rc" -lt 4 ] || fail "$*: exit $rc"
    echo "$*" >"$work/$n.what"
}
for f in text json sarif github; do
    run check --offline --verbose --format "$f" src Dockerfile
    run check --offline --diff --format "$f" src Dockerfile
done
run installs Dockerfile
run installs --format json Dockerfile
i=0
while [ $i -lt $n ]; do
    i=$((i + 1))
    for s in out err; do
        if grep -q -- "$secret" "$work/$i.$s"; then
            grep -- "$secret" "$work/$i.$s" | head -3 >&2
            fail "the secret printed on std$s by: $(cat "$work/$i.what")"
        fi
    done
done
# the URLs are there, hidden: the test looked at output that does quote them
cat "$work"/*.out "$work"/*.err | grep -q '\*\*\*@127.0.0.1' || fail "no hidden URL shown"
echo "ok: $n runs, the secret in none"
