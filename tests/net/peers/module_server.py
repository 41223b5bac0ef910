#!/usr/bin/env python3
"""An HTTPS server for volley's remote-module tests: Python's http.server behind a throw-away CA
made with the openssl command. Serves the files of ROOT on 127.0.0.1 and a free port, which it
prints on the first line; writes the CA certificate to CA_OUT (pass it to volley as
SSL_CERT_FILE). Appends the path of every GET (query included) to LOG. Exits when stdin closes.

    module_server.py ROOT CA_OUT LOG

Routes besides the files: /status/CODE (that status), /redirect?to=TARGET (302 to TARGET),
/big.js (a 65 MiB comment: above volley's limit for a module).
"""

import os
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, CA_OUT, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
LOCK = threading.Lock()


def make_certs(d):
    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(d, "ca.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
    with open(os.path.join(d, "srv.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key")
    run("req", "-new", "-x509", "-key", "ca.key", "-subj", "/CN=volley module test CA",
        "-days", "2", "-extensions", "v3_ca", "-out", "ca.pem")
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "srv.key")
    run("req", "-new", "-key", "srv.key", "-subj", "/CN=127.0.0.1", "-out", "srv.csr")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "srv.ext", "-out", "srv.pem")


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
        self.wfile.write(body)

    def do_GET(self):
        with LOCK, open(LOG, "a") as f:
            f.write(self.path + "\n")
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/status/"):
            code = int(url.path.split("/")[2])
            return self.send(code, b"status %d\n" % code)
        if url.path == "/redirect":
            to = urllib.parse.parse_qs(url.query)["to"][0]
            return self.send(302, b"", [("Location", to)])
        if url.path == "/big.js":
            return self.send(200, b"//" + b" " * (65 << 20) + b"\n")
        full = os.path.realpath(os.path.join(ROOT, url.path.lstrip("/")))
        if not full.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(full):
            return self.send(404, b"not found\n")
        with open(full, "rb") as f:
            self.send(200, f.read(), [("Content-Type", "application/javascript")])


def main():
    d = tempfile.mkdtemp(prefix="volley-modules-")
    make_certs(d)
    with open(os.path.join(d, "ca.pem"), "rb") as src, open(CA_OUT, "wb") as dst:
        dst.write(src.read())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.path.join(d, "srv.pem"), os.path.join(d, "srv.key"))
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
