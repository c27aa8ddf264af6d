#!/bin/sh
# A throwaway certificate authority and an nginx HTTPS server for the TLS tests.
#
#   tls_server.sh start WORK MIRROR   makes WORK/pki (CA, certificates, htpasswd), starts
#                                     nginx over the MIRROR tree and writes WORK/ports.env
#   tls_server.sh stop WORK           stops that nginx (safe to call twice)
#
# Keys are generated at test time into WORK and never committed. One nginx, four HTTPS
# listeners on free loopback ports, all over the same tree:
#   GOOD_PORT   certificate for 127.0.0.1 / localhost signed by the CA, HTTP/2 offered
#   WRONG_PORT  certificate signed by the same CA but for another host name only
#   AUTH_PORT   like GOOD_PORT, behind HTTP basic auth (user/password in WORK/pki/creds)
#   H1_PORT     like GOOD_PORT without HTTP/2 (the contrast for the multiplexing test)
# Content negotiation (PEP 691) is the same as tests/mirror/tools/mirror_server.sh.
# When nginx's echo module is installed (nginx-light depends on it), every listener also
# answers /slow/<anything> after 0.3 s, and ports.env says SLOW=1: requests that stay in
# flight long enough that HTTP/1.1 cannot serve a batch over one connection.
set -eu

die() {
    echo "tls_server.sh: $*" >&2
    exit 2
}

[ $# -ge 2 ] || die "usage: tls_server.sh start WORK MIRROR | stop WORK"
cmd=$1
work=$2

make_pki() { # dir
    pki=$1
    mkdir -p "$pki"
    # EC keys: quick to generate, so every run gets fresh ones.
    ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    # shellcheck disable=SC2086
    openssl req -x509 $ec -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 2 \
        -subj "/CN=depaudit test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    for which in good wrong; do
        if [ $which = good ]; then
            san="subjectAltName=IP:127.0.0.1,DNS:localhost"
            cn=127.0.0.1
        else
            san="subjectAltName=DNS:wrong-host.invalid"
            cn=wrong-host.invalid
        fi
        printf '%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" \
            >"$pki/$which.ext"
        # shellcheck disable=SC2086
        openssl req $ec -keyout "$pki/$which.key" -out "$pki/$which.csr" -subj "/CN=$cn" \
            2>/dev/null
        openssl x509 -req -in "$pki/$which.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
            -CAcreateserial -out "$pki/$which.pem" -days 2 -extfile "$pki/$which.ext" \
            2>/dev/null
    done
    # Credentials unlike anything else in the outputs, so a leak is unambiguous.
    user="tlsuser$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
    pass="pw$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
    printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$pass")" >"$pki/htpasswd"
    printf 'TLS_USER=%s\nTLS_PASS=%s\n' "$user" "$pass" >"$pki/creds"
}

free_ports() { # count: distinct free loopback ports, one a line
    /usr/bin/python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

server_block() { # port listen-flags cert extra
    cat <<EOF
    server {
        listen 127.0.0.1:$1 $2;
        ssl_certificate $pki/$3.pem;
        ssl_certificate_key $pki/$3.key;
        root $mirror;
        $4
        location ~ /\\. { deny all; }
        $slow_location
        location / {
            index \$simple_index index.html;
            add_header Vary Accept;
        }
    }
EOF
}

write_conf() { # good wrong auth h1
    user_line=""
    if [ "$(id -u)" = 0 ]; then
        user_line="user root;"
    fi
    cat >"$state/nginx.conf" <<EOF
$user_line
$load_echo
worker_processes 1;
daemon on;
pid $state/nginx.pid;
error_log $state/error.log warn;
events { worker_connections 256; }
http {
    access_log $state/access.log;
    client_body_temp_path $state/tmp/body;
    proxy_temp_path $state/tmp/proxy;
    fastcgi_temp_path $state/tmp/fastcgi;
    uwsgi_temp_path $state/tmp/uwsgi;
    scgi_temp_path $state/tmp/scgi;
    types {
        text/html html;
        application/vnd.pypi.simple.v1+json v1_json;
        application/octet-stream whl metadata;
        application/gzip gz;
    }
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 10000;
    ssl_protocols TLSv1.2 TLSv1.3;
    map \$http_accept \$simple_index {
        default index.html;
        "~application/vnd\\.pypi\\.simple\\.v1\\+json" index.v1_json;
    }
$(server_block "$1" "ssl http2" good "")
$(server_block "$2" "ssl http2" wrong "")
$(server_block "$3" "ssl http2" good "auth_basic \"depaudit test index\"; auth_basic_user_file $pki/htpasswd;")
$(server_block "$4" "ssl" good "")
}
EOF
}

stop_server() {
    [ -s "$work/nginx/nginx.pid" ] || return 0
    pid=$(cat "$work/nginx/nginx.pid")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$work/nginx/nginx.pid"
}

case $cmd in
start)
    [ $# -eq 3 ] || die "usage: tls_server.sh start WORK MIRROR"
    mirror=$(cd "$3" && pwd) || die "$3: no such directory"
    mkdir -p "$work"
    work=$(cd "$work" && pwd)
    stop_server
    pki=$work/pki
    state=$work/nginx
    rm -rf "$pki" "$state"
    mkdir -p "$state/tmp"
    make_pki "$pki"
    echo_module=/usr/lib/nginx/modules/ngx_http_echo_module.so
    load_echo=""
    slow_location=""
    slow=0
    if [ -f "$echo_module" ]; then
        load_echo="load_module $echo_module;"
        slow_location="location /slow/ { echo_sleep 0.3; echo slow; }"
        slow=1
    fi
    attempt=0
    while :; do
        attempt=$((attempt + 1))
        # shellcheck disable=SC2046
        set -- $(free_ports 4)
        write_conf "$@"
        if nginx -q -p "$state" -c "$state/nginx.conf" -e "$state/error.log" \
            2>"$state/start.err"; then
            break
        fi
        # Another test may have taken a port between our probe and nginx's bind.
        if [ $attempt -ge 10 ] ||
            ! grep -q "Address already in use" "$state/start.err" "$state/error.log" 2>/dev/null; then
            cat "$state/start.err" "$state/error.log" >&2 2>/dev/null || true
            die "nginx did not start"
        fi
    done
    printf 'GOOD_PORT=%s\nWRONG_PORT=%s\nAUTH_PORT=%s\nH1_PORT=%s\nSLOW=%s\n' "$@" "$slow" \
        >"$work/ports.env"
    i=0
    while [ ! -s "$state/nginx.pid" ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -s "$state/nginx.pid" ] || die "nginx wrote no pid file"
    ;;
stop)
    work=$(cd "$work" 2>/dev/null && pwd) || exit 0
    stop_server
    ;;
*)
    die "usage: tls_server.sh start WORK MIRROR | stop WORK"
    ;;
esac
