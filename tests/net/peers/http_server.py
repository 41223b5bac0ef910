#!/usr/bin/env python3
"""An independent HTTP/1.1 peer for volley's k6/http interop tests: Python's http.server (from
Debian's python3), keep-alive, on 127.0.0.1 and a free port, which it prints on the first line.
It exits when its stdin closes. Routes:
  /echo       any method: JSON {method, path, headers (lower-case names), body}
  /cookie     200 with `Set-Cookie: peer=py; Path=/`
  /redirect   302 to /echo
  /gzip       a gzip-encoded JSON body
  other       404
"""

import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/echo"):
            doc = {"method": self.command, "path": self.path,
                   "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body": body.decode("utf-8", "replace")}
            self.send(200, json.dumps(doc).encode(), [("Content-Type", "application/json")])
        elif self.path == "/cookie":
            self.send(200, b"ok", [("Set-Cookie", "peer=py; Path=/")])
        elif self.path == "/redirect":
            self.send(302, b"", [("Location", "/echo")])
        elif self.path == "/gzip":
            self.send(200, gzip.compress(b'{"zipped":true}'),
                      [("Content-Encoding", "gzip"), ("Content-Type", "application/json")])
        else:
            self.send(404, b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
