#pragma once

// The built-in WebSocket echo server: the peer of benchmarks (`volley echo`) and of the tests.
// Beast server with concrete executor types, one io_context per thread, a coroutine per
// connection. Behaviours are chosen by the URL path (plain and TLS alike), or with
// EchoOptions::chaos by a seeded draw per connection whatever the path (chaos.hpp):
//
//   /                   echo every text and binary message (any path not listed below)
//   /close/<code>       after the handshake, close with <code> (?reason=R); /close/empty sends a
//                       close frame without payload. Waits for the client's reply, then EOF.
//   /reject/<status>    refuse the upgrade: HTTP <status>, header `X-Echo-Reject: <status>`,
//                       body `rejected with <status>\n`
//   /ping               echo, and send a ping `server-ping` after each echo (?every=MS: also
//                       every MS milliseconds)
//   /slow?ms=N          wait N ms before answering the handshake, then echo
//   /hang               read the request and never answer
//   /garbage?kind=K     after the handshake, send a protocol violation K: opcode (reserved
//                       opcode 3, the default), rsv (RSV2), rsv1 (RSV1 without extension),
//                       masked (masked server frame), bigping (126-byte ping), fragping (ping
//                       without FIN), cont (stray continuation), stub (the 2 header bytes of
//                       an opcode-3 frame with a 64-bit length, nothing more), neglen (an
//                       opcode-3 header whose 64-bit length has its top bit set), textneglen
//                       (the same length on a text frame); then wait for EOF
//   /invalid-utf8       send the text frame `a\xffb`, then echo
//   /drop               echo the first message, then close TCP without a close frame
//   /reset              echo the first message, then reset TCP (RST)
//   /binary             send a binary message with bytes 0..255, then echo
//   /fragmented         send `hello world` in 3 text fragments with a ping between, then echo
//   /peer               send the client's IP address as text (e.g. `127.0.0.2`), then echo
//   /noread             never read after the handshake (client writes block); 60 s at most
//   /flood              send text messages back to back until a write fails; 60 s at most
//   /ws/auth            accept the upgrade only with the cookie `session=sess-<user>` or
//                       `Authorization: Bearer tok-<user>` (else refuse as /reject/401 does);
//                       send the text `hello <user>`, then echo
//
// Handshake details: the first offered subprotocol is accepted; permessage-deflate is
// negotiated when EchoOptions::compression is on and the client offers it. A request that is
// not an upgrade gets 426 (as /reject/426), unless its path starts with /http/.
//
// Plain HTTP (http_session.hpp): a request that is not an upgrade and whose path starts with
// /http/ is answered as by an HTTP/1.1 server with keep-alive (plain and TLS alike): requests are
// served on the connection until the client closes, sends `Connection: close`, a route below
// ends it, or nothing arrives or goes out for 60 s. Request bodies may be sent with
// Content-Length or chunked (16 MiB at most); `Expect: 100-continue` is answered. Every response
// has `Server: volley-echo`; HEAD gets the head only. Unknown /http/ paths answer 404.
//
//   /http/echo[/...]          any method: 200 application/json {method, target (as sent), path,
//                             query (first value of each parameter), headers (lower-case names,
//                             repeats joined with ", "), raw_headers ([name, value] as sent, in
//                             order), body (invalid UTF-8 replaced by U+FFFD), body_len, body_hex}
//   /http/status/N            status N (200..599), body `N Reason` (empty for 204 and 304)
//   /http/headers?h=Name:Value&h=...   200 `ok` with those response headers (repeats allowed)
//   /http/set-cookie?c=NAME=VALUE;attrs&c=...   200 `ok`, one Set-Cookie per c (decoded, verbatim)
//   /http/cookies             200 JSON: name -> value of each request cookie (the first of a
//                             name), plus `raw`: the Cookie header, or null
//   /http/redirect/N?code=302&to=PATH   N > 0: status `code` (3xx, default 302) with
//                             `Location: /http/redirect/N-1?<same query>`; N == 0: redirect to
//                             `to` if given, else 200 JSON {"redirected":true}
//   /http/redirect-abs/N      the same with absolute Locations (http[s]://127.0.0.1:PORT/...)
//   /http/delay?ms=N          wait N ms (default 1000, at most 60 s), then 200 `delayed`
//   /http/slow-body?ms=N      the head at once, the body `slow body` after N ms (same bounds)
//   /http/gzip, /http/deflate 200 JSON {"compressed":"<kind>","ok":true} with Content-Encoding
//                             gzip, or deflate (zlib-wrapped, as Go and browsers read it);
//                             ?bad=1: the body is not compressed at all. No /http/br or
//                             /http/zstd: volley links neither brotli nor zstd.
//   /http/peer                200 text/plain: the client's IP address (e.g. `127.0.0.2`)
//   /http/json                {"a":1,"b":{"c":[1,2,3]},"s":"x"}; ?invalid=1: `{"a":`
//   /http/bytes?n=N           N bytes 0,1,..,255,0,.. (default 256, at most 16 MiB),
//                             application/octet-stream
//   /http/chunked             a chunked body of 3 chunks: `a`, `bb`, `ccc`
//   /http/drop                head with Content-Length: 100, 10 bytes `0123456789`, then the
//                             connection ends (TLS close_notify, FIN)
//   /http/close               read the request, end the connection without answering
//   /http/reset               read the request, reset the connection (SO_LINGER 0, close)
//   /http/basic-auth/U/P      200 {"authenticated":true,"user":"U"} when Authorization is
//                             Basic U:P, else 401 {"authenticated":false} with
//                             `WWW-Authenticate: Basic realm="volley"`
//   /http/login               POST {"user": U, "password": "secret"}: 200 {"token":"tok-U"} and
//                             `Set-Cookie: session=sess-U; Path=/; HttpOnly`; a wrong password
//                             or a user name unfit for a cookie: 401 {"error":"bad credentials"};
//                             another method: 405

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "wsecho/chaos.hpp"
#include "wsecho/self_signed.hpp"

namespace volley::wsecho {

struct EchoOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;        // 0 = any free port (see EchoServer::start)
    unsigned threads = 1;          // io_context threads (at least 1)
    bool tls = false;              // wss with an in-memory self-signed certificate
    bool compression = false;      // accept permessage-deflate
    std::optional<ChaosMix> chaos; // each WebSocket connection misbehaves (chaos.hpp)
};

// Owns its threads. Not copyable. start() and stop() from one controlling thread.
class EchoServer {
public:
    explicit EchoServer(EchoOptions options);
    ~EchoServer(); // stop()

    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    // Binds, listens and starts the threads. Returns the bound port. Throws
    // boost::system::system_error if the address cannot be bound (a user mistake for
    // `volley echo`, a broken environment for tests).
    std::uint16_t start();

    // Closes the listener and every connection, and joins the threads. Idempotent.
    void stop();

    // "ws://127.0.0.1:<port>" or "wss://..." once started.
    std::string url() const;

    // The self-signed certificate (PEM) a TLS client must trust; empty without TLS.
    const std::string& certificate_pem() const { return cert_.cert; }

    const EchoOptions& options() const { return options_; }

    // Connections accepted so far (all threads).
    std::uint64_t accepted() const { return accepted_.load(std::memory_order_relaxed); }

private:
    struct Impl;
    EchoOptions options_;
    CertificatePem cert_;
    std::uint16_t port_ = 0;
    std::atomic<std::uint64_t> accepted_{0};
    std::unique_ptr<Impl> impl_;
    std::vector<std::thread> threads_;
};

} // namespace volley::wsecho
