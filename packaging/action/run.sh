#!/bin/sh
# The step of action.yml: runs depaudit check with the action's inputs (environment
# variables DEPAUDIT_*), records its exit code in $GITHUB_OUTPUT, and exits with it
# (format sarif: exits 0 so the upload step runs; the action's last step fails the job).
# Runs anywhere (tests/packaging runs it with the built binary); uses depaudit from PATH,
# else builds and runs the image of the action's own Dockerfile.
set -u
format=${DEPAUDIT_FORMAT:-github}
case $format in
github | sarif) ;;
*) echo "depaudit action: format must be github or sarif, not '$format'" >&2; exit 2 ;;
esac
set -- check --format "$format" --fail-on "${DEPAUDIT_FAIL_ON:-error}"
[ "${DEPAUDIT_OFFLINE:-true}" = true ] && set -- "$@" --offline
# Word splitting of the paths and extra arguments is wanted: they are lists.
# shellcheck disable=SC2086
set -- "$@" ${DEPAUDIT_ARGS:-} ${DEPAUDIT_PATHS:-. Dockerfile}

if command -v depaudit >/dev/null 2>&1; then
    run() { depaudit "$@"; }
else
    image=depaudit-action:local
    docker build -q -t "$image" "${DEPAUDIT_ACTION_DIR:?}" >/dev/null || exit 3
    run() { docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" -w /src "$image" "$@"; }
fi

if [ "$format" = sarif ]; then
    run "$@" >"${DEPAUDIT_SARIF_FILE:-depaudit.sarif}"
else
    run "$@"
fi
rc=$?
[ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$rc" >>"$GITHUB_OUTPUT"
[ "$format" = sarif ] && [ "$rc" -le 1 ] && exit 0
exit "$rc"
