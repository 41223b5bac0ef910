#include "wsecho/http_session.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>

#include "wsecho/http_routes.hpp"
#include "wsecho/query.hpp"

namespace volley::wsecho {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kIoBound{60'000};      // a request to arrive, a response to go out
constexpr milliseconds kShutdownBound{5'000}; // the peer's TLS close_notify

// Closes the connection's socket when an operation outlives the bound it was armed with, which
// makes that operation fail. The state is shared with the timer's handler because a handler
// already queued when the session ends still runs afterwards: it then finds no socket, and an
// older arming finds a newer generation.
class Watchdog {
public:
    explicit Watchdog(TcpSocket& socket)
        : state_(std::make_shared<State>(State{&socket, 0})), timer_(socket.get_executor()) {}
    // The timer's own destruction cancels a pending wait.
    ~Watchdog() { state_->socket = nullptr; }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    void arm(milliseconds limit) {
        auto generation = ++state_->generation;
        timer_.expires_after(limit);
        timer_.async_wait([state = state_, generation](error_code ec) {
            if (!ec && state->socket != nullptr && state->generation == generation) {
                error_code ignored;
                state->socket->close(ignored);
            }
        });
    }

    void disarm() {
        ++state_->generation;
        timer_.cancel();
    }

private:
    struct State {
        TcpSocket* socket;
        std::uint64_t generation;
    };
    std::shared_ptr<State> state_;
    SteadyTimer timer_;
};

void sleep_for(milliseconds d, Yield yield) {
    SteadyTimer t(yield.get_executor());
    t.expires_after(d);
    error_code ec;
    t.async_wait(yield[ec]);
}

std::string head_text(const HttpReply& r, const HttpRequest& req, bool keep_alive) {
    std::string h =
        fmt::format("HTTP/1.1 {} {}\r\nServer: volley-echo\r\n", r.status, reason_phrase(r.status));
    for (const auto& [name, value] : r.headers) {
        h += name + ": " + value + "\r\n";
    }
    if (!r.chunks.empty()) {
        h += "Transfer-Encoding: chunked\r\n";
    } else if (r.end == HttpEnd::kDrop) {
        h += "Content-Length: 100\r\n"; // more than will come
    } else if (r.status != 204 && r.status != 304) {
        h += fmt::format("Content-Length: {}\r\n", r.body.size());
    }
    if (!keep_alive) {
        h += "Connection: close\r\n";
    } else if (req.version() == 10) {
        h += "Connection: keep-alive\r\n";
    }
    return h + "\r\n";
}

std::string body_text(const HttpReply& r, const HttpRequest& req) {
    if (req.method() == http::verb::head || r.status == 204 || r.status == 304) {
        return {};
    }
    if (r.chunks.empty()) {
        return r.body;
    }
    std::string out;
    for (const auto& c : r.chunks) {
        out += fmt::format("{:x}\r\n{}\r\n", c.size(), c);
    }
    return out + "0\r\n\r\n";
}

// The answer to a request on a keep-alive connection that is not for the HTTP routes.
HttpReply not_http() {
    HttpReply r;
    r.status = 426;
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.body = "rejected with 426\n";
    return r;
}

bool wants_continue(const HttpRequest& req) {
    std::string_view expect = req[http::field::expect];
    return expect.size() == 12 && beast::iequals(expect, "100-continue");
}

template <class Stream> class Connection {
public:
    static constexpr bool kTls = !std::is_same_v<Stream, TcpSocket>;

    Connection(Stream& stream, beast::flat_buffer& buffer)
        : stream_(stream), buffer_(buffer), dog_(beast::get_lowest_layer(stream)) {
        error_code ec;
        auto local = beast::get_lowest_layer(stream).local_endpoint(ec);
        auto addr = local.address().to_string();
        origin_ = fmt::format("{}://{}:{}", kTls ? "https" : "http",
                              local.address().is_v6() ? "[" + addr + "]" : addr, local.port());
        peer_ = beast::get_lowest_layer(stream).remote_endpoint(ec).address().to_string();
    }

    void run(RequestParser& first, Yield yield) {
        if (!read_body(first, yield) || !answer(first.get(), yield)) {
            return;
        }
        for (;;) {
            RequestParser parser;
            limit_request(parser);
            error_code ec;
            dog_.arm(kIoBound);
            http::async_read_header(stream_, buffer_, parser, yield[ec]);
            dog_.disarm();
            if (ec || !read_body(parser, yield) || !answer(parser.get(), yield)) {
                return;
            }
        }
    }

private:
    bool write(std::string_view bytes, Yield yield) {
        error_code ec;
        dog_.arm(kIoBound);
        asio::async_write(stream_, asio::buffer(bytes), yield[ec]);
        dog_.disarm();
        return !ec;
    }

    // The rest of a request whose head is read (answering `Expect: 100-continue` first).
    bool read_body(RequestParser& parser, Yield yield) {
        if (wants_continue(parser.get()) && !write("HTTP/1.1 100 Continue\r\n\r\n", yield)) {
            return false;
        }
        error_code ec;
        dog_.arm(kIoBound);
        http::async_read(stream_, buffer_, parser, yield[ec]);
        dog_.disarm();
        return !ec;
    }

    // Answers one request; true when the connection goes on.
    bool answer(const HttpRequest& req, Yield yield) {
        bool routed = is_http_request(req);
        HttpReply r = routed ? route_http(req, origin_, peer_) : not_http();
        if (r.end == HttpEnd::kClose || r.end == HttpEnd::kReset) {
            end(r.end == HttpEnd::kReset, yield);
            return false;
        }
        if (r.delay.count() > 0) {
            sleep_for(r.delay, yield);
        }
        bool keep = routed && req.keep_alive() && r.end == HttpEnd::kRespond;
        std::string head = head_text(r, req, keep);
        std::string body = body_text(r, req);
        bool ok = true;
        if (r.body_delay.count() > 0) {
            ok = write(head, yield);
            sleep_for(r.body_delay, yield);
            ok = ok && write(body, yield);
        } else {
            ok = write(head + body, yield);
        }
        if (!ok || !keep) {
            end(false, yield);
            return false;
        }
        return true;
    }

    // Ends the connection: a reset (SO_LINGER 0), or an orderly close (TLS close_notify, then
    // FIN). The client sees the end of the stream after whatever was sent.
    void end(bool reset, Yield yield) {
        auto& socket = beast::get_lowest_layer(stream_);
        error_code ec;
        if (reset) {
            socket.set_option(asio::socket_base::linger(true, 0), ec);
            socket.close(ec);
            return;
        }
        if constexpr (kTls) {
            dog_.arm(kShutdownBound);
            stream_.async_shutdown(yield[ec]);
            dog_.disarm();
        }
        socket.shutdown(asio::socket_base::shutdown_send, ec);
        socket.close(ec);
    }

    Stream& stream_;
    beast::flat_buffer& buffer_;
    Watchdog dog_;
    std::string origin_;
    std::string peer_; // the client's IP address (/http/peer)
};

} // namespace

void limit_request(RequestParser& parser) {
    parser.header_limit(64 * 1024);
    parser.body_limit(std::uint64_t{16} * 1024 * 1024);
}

bool is_http_request(const HttpRequest& req) {
    return !beast::websocket::is_upgrade(req) &&
           split_target(req.target()).path.starts_with("/http/");
}

void serve_http(TcpSocket& stream, beast::flat_buffer& buffer, RequestParser& first, Yield yield) {
    Connection<TcpSocket>(stream, buffer).run(first, yield);
}

void serve_http(asio::ssl::stream<TcpSocket>& stream, beast::flat_buffer& buffer,
                RequestParser& first, Yield yield) {
    Connection<asio::ssl::stream<TcpSocket>>(stream, buffer).run(first, yield);
}

} // namespace volley::wsecho
