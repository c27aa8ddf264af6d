#!/usr/bin/python3
"""A package-index server that misbehaves on purpose, for the metadata client's fault tests.

Usage:
    fault_server.py [--url-file FILE] [--lifetime SECONDS] [--stall SECONDS] DIR

Serves the mirror tree DIR (from build_mirror.py) on a free loopback port and prints the
base URL on stdout (and into --url-file). The first path component picks the fault; the
rest is the path inside DIR:

    /ok/...            well-behaved: PEP 691 negotiation, single byte ranges
    /flaky500/...      the first request for each path answers 500, later ones 200
    /always500/...     every request answers 503
    /ratelimit/...     the first request for each path answers 429 with Retry-After: 1
    /stall/...         sends nothing for --stall seconds (past any client timeout)
    /truncated/...     Content-Length larger than the body, then the connection closes
    /truncjson/...     JSON pages cut in half, sent whole (Content-Length of the cut page):
                       a 200 whose body is not a page
    /wronghash/...     files (wheels, .metadata) with one byte changed: hashes mismatch
    /norange/...       ignores Range and always sends the whole file with 200
    /htmlonly/...      ignores Accept: always the PEP 503 HTML page
    /redirect/...      301 to the same path under /ok/
    /redirectloop/...  302 to itself, forever
    /maxage0/...       well-behaved, but pages say Cache-Control: max-age=0 and carry an ETag
                       (If-None-Match with it gets 304)
    /_requests         JSON: how many requests each fault has seen (for assertions)
    /_useragents       JSON: the User-Agent values seen

Bounded: loopback only, exits after --lifetime seconds (default 300), stalls are capped.
Standard library only.
"""

import argparse
import hashlib
import http.server
import json
import os
import posixpath
import re
import sys
import threading
import time
import urllib.parse

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
MODES = {"ok", "flaky500", "always500", "ratelimit", "stall", "truncated", "truncjson",
         "wronghash", "norange", "htmlonly", "redirect", "redirectloop", "maxage0"}


class State:
    def __init__(self, root, stall):
        self.root = root
        self.stall = stall
        self.lock = threading.Lock()
        self.seen = {}  # (mode, path) -> count
        self.per_mode = {}
        self.user_agents = set()
        self.stop = threading.Event()

    def hit(self, mode, path):
        with self.lock:
            key = (mode, path)
            self.seen[key] = self.seen.get(key, 0) + 1
            self.per_mode[mode] = self.per_mode.get(mode, 0) + 1
            return self.seen[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY the peer's delayed
    # ACK adds ~40 ms to every response.
    disable_nagle_algorithm = True
    server_version = "fault-server/1"

    def log_message(self, fmt, *args):
        pass

    def send_plain(self, code, text, extra=()):
        body = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        st = self.server.state
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/", 2)
        with st.lock:
            st.user_agents.add(self.headers.get("User-Agent", ""))
        if url.path == "/_useragents":
            with st.lock:
                return self.send_plain(200, json.dumps(sorted(st.user_agents)))
        if url.path == "/_requests":
            with st.lock:
                return self.send_plain(200, json.dumps(st.per_mode, sort_keys=True))
        if len(parts) < 3 or parts[1] not in MODES:
            return self.send_plain(404, "unknown fault mode\n")
        mode, rest = parts[1], "/" + parts[2]
        n = st.hit(mode, rest)
        if mode == "flaky500" and n == 1:
            return self.send_plain(500, "internal error (on purpose)\n")
        if mode == "always500":
            return self.send_plain(503, "unavailable (on purpose)\n")
        if mode == "ratelimit" and n == 1:
            return self.send_plain(429, "slow down\n", [("Retry-After", "1")])
        if mode == "redirect":
            return self.send_plain(301, "moved\n", [("Location", "/ok" + rest)])
        if mode == "redirectloop":
            return self.send_plain(302, "again\n", [("Location", url.path)])
        if mode == "stall":
            deadline = time.monotonic() + st.stall
            while time.monotonic() < deadline and not st.stop.is_set():
                time.sleep(0.05)
            self.close_connection = True
            return
        path = self.resolve(rest)
        if path is None:
            return self.send_plain(404, "not found\n")
        ctype = "application/octet-stream"
        if os.path.isdir(path):
            accept = self.headers.get("Accept", "")
            json_page = os.path.join(path, "index.v1_json")
            if mode != "htmlonly" and JSON_TYPE in accept and os.path.exists(json_page):
                path, ctype = json_page, JSON_TYPE
            else:
                path, ctype = os.path.join(path, "index.html"), "text/html"
            if not os.path.exists(path):
                return self.send_plain(404, "not found\n")
        with open(path, "rb") as f:
            data = f.read()
        if mode == "truncjson" and path.endswith(".v1_json"):
            data = data[:len(data) // 2]
        if mode == "wronghash" and not path.endswith((".html", ".v1_json")) and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        extra = []
        if mode == "maxage0" and path.endswith((".html", ".v1_json")):
            etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
            extra = [("Cache-Control", "max-age=0"), ("ETag", etag)]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                for k, v in extra:
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        start, end, code = 0, len(data), 200
        rng = self.headers.get("Range")
        if rng and mode != "norange":
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = min(len(data), int(m.group(2)) + 1) if m.group(2) else len(data)
                else:
                    start = max(0, len(data) - int(m.group(2)))
                if start >= len(data) or start >= end:
                    return self.send_plain(416, "range not satisfiable\n",
                                           [("Content-Range", "bytes */%d" % len(data))])
                code = 206
        body = data[start:end]
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        declared = len(body) + (1000 if mode == "truncated" else 0)
        self.send_header("Content-Length", str(declared))
        for k, v in extra:
            self.send_header(k, v)
        if code == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end - 1, len(data)))
        if mode != "norange":
            self.send_header("Accept-Ranges", "bytes")
        if mode == "truncated":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def resolve(self, rest):
        clean = posixpath.normpath(urllib.parse.unquote(rest))
        if ".." in clean.split("/") or "/." in clean:
            return None
        path = os.path.join(self.server.state.root, clean.lstrip("/"))
        return path if os.path.exists(path) else None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--url-file")
    ap.add_argument("--lifetime", type=float, default=300.0)
    ap.add_argument("--stall", type=float, default=20.0)
    args = ap.parse_args(argv)
    if not os.path.isdir(args.dir):
        print("fault_server: %s: not a directory" % args.dir, file=sys.stderr)
        return 2
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(os.path.abspath(args.dir), min(args.stall, 60.0))
    url = "http://127.0.0.1:%d" % srv.server_address[1]
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(url + "\n")
        os.replace(tmp, args.url_file)
    print(url, flush=True)

    def expire():
        srv.state.stop.set()
        srv.shutdown()

    timer = threading.Timer(min(args.lifetime, 3600.0), expire)
    timer.daemon = True
    timer.start()
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    srv.state.stop.set()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
