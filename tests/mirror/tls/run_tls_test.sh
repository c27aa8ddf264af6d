#!/bin/sh
# Builds a mirror tree, serves it over HTTPS with tls_server.sh (fresh CA and keys in the
# work dir), runs the test command, and always stops nginx.
#   run_tls_test.sh SOURCE_DIR WORK_DIR PYTHON3 COMMAND [ARGS...]
# The command gets DA_WORK (scratch dir), DA_TLS_CA (the CA's certificate), DA_GOOD_URL,
# DA_WRONG_URL, DA_AUTH_URL, DA_H1_URL (https://127.0.0.1:PORT, see tls_server.sh) and
# DA_TLS_USER / DA_TLS_PASS (the basic-auth credentials of DA_AUTH_URL), and DA_SLOW=1
# when the servers answer /slow/... after 0.3 s.
set -eu
src=$1
work=$2
py=$3
shift 3
here=$src/tests/mirror/tls
trap 'sh "$here/tls_server.sh" stop "$work/server" || true' EXIT
trap 'exit 130' INT TERM
sh "$here/tls_server.sh" stop "$work/server" 2>/dev/null || true
rm -rf "$work"
mkdir -p "$work"
"$py" "$src/tests/mirror/tools/build_mirror.py" --debian-wheels "$work/mirror" \
    "$src/tests/mirror/fixtures"
sh "$here/tls_server.sh" start "$work/server" "$work/mirror"
# shellcheck source=/dev/null
. "$work/server/ports.env"
# shellcheck source=/dev/null
. "$work/server/pki/creds"
# Only the CA bundle a test names may be trusted: no environment override of OpenSSL's.
unset SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE PIP_CERT
status=0
DA_WORK=$work DA_TLS_CA=$work/server/pki/ca.pem \
    DA_GOOD_URL=https://127.0.0.1:$GOOD_PORT DA_WRONG_URL=https://127.0.0.1:$WRONG_PORT \
    DA_AUTH_URL=https://127.0.0.1:$AUTH_PORT DA_H1_URL=https://127.0.0.1:$H1_PORT \
    DA_SLOW=$SLOW DA_TLS_USER=$TLS_USER DA_TLS_PASS=$TLS_PASS "$@" || status=$?
exit $status
