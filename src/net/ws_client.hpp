#pragma once

// A WebSocket client session for one stackful coroutine (the VU's), behaving like gorilla/
// websocket as k6/ws drives it (k6-behaviour.md §1.3-1.7, §2.4-2.7, §3.1). No JS, no metrics:
// it reports timings, byte counts, events and error texts; the ws module turns them into
// samples and JS events.
//
// Why not Beast's websocket::stream (measured: docs/architecture.md, "Measured choices" and "Where
// volley departs from its models"): Beast always validates UTF-8 in text messages and fails the
// connection with 1007 (k6 delivers invalid UTF-8), answers a close frame itself with its own code
// choice and then waits for EOF (k6 echoes the code, or an empty payload for 1005, and closes TCP
// at once), and writes pongs behind the owner's back. So framing is done here, on the same
// concrete-executor Asio socket Beast would use (one read and one write outstanding, TCP_NODELAY);
// Beast's HTTP parser reads the handshake response.
//
// Threading: every member function must be called on the thread running the io_context passed
// to the constructor; the blocking ones (taking a Yield) from the owning coroutine only, one at
// a time (one outstanding write). The reader runs as plain completion handlers on the same
// io_context while the owner writes or waits; it costs no coroutine stack.
//
// Event-wait pattern for the ws module (one coroutine per VU; timers, interrupts and socket
// events in one loop, nothing runs after close):
//
//     net::WsClient c(ioc);
//     auto hs = c.connect(url, opts, yield);       // ws_connecting = hs.connect_ms
//     if (!hs.ok) { ... }                          // hs.error, hs.status, hs.headers, hs.body
//     ... run the connect callback, `open` handlers (they may call c.send_text(...)) ...
//     c.start_reading();
//     for (;;) {
//         net::Event ev;
//         if (c.next_event(ev)) { dispatch(ev); if (ev.terminal()) break; continue; }
//         switch (c.wait(next_js_timer_due, yield)) {
//         case net::WaitResult::kEvent:   continue;            // next_event() has one
//         case net::WaitResult::kTimeout: run_due_timers(); continue;
//         case net::WaitResult::kWoken:   /* interrupt or close() from a handler */ ...
//         case net::WaitResult::kClosed:  /* closed locally, no more events */ ...
//         }
//     }
//
// An interrupt from another thread posts a function to the VU's io_context that calls wake()
// (or cancel() to abort a pending connect/write). Byte counters: counters() / take_counters().

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/smart_ptr/intrusive_ptr.hpp>

#include "net/counting_stream.hpp"
#include "net/dial_policy.hpp"
#include "net/dns_resolver.hpp"
#include "net/frame.hpp"
#include "net/handshake.hpp"
#include "net/tls.hpp"
#include "util/coroutine.hpp"

namespace volley::net {

struct HandshakeOptions {
    Headers headers;                // the script's params.headers, in order (Go Header.Set each)
    std::string user_agent;         // k6 `userAgent`; a User-Agent header overrides; "" = none
    bool compression = false;       // params.compression == "deflate"
    const TlsConfig* tls = nullptr; // wss: nullptr = TlsConfig::default_config(); must outlive
    const DialPolicy* policy = nullptr; // hosts, blacklistIPs, blockHostnames; null = none
    std::optional<boost::asio::ip::address> local_ip; // dial from here (--local-ips)
    DnsResolver* dns = nullptr; // the `dns` option's resolver; null = DnsResolver::fallback()
    std::chrono::milliseconds timeout{60'000}; // whole handshake: DNS, TCP, TLS, upgrade
};

struct HandshakeResult {
    bool ok = false;
    std::string error;  // "" when ok; k6's text otherwise (see connect())
    int error_code = 0; // ws_error_code.hpp's code of the failure; 0 when ok
    int status = 0;     // HTTP status of the response, 0 if none was received
    Headers headers;    // response headers: Go-canonical names, repeats joined ", "
    std::vector<std::string> set_cookies; // every Set-Cookie value of the response, in order
    std::string body;         // failed upgrade: first ≤ 1024 bytes of the response body
    std::string subprotocol;  // response Sec-WebSocket-Protocol ("" if none)
    bool compression = false; // permessage-deflate negotiated
    std::string remote_ip;    // the dialled IP (for the `ip` tag), "" before dialling
    double connect_ms = 0;    // ms from connect() entry until success or failure
    // connect_ms cut at the end of each phase reached (a phase not reached is 0; they add up to
    // connect_ms): URL parse and DNS, TCP connect, TLS handshake (wss), HTTP upgrade.
    double dns_ms = 0;
    double tcp_ms = 0;
    double tls_ms = 0;
    double upgrade_ms = 0;
};

// One frame on the wire, for a frame log (--ws-debug). `payload` is the frame's payload as sent
// or received, unmasked (compressed when rsv1 is set); it is valid during the call only.
struct FrameInfo {
    bool sent = false;     // written by the client (else read)
    bool rejected = false; // read, and refused as a protocol violation (payload not read)
    std::uint8_t opcode = 0;
    bool fin = false;
    bool rsv1 = false;
    bool masked = false;
    std::uint64_t length = 0; // the payload's length on the wire (0 if a rejected header hid it)
    std::string_view payload;
    std::string_view problem; // rejected: why (`websocket: RSV2 set`)
};

// Sees every frame a WsClient writes or reads. Called on the client's thread, in the middle of
// reading or writing: it must not call the client.
class FrameObserver {
public:
    virtual ~FrameObserver() = default;
    virtual void on_frame(const FrameInfo& frame) = 0;
};

enum class EventType { kText, kBinary, kPing, kPong, kClose, kError };

// One thing the reader saw. Views stay valid until the next next_event() call or the client's
// destruction.
struct Event {
    EventType type = EventType::kError;
    std::string_view data;       // text/binary: message; ping/pong: payload; close: reason;
                                 // error with protocol_error: the reason for close(1002, ...)
    std::uint16_t code = 0;      // close: the peer's code; 1005 if the frame had none, 1006 on EOF
    std::string_view error;      // close: gorilla's CloseError text ("" for 1000 and 1001);
                                 // error: the read error (e.g. `read tcp ...: connection reset by
                                 // peer`, `websocket: bad opcode 3`)
    bool protocol_error = false; // error: the peer broke RFC 6455 (gorilla then sends close 1002)
    int error_code = 0;          // close and error: ws_error_code.hpp's code (0 for 1000, 1001)

    // close and error end the read side: no event follows them.
    bool terminal() const { return type == EventType::kClose || type == EventType::kError; }
};

enum class WaitResult {
    kEvent,   // an event is ready (next_event() returns it)
    kTimeout, // the deadline passed
    kWoken,   // wake() was called (once per call; it is not sticky beyond one wait)
    kClosed,  // the connection was closed locally (close()/cancel()) and no event is pending
};

namespace detail {
class Session;
void intrusive_ptr_add_ref(Session* s);
void intrusive_ptr_release(Session* s);
} // namespace detail

// One WebSocket connection. Not copyable or movable. Destroying it closes the TCP connection
// (without a close frame) if still open; pending completion handlers keep the internal state
// alive until they have run, so it may be destroyed at any time on its thread.
class WsClient {
public:
    explicit WsClient(boost::asio::io_context& ioc);
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    // Parses `url` (k6-behaviour.md §1.4), dials, does TLS for wss, and the upgrade (§1.5). At
    // most once per client. Never throws for failures of the peer; the result's error is k6's text:
    // `malformed ws or wss URL`, Go's `parse "...": ...`, `websocket: duplicate header not
    // allowed: X`, `lookup h: no such host`, `dial tcp 127.0.0.1:1: connect: connection
    // refused`, `tls: failed to verify certificate: x509: ...`, `websocket: bad handshake`
    // (status/headers/body filled in), `websocket: invalid compression negotiation`, and
    // `... i/o timeout` when options.timeout passes or cancel() is called.
    HandshakeResult connect(std::string_view url, const HandshakeOptions& options, Yield yield);

    // Writes one whole message (one frame; compressed when negotiated). Returns "" on success,
    // else the error text: `websocket: close sent` after close(), or `write tcp ...: write:
    // broken pipe` and the like. No deadline (k6 data writes have none). Any size.
    std::string send_text(std::string_view data, Yield yield);
    std::string send_binary(std::string_view data, Yield yield);

    // Control frames (payload ≤ 125 bytes, else `websocket: invalid control frame`), each with a
    // 10 s write deadline (`write tcp ...: i/o timeout`; the connection is then closed). The
    // reader never writes: a received ping is answered by the owner calling pong(payload).
    std::string ping(std::string_view payload, Yield yield);
    std::string pong(std::string_view payload, Yield yield);

    // k6's close (k6-behaviour.md §2.4, Q7): writes a close frame with `code` (big-endian 16
    // bits) and `reason` (cut to 123 bytes) — an empty payload for 1005 — with a 10 s deadline,
    // then closes TCP at once without waiting for the peer. Only the first call writes; later calls
    // return `websocket: close sent`. The TCP connection is closed even if the write failed.
    std::string close(std::uint16_t code, std::string_view reason, Yield yield);

    // Starts the reader (idempotent). Until then incoming data waits (in the kernel or in the
    // buffer that received the handshake), as in k6 before `open`.
    void start_reading();

    // Takes the next ready event (releasing the previous one and letting the reader continue).
    // Non-blocking: false if none is ready. The reader reads at most one event ahead.
    bool next_event(Event& out);
    // Whether next_event() would return an event now (the previous one is released, buffered
    // bytes are parsed; nothing is taken).
    bool event_ready();

    // Suspends the owning coroutine until an event is ready, `deadline` passes, wake() is
    // called, or the connection is closed locally. Returns at once if one of those already
    // holds.
    WaitResult wait(std::chrono::steady_clock::time_point deadline, Yield yield);

    // Makes the current or next wait() return kWoken. Owner's thread (post to it from others).
    void wake();

    // For owners that wait on many clients at once (k6/websockets): `fn` is called, from the
    // reader's completion handler and last in it, whenever an event becomes ready (or the read
    // side ends) while no wait() is pending. It may run the owner's coroutine.
    void set_notify(std::function<void()> fn);

    // Aborts: closes the TCP connection without a close frame; a pending connect() fails with
    // an `i/o timeout` text, pending writes fail, wait() returns, no further events. Owner's
    // thread, from any handler (it does not need the coroutine).
    void cancel();

    // ws_error_code.hpp's code of the last write method that returned an error text.
    int last_write_error_code() const;

    // True between a successful connect() and close()/cancel()/a fatal error.
    bool is_open() const;

    // Bytes moved on the connection since the last take_counters() (handshake, frame headers,
    // masks and TLS records included: k6's data_sent/data_received).
    const ByteCounters& counters() const;
    ByteCounters take_counters();

    // Bytes of memory the connection's message buffers hold (capacity, read and write side).
    std::size_t buffer_bytes() const;

    // Every frame from now on goes to `observer` (nullptr: none, the default; a frame then costs
    // one pointer test). `observer` must outlive the client or be reset.
    void set_frame_observer(FrameObserver* observer);

    // Tests only: fail the plan's Nth read or write of this connection (see FaultPlan). Call
    // before connect(); `plan` must outlive the client.
    void set_fault_plan(FaultPlan* plan);

private:
    boost::intrusive_ptr<detail::Session> s_;
};

} // namespace volley::net
