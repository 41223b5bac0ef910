#include "wsecho/echo_session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "wsecho/chaos.hpp"
#include "wsecho/http_session.hpp"
#include "wsecho/query.hpp"

namespace volley::wsecho {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using error_code = boost::system::error_code;

namespace {

enum class Kind {
    kEcho,
    kClose,
    kReject,
    kPing,
    kSlow,
    kHang,
    kGarbage,
    kInvalidUtf8,
    kDrop,
    kReset,
    kBinary,
    kPeer,
    kFragmented,
    kNoRead,
    kFlood,
    kAuth,
    kGarbageHandshake, // the rest only under --chaos (chaos.hpp)
    kHugeFrame,
    kPingFlood,
    kHalfClose
};

using Clock = std::chrono::steady_clock;

// What one connection's coroutine knows of itself.
struct Session {
    const SessionConfig& config;
    const ChaosMix* chaos;      // null unless --chaos
    std::uint64_t connection;   // accept order, from 0
    Clock::time_point deadline; // under --chaos: the socket is closed then
};

struct Route {
    Kind kind = Kind::kEcho;
    std::string arg;   // path segment after the behaviour name (/close/<code>, /reject/<status>)
    std::string query; // raw query string
    std::string user;  // /ws/auth: the user the request's credential names
    int count = 1;     // /drop, /reset: messages echoed before the end
    Clock::time_point until = Clock::now() + std::chrono::seconds(60); // /noread, /flood: end
    std::size_t flood_bytes = 5;   // /flood: the size of each message
    bool echo_after_flood = false; // /flood: echo once the flood is over
};

Route parse_route(std::string_view target) {
    Route r;
    auto q = target.find('?');
    if (q != std::string_view::npos) {
        r.query = std::string(target.substr(q + 1));
    }
    std::string_view path = target.substr(0, q);
    path.remove_prefix(path.empty() ? 0 : 1);
    auto slash = path.find('/');
    std::string_view name = path.substr(0, slash);
    r.arg = slash == std::string_view::npos ? std::string() : std::string(path.substr(slash + 1));
    static const std::pair<std::string_view, Kind> kNames[] = {{"close", Kind::kClose},
                                                               {"reject", Kind::kReject},
                                                               {"ping", Kind::kPing},
                                                               {"slow", Kind::kSlow},
                                                               {"hang", Kind::kHang},
                                                               {"garbage", Kind::kGarbage},
                                                               {"invalid-utf8", Kind::kInvalidUtf8},
                                                               {"drop", Kind::kDrop},
                                                               {"reset", Kind::kReset},
                                                               {"binary", Kind::kBinary},
                                                               {"peer", Kind::kPeer},
                                                               {"fragmented", Kind::kFragmented},
                                                               {"noread", Kind::kNoRead},
                                                               {"flood", Kind::kFlood}};
    for (const auto& [n, k] : kNames) {
        if (name == n) {
            r.kind = k;
        }
    }
    if (name == "ws" && r.arg == "auth") {
        r.kind = Kind::kAuth;
    }
    return r;
}

// A raw server frame (unmasked unless asked), for behaviours Beast would refuse to produce.
std::string raw_frame(std::uint8_t first, std::string_view payload, bool masked = false) {
    std::string f;
    f += static_cast<char>(first);
    std::uint8_t mask_bit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        f += static_cast<char>(mask_bit | payload.size());
    } else {
        f += static_cast<char>(mask_bit | 126);
        f += static_cast<char>(payload.size() >> 8);
        f += static_cast<char>(payload.size() & 0xff);
    }
    if (masked) {
        f.append(4, '\0'); // a zero key leaves the payload as is
    }
    f.append(payload);
    return f;
}

std::string garbage_bytes(std::string_view kind) {
    if (kind == "rsv") {
        return raw_frame(0x81 | 0x20, "x");
    }
    if (kind == "rsv1") {
        return raw_frame(0x81 | 0x40, "x");
    }
    if (kind == "masked") {
        return raw_frame(0x81, "x", true);
    }
    if (kind == "bigping") {
        return raw_frame(0x89, std::string(126, 'p'));
    }
    if (kind == "fragping") {
        return raw_frame(0x09, "p");
    }
    if (kind == "cont") {
        return raw_frame(0x80, "x");
    }
    if (kind == "stub") { // reserved opcode 3 announcing a 64-bit length that never comes
        return std::string("\x83\x7f", 2);
    }
    if (kind == "neglen") { // reserved opcode 3, 64-bit length with its top bit set, no payload
        return std::string("\x83\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10);
    }
    if (kind == "textneglen") { // a valid text header whose 64-bit length has its top bit set
        return std::string("\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10);
    }
    return raw_frame(0x83, ""); // reserved opcode 3
}

std::string close_bytes(const Route& r) {
    if (r.arg == "empty") {
        return raw_frame(0x88, "");
    }
    int code = to_int(r.arg, 1000);
    std::string payload;
    payload += static_cast<char>((code >> 8) & 0xff);
    payload += static_cast<char>(code & 0xff);
    payload += query_param(r.query, "reason").substr(0, 123);
    return raw_frame(0x88, payload);
}

// The route a chaos draw stands for; every wait in it ends by `deadline`.
Route chaos_route(const ChaosPick& p, Clock::time_point deadline) {
    Route r;
    r.until = deadline;
    r.count = p.n;
    r.arg = std::to_string(p.n);
    switch (p.what) {
    case Misbehaviour::kEcho:
        break;
    case Misbehaviour::kReset:
        r.kind = Kind::kReset;
        break;
    case Misbehaviour::kDrop:
        r.kind = Kind::kDrop;
        break;
    case Misbehaviour::kHang:
        r.kind = Kind::kHang;
        break;
    case Misbehaviour::kStatus:
        r.kind = Kind::kReject;
        break;
    case Misbehaviour::kGarbageHandshake:
        r.kind = Kind::kGarbageHandshake;
        break;
    case Misbehaviour::kGarbage:
        r.kind = Kind::kGarbage;
        r.query = "kind=" + p.kind;
        break;
    case Misbehaviour::kHugeFrame:
        r.kind = Kind::kHugeFrame;
        break;
    case Misbehaviour::kInvalidUtf8:
        r.kind = Kind::kInvalidUtf8;
        break;
    case Misbehaviour::kNoRead:
        r.kind = Kind::kNoRead;
        break;
    case Misbehaviour::kFlood:
        r.kind = Kind::kFlood;
        r.flood_bytes = 1024;
        r.until = std::min(deadline, Clock::now() + std::chrono::seconds(2));
        r.echo_after_flood = true;
        break;
    case Misbehaviour::kPingFlood:
        r.kind = Kind::kPingFlood;
        break;
    case Misbehaviour::kBadClose:
        r.kind = Kind::kClose;
        break;
    case Misbehaviour::kHalfClose:
        r.kind = Kind::kHalfClose;
        break;
    }
    return r;
}

// What the chaos garbage-handshake answers instead of an HTTP response.
constexpr std::string_view kGarbageHandshake{"\x00\xffHTTQ/9 \x7f not a response\r\n\r\n", 29};

// Closes a session's socket at a point in time unless the session ended first, which ends
// whatever the session was waiting for.
class SocketDeadline {
public:
    SocketDeadline(TcpSocket& socket, Clock::time_point when)
        : timer_(socket.get_executor()), alive_(std::make_shared<bool>(true)) {
        timer_.expires_at(when);
        timer_.async_wait([&socket, alive = alive_](error_code ec) {
            if (!ec && *alive) {
                socket.close(ec);
            }
        });
    }
    ~SocketDeadline() { *alive_ = false; } // the timer's destructor cancels the wait
    SocketDeadline(const SocketDeadline&) = delete;
    SocketDeadline& operator=(const SocketDeadline&) = delete;

private:
    boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>,
                                      boost::asio::io_context::executor_type>
        timer_;
    std::shared_ptr<bool> alive_;
};

} // namespace

namespace {

template <class Stream> void write_raw(Stream& s, std::string_view bytes, Yield yield) {
    error_code ec;
    asio::async_write(s, asio::buffer(bytes), yield[ec]);
}

// Reads and discards until the peer closes or fails.
template <class Stream> void drain(Stream& s, Yield yield) {
    char buf[512];
    error_code ec;
    while (!ec) {
        s.async_read_some(asio::buffer(buf), yield[ec]);
    }
}

void sleep_ms(int ms, Yield yield) {
    SteadyTimer t(yield.get_executor());
    t.expires_after(std::chrono::milliseconds(ms));
    error_code ec;
    t.async_wait(yield[ec]);
}

template <class Ws> void end_abruptly(Ws& ws, bool reset) {
    auto& sock = beast::get_lowest_layer(ws);
    error_code ec;
    if (reset) {
        sock.set_option(asio::socket_base::linger(true, 0), ec);
    }
    sock.close(ec);
}

template <class Ws> void echo_loop(Ws& ws, const Route& r, Yield yield) {
    beast::flat_buffer buf;
    error_code ec;
    for (int echoed = 1;; ++echoed) {
        ws.async_read(buf, yield[ec]);
        if (ec) {
            return;
        }
        ws.text(ws.got_text());
        ws.async_write(buf.data(), yield[ec]);
        buf.consume(buf.size());
        if (ec) {
            return;
        }
        if ((r.kind == Kind::kDrop || r.kind == Kind::kReset) && echoed >= r.count) {
            return end_abruptly(ws, r.kind == Kind::kReset);
        }
        if (r.kind == Kind::kPing) {
            ws.async_ping("server-ping", yield[ec]);
        }
    }
}

template <class Ws> void send_fragmented(Ws& ws, Yield yield) {
    error_code ec;
    ws.text(true);
    ws.async_write_some(false, asio::buffer(std::string_view("hel")), yield[ec]);
    ws.async_ping("frag", yield[ec]);
    ws.async_write_some(false, asio::buffer(std::string_view("lo wo")), yield[ec]);
    ws.async_write_some(true, asio::buffer(std::string_view("rld")), yield[ec]);
}

// /noread: never reads after the handshake (the client's writes block once the socket buffers
// are full); gives up at r.until.
template <class Ws> void stall(Ws& ws, const Route& r, Yield yield) {
    SteadyTimer t(beast::get_lowest_layer(ws).get_executor());
    t.expires_at(r.until);
    error_code ec;
    t.async_wait(yield[ec]);
}

// /flood: sends text messages back to back until a write fails or r.until; then ends, or
// echoes if r.echo_after_flood.
template <class Ws> void flood(Ws& ws, const Route& r, Yield yield) {
    std::string message = r.flood_bytes == 5 ? "flood" : std::string(r.flood_bytes, 'f');
    error_code ec;
    ws.text(true);
    while (!ec && Clock::now() < r.until) {
        ws.async_write(asio::buffer(message), yield[ec]);
    }
    if (!ec && r.echo_after_flood) {
        echo_loop(ws, r, yield);
    }
}

// Chaos ping-flood: pings back to back for 2 s, then echo.
template <class Ws> void ping_flood(Ws& ws, const Route& r, Yield yield) {
    auto end = Clock::now() + std::chrono::seconds(2);
    error_code ec;
    while (!ec && Clock::now() < end) {
        ws.async_ping("chaos", yield[ec]);
    }
    if (!ec) {
        echo_loop(ws, r, yield);
    }
}

// The header of a 64 MiB binary frame, and not one byte of its payload.
std::string huge_frame_header() {
    std::string h("\x82\x7f", 2);
    constexpr std::uint64_t kLength = std::uint64_t{64} << 20;
    for (int shift = 56; shift >= 0; shift -= 8) {
        h += static_cast<char>((kLength >> shift) & 0xff);
    }
    return h;
}

template <class Ws> void run_behaviour(Ws& ws, const Route& r, Yield yield) {
    error_code ec;
    switch (r.kind) {
    case Kind::kNoRead:
        return stall(ws, r, yield);
    case Kind::kFlood:
        return flood(ws, r, yield);
    case Kind::kPingFlood:
        return ping_flood(ws, r, yield);
    case Kind::kHugeFrame:
        write_raw(ws.next_layer(), huge_frame_header(), yield);
        return drain(ws.next_layer(), yield);
    case Kind::kHalfClose:
        beast::get_lowest_layer(ws).shutdown(asio::socket_base::shutdown_send, ec);
        return drain(ws.next_layer(), yield);
    case Kind::kClose:
        write_raw(ws.next_layer(), close_bytes(r), yield);
        return drain(ws.next_layer(), yield);
    case Kind::kGarbage:
        write_raw(ws.next_layer(), garbage_bytes(query_param(r.query, "kind")), yield);
        return drain(ws.next_layer(), yield);
    case Kind::kInvalidUtf8:
        write_raw(ws.next_layer(),
                  raw_frame(0x81, "a\xff"
                                  "b"),
                  yield);
        break;
    case Kind::kBinary: {
        std::string bytes(256, '\0');
        for (int i = 0; i < 256; ++i) {
            bytes[static_cast<std::size_t>(i)] = static_cast<char>(i);
        }
        ws.binary(true);
        ws.async_write(asio::buffer(bytes), yield[ec]);
        break;
    }
    case Kind::kFragmented:
        send_fragmented(ws, yield);
        break;
    case Kind::kPeer: {
        auto peer = beast::get_lowest_layer(ws).remote_endpoint(ec).address().to_string();
        ws.text(true);
        ws.async_write(asio::buffer(peer), yield[ec]);
        break;
    }
    case Kind::kAuth: {
        std::string hello = "hello " + r.user;
        ws.text(true);
        ws.async_write(asio::buffer(hello), yield[ec]);
        break;
    }
    default:
        break;
    }
    echo_loop(ws, r, yield);
}

template <class Ws> void configure(Ws& ws, const SessionConfig& config, std::string subprotocol) {
    websocket::permessage_deflate pmd;
    pmd.server_enable = config.compression;
    ws.set_option(pmd);
    ws.auto_fragment(false);
    ws.read_message_max(256 * 1024 * 1024);
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(30);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws.set_option(t);
    ws.set_option(websocket::stream_base::decorator(
        [proto = std::move(subprotocol)](websocket::response_type& res) {
            res.set(http::field::server, "volley-echo");
            if (!proto.empty()) {
                res.set(http::field::sec_websocket_protocol, proto);
            }
        }));
}

template <class Stream> void reject(Stream& s, std::string_view status_text, Yield yield) {
    int status = to_int(status_text, 400);
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "volley-echo");
    res.set("X-Echo-Reject", std::to_string(status));
    res.body() = "rejected with " + std::to_string(status) + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    error_code ec;
    http::async_write(s, res, yield[ec]);
}

std::string first_subprotocol(std::string_view offered) {
    auto comma = offered.find(',');
    auto first = offered.substr(0, comma);
    while (!first.empty() && first.front() == ' ') {
        first.remove_prefix(1);
    }
    while (!first.empty() && first.back() == ' ') {
        first.remove_suffix(1);
    }
    return std::string(first);
}

// Reads the rest of a request whose head is read; the WebSocket side, /hang included, waits for
// it without a bound as it always has.
template <class Ws>
void serve_websocket(Ws& ws, const Session& session, beast::flat_buffer& buf, RequestParser& parser,
                     Yield yield) {
    const SessionConfig& config = session.config;
    error_code ec;
    http::async_read(ws.next_layer(), buf, parser, yield[ec]);
    if (ec) {
        return;
    }
    const auto& req = parser.get();
    Route r = session.chaos != nullptr
                  ? chaos_route(pick_chaos(*session.chaos, session.connection), session.deadline)
                  : parse_route(req.target());
    if (r.kind == Kind::kHang) {
        return drain(ws.next_layer(), yield);
    }
    if (r.kind == Kind::kGarbageHandshake) {
        write_raw(ws.next_layer(), kGarbageHandshake, yield);
        return drain(ws.next_layer(), yield);
    }
    if (r.kind == Kind::kAuth) {
        r.user = credential_user(req);
    }
    bool refused = r.kind == Kind::kReject || (r.kind == Kind::kAuth && r.user.empty());
    if (refused || !websocket::is_upgrade(req)) {
        // a std::string: the conditional's value is a temporary string (r.arg's type)
        std::string status = r.kind == Kind::kReject ? r.arg : refused ? "401" : "426";
        return reject(ws.next_layer(), status, yield);
    }
    if (r.kind == Kind::kSlow) {
        sleep_ms(to_int(query_param(r.query, "ms"), 0), yield);
    }
    configure(ws, config, first_subprotocol(req[http::field::sec_websocket_protocol]));
    ws.async_accept(req, yield[ec]);
    if (!ec) {
        run_behaviour(ws, r, yield);
    }
}

template <class Ws> void serve(Ws& ws, const Session& session, Yield yield) {
    beast::flat_buffer buf;
    RequestParser parser;
    limit_request(parser);
    error_code ec;
    http::async_read_header(ws.next_layer(), buf, parser, yield[ec]);
    if (ec) {
        return;
    }
    if (is_http_request(parser.get())) {
        return serve_http(ws.next_layer(), buf, parser, yield);
    }
    serve_websocket(ws, session, buf, parser, yield);
}

} // namespace

void run_session(TcpSocket socket, const SessionConfig& config, std::uint64_t connection,
                 Yield yield) {
    error_code ec;
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    Session session{config, config.chaos, connection, Clock::now() + kChaosLifetime};
    std::optional<SocketDeadline> deadline;
    if (config.tls == nullptr) {
        websocket::stream<TcpSocket> ws(std::move(socket));
        if (config.chaos != nullptr) {
            deadline.emplace(beast::get_lowest_layer(ws), session.deadline);
        }
        serve(ws, session, yield);
        deadline.reset();
        return;
    }
    websocket::stream<asio::ssl::stream<TcpSocket>> ws(std::move(socket), *config.tls);
    if (config.chaos != nullptr) {
        deadline.emplace(beast::get_lowest_layer(ws), session.deadline);
    }
    ws.next_layer().async_handshake(asio::ssl::stream_base::server, yield[ec]);
    if (!ec) {
        serve(ws, session, yield);
    }
    deadline.reset();
}

} // namespace volley::wsecho
