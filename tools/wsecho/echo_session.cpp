#include "wsecho/echo_session.hpp"

#include <chrono>
#include <cstdint>
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
    kFragmented,
    kNoRead,
    kFlood,
    kAuth
};

struct Route {
    Kind kind = Kind::kEcho;
    std::string arg;   // path segment after the behaviour name (/close/<code>, /reject/<status>)
    std::string query; // raw query string
    std::string user;  // /ws/auth: the user the request's credential names
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

} // namespace

namespace {

template <class Stream> void write_raw(Stream& s, const std::string& bytes, Yield yield) {
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
    for (;;) {
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
        if (r.kind == Kind::kDrop || r.kind == Kind::kReset) {
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
// are full); gives up after 60 s.
template <class Ws> void stall(Ws& ws, Yield yield) {
    SteadyTimer t(beast::get_lowest_layer(ws).get_executor());
    t.expires_after(std::chrono::seconds(60));
    error_code ec;
    t.async_wait(yield[ec]);
}

// /flood: sends text messages back to back until a write fails (at most 60 s).
template <class Ws> void flood(Ws& ws, Yield yield) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    error_code ec;
    ws.text(true);
    while (!ec && std::chrono::steady_clock::now() < end) {
        ws.async_write(asio::buffer(std::string_view("flood")), yield[ec]);
    }
}

template <class Ws> void run_behaviour(Ws& ws, const Route& r, Yield yield) {
    error_code ec;
    switch (r.kind) {
    case Kind::kNoRead:
        return stall(ws, yield);
    case Kind::kFlood:
        return flood(ws, yield);
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
void serve_websocket(Ws& ws, const SessionConfig& config, beast::flat_buffer& buf,
                     RequestParser& parser, Yield yield) {
    error_code ec;
    http::async_read(ws.next_layer(), buf, parser, yield[ec]);
    if (ec) {
        return;
    }
    const auto& req = parser.get();
    Route r = parse_route(req.target());
    if (r.kind == Kind::kHang) {
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

template <class Ws> void serve(Ws& ws, const SessionConfig& config, Yield yield) {
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
    serve_websocket(ws, config, buf, parser, yield);
}

} // namespace

void run_session(TcpSocket socket, const SessionConfig& config, Yield yield) {
    error_code ec;
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    if (config.tls == nullptr) {
        websocket::stream<TcpSocket> ws(std::move(socket));
        return serve(ws, config, yield);
    }
    websocket::stream<asio::ssl::stream<TcpSocket>> ws(std::move(socket), *config.tls);
    ws.next_layer().async_handshake(asio::ssl::stream_base::server, yield[ec]);
    if (!ec) {
        serve(ws, config, yield);
    }
}

} // namespace volley::wsecho
