#!/bin/sh
# Serve a static mirror tree (from build_mirror.py) with nginx on a free loopback port.
#
#   mirror_server.sh start DIR   starts nginx, prints the base URL (http://127.0.0.1:PORT)
#   mirror_server.sh stop DIR    stops the nginx started for DIR and removes its state
#
# nginx runs as the current user with a generated configuration in a private temp dir
# (pid, logs and temp paths there), so parallel tests each get their own server. The
# state dir's path is kept in DIR/.mirror-server (dot files are never served). DIR may
# also hold several trees side by side (DIR/a/simple/..., DIR/b/simple/...).
# Content negotiation follows PEP 691: a request whose Accept names
# application/vnd.pypi.simple.v1+json gets index.v1_json with that Content-Type, anything
# else gets index.html. A tree built with --html-only has no index.v1_json, and nginx
# then falls back to index.html, as an HTML-only index does. Range requests are nginx's
# own static-file support.
set -eu

die() {
    echo "mirror_server.sh: $*" >&2
    exit 2
}

[ $# -eq 2 ] || die "usage: mirror_server.sh start|stop DIR"
cmd=$1
dir=$(cd "$2" 2>/dev/null && pwd) || die "$2: no such directory"
statefile="$dir/.mirror-server"

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_conf() { # state port root
    user_line=""
    if [ "$(id -u)" = 0 ]; then
        user_line="user root;"
    fi
    cat >"$1/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon on;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 256; }
http {
    access_log $1/access.log;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
    types {
        text/html html;
        application/vnd.pypi.simple.v1+json v1_json;
        application/octet-stream whl metadata;
        application/gzip gz;
    }
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 10000;
    map \$http_accept \$simple_index {
        default index.html;
        "~application/vnd\\.pypi\\.simple\\.v1\\+json" index.v1_json;
    }
    server {
        listen 127.0.0.1:$2;
        root $3;
        location ~ /\\. { deny all; }
        location / {
            index \$simple_index index.html;
            add_header Vary Accept;
        }
    }
}
EOF
}

case $cmd in
start)
    [ ! -e "$statefile" ] || die "$dir: a server is already running for it (stop it first)"
    state=$(mktemp -d "${TMPDIR:-/tmp}/depaudit-nginx.XXXXXX")
    mkdir -p "$state/tmp"
    attempt=0
    while :; do
        attempt=$((attempt + 1))
        port=$(free_port)
        write_conf "$state" "$port" "$dir"
        # -e: nginx opens its default error log before reading the config otherwise.
        if nginx -q -p "$state" -c "$state/nginx.conf" -e "$state/error.log" 2>"$state/start.err"; then
            break
        fi
        # Another test may have taken the port between our probe and nginx's bind.
        if [ $attempt -ge 10 ] || ! grep -q "Address already in use" "$state/start.err" "$state/error.log" 2>/dev/null; then
            cat "$state/start.err" "$state/error.log" >&2 2>/dev/null || true
            rm -rf "$state"
            die "nginx did not start"
        fi
    done
    echo "$state" >"$statefile"
    echo "$port" >"$state/port"
    # Wait until it answers (the master has bound the socket once the pid file exists).
    i=0
    while [ ! -s "$state/nginx.pid" ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    echo "http://127.0.0.1:$port"
    ;;
stop)
    [ -e "$statefile" ] || exit 0
    state=$(cat "$statefile")
    if [ -s "$state/nginx.pid" ]; then
        pid=$(cat "$state/nginx.pid")
        kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
            sleep 0.05
            i=$((i + 1))
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    case $state in
    */depaudit-nginx.*) rm -rf "$state" ;;
    esac
    rm -f "$statefile"
    ;;
*)
    die "usage: mirror_server.sh start|stop DIR"
    ;;
esac
