#!/usr/bin/python3
"""A reverse proxy that adds a fixed delay to every request, to show that the metadata
client's requests are concurrent (benchmarks only).

    delay_proxy.py [--delay SECONDS] [--url-file FILE] [--lifetime SECONDS] UPSTREAM_URL

Forwards GET/HEAD with the request's Accept, Range, If-None-Match, If-Modified-Since and
User-Agent to UPSTREAM_URL (e.g. the nginx of mirror_server.sh) after sleeping --delay
(default 0.05) seconds, and relays status, headers and body. Loopback only, threaded, exits
after --lifetime seconds (default 600). Prints its base URL. Standard library only.
"""
import argparse
import http.client
import http.server
import os
import sys
import threading
import time
import urllib.parse

FORWARD = ("Accept", "Range", "If-None-Match", "If-Modified-Since", "User-Agent")
RELAY = ("Content-Type", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified",
         "Cache-Control", "Location", "Vary", "Retry-After")


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY the peer's delayed
    # ACK adds ~40 ms to every response.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        time.sleep(self.server.delay)
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port or 80, timeout=30)
        headers = {k: self.headers[k] for k in FORWARD if self.headers.get(k)}
        try:
            conn.request(self.command, self.path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        except OSError as e:
            msg = ("upstream: %s\n" % e).encode()
            self.send_response(502)
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        finally:
            conn.close()
        self.send_response(resp.status)
        for k in RELAY:
            v = resp.getheader(k)
            if v:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("upstream")
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--url-file")
    ap.add_argument("--lifetime", type=float, default=600.0)
    args = ap.parse_args(argv)
    srv = Server(("127.0.0.1", 0), Proxy)
    srv.delay = max(0.0, min(args.delay, 5.0))
    srv.upstream = urllib.parse.urlsplit(args.upstream)
    url = "http://127.0.0.1:%d" % srv.server_address[1]
    if args.url_file:
        with open(args.url_file + ".tmp", "w") as f:
            f.write(url + "\n")
        os.replace(args.url_file + ".tmp", args.url_file)
    print(url, flush=True)
    timer = threading.Timer(min(args.lifetime, 3600.0), srv.shutdown)
    timer.daemon = True
    timer.start()
    srv.serve_forever(poll_interval=0.1)
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
