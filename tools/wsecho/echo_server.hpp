#pragma once

// The built-in WebSocket echo server: the peer of benchmarks (`volley echo`) and of the tests.
// Beast server with concrete executor types, one io_context per thread, a coroutine per
// connection. Behaviours are chosen by the URL path (plain and TLS alike):
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
//   /noread             never read after the handshake (client writes block); 60 s at most
//   /flood              send text messages back to back until a write fails; 60 s at most
//
// Handshake details: the first offered subprotocol is accepted; permessage-deflate is
// negotiated when EchoOptions::compression is on and the client offers it.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "wsecho/self_signed.hpp"

namespace volley::wsecho {

struct EchoOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;   // 0 = any free port (see EchoServer::start)
    unsigned threads = 1;     // io_context threads (at least 1)
    bool tls = false;         // wss with an in-memory self-signed certificate
    bool compression = false; // accept permessage-deflate
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
