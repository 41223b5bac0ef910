// One HTTP/1.1 connection: open (resolve, dial, TLS), write a request, read a response.

#include "net/http_connection.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>

#include "net/content_encoding.hpp"
#include "net/dial.hpp"
#include "net/http_errors.hpp"
#include "net/url.hpp"

#include <sys/socket.h>

namespace volley::net::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

double ms_between(SteadyClock::time_point from, SteadyClock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

bool set(SteadyClock::time_point t) {
    return t != SteadyClock::time_point{};
}

// Go's http.Response.Proto for the parsed version.
std::string proto_of(unsigned version) {
    return fmt::format("HTTP/{}.{}", version / 10, version % 10);
}

} // namespace

HttpTimings HttpTrace::timings(SteadyClock::time_point done) const {
    HttpTimings t;
    if (set(got_conn) && set(get_conn) && got_conn > get_conn) {
        t.blocked = ms_between(get_conn, got_conn);
    }
    if (set(connect_start) && set(connect_done)) {
        t.connecting = ms_between(connect_start, connect_done);
    }
    if (set(tls_start) && set(tls_done)) {
        t.tls_handshaking = ms_between(tls_start, tls_done);
    }
    if (set(wrote_request)) {
        auto from = set(tls_done) ? tls_done : set(connect_done) ? connect_done : got_conn;
        t.sending = ms_between(from, wrote_request);
        if (!set(first_byte)) {
            t.waiting = ms_between(wrote_request, done);
        } else if (first_byte > wrote_request) {
            t.waiting = ms_between(wrote_request, first_byte);
        }
    }
    if (set(first_byte)) {
        t.receiving = ms_between(first_byte, done);
    }
    t.duration = t.sending + t.waiting + t.receiving;
    return t;
}

HttpConnection::HttpConnection(asio::io_context& ioc, std::string pool_key)
    : key(std::move(pool_key)), plain(counters, ioc.get_executor()) {}

bool HttpConnection::open(const HttpRequest& request, const HttpOptions& options, HttpTrace& trace,
                          HttpError& error, Yield yield) {
    bool https = request.url.scheme == "https";
    const std::string& host = request.url.hostname;
    auto port = dial_port(request.url.port, https ? 443 : 80);
    if (!port) {
        error = HttpError{1000, port.error(), port.error()};
        return false;
    }
    if (!resolve(host, *port, options, error, yield)) {
        return false;
    }
    boost::system::error_code ec;
    trace.connect_start = SteadyClock::now();
    DialSource source{options.local_ip};
    ec = closed ? asio::error::operation_aborted
                : dial_nonblocking(plain.next_layer(), remote_ep, source, yield);
    if (ec) {
        error = dial_error(remote_ep, ec, stop_cause(), source);
        return false;
    }
    trace.connect_done = SteadyClock::now();
    plain.next_layer().set_option(tcp::no_delay(true), ec);
    local_ep = plain.next_layer().local_endpoint(ec);
    connected = true;
    if (!https) {
        return true;
    }
    const TlsConfig& cfg = options.tls != nullptr ? *options.tls : TlsConfig::default_config();
    tls = std::make_unique<TlsStream>(plain, cfg.context());
    if (!cfg.prepare(tls->native_handle(), host, is_ip_literal(host))) {
        error = HttpError{1300, "tls: could not configure the connection for " + host,
                          "tls: could not configure the connection for " + host};
        return false;
    }
    trace.tls_start = SteadyClock::now();
    tls->async_handshake(asio::ssl::stream_base::client, yield[ec]);
    if (ec) {
        error = stop_cause() != StopCause::kNone
                    ? io_error("read", endpoints(), ec, stop_cause())
                    : tls_error(tls_error_text(tls->native_handle(), ec));
        return false;
    }
    trace.tls_done = SteadyClock::now();
    tls_version = tls_version_name(tls->native_handle());
    tls_cipher_suite = tls_cipher_name(tls->native_handle());
    return true;
}

bool HttpConnection::resolve(const std::string& host, std::uint16_t port,
                             const HttpOptions& options, HttpError& error, Yield yield) {
    const DialPolicy* policy = options.policy;
    if (policy != nullptr) {
        if (const std::string* pattern = policy->blocked(host)) {
            std::string text = DialPolicy::blocked_text(host, *pattern);
            error = HttpError{1111, "hostname is blocked", text};
            return false;
        }
    }
    std::optional<DialTarget> target =
        policy != nullptr ? policy->mapped(host, port) : std::nullopt;
    boost::system::error_code ec;
    if (!target) {
        auto ip = asio::ip::make_address(host, ec);
        if (!ec) {
            target = DialTarget{ip, port};
        }
    }
    if (!target) {
        TcpResolver resolver(plain.get_executor());
        DnsResolver& dns = options.dns != nullptr ? *options.dns : DnsResolver::fallback();
        auto ip = dns.resolve(
            host, [&](const std::string& h) { return system_lookup(resolver, h, yield); });
        if (!ip) {
            error = resolve_error(host, ip.error(), stop_cause());
            return false;
        }
        target = DialTarget{*ip, port};
    }
    if (policy != nullptr) {
        if (const std::string* range = policy->blacklisted(target->ip)) {
            error = HttpError{1110, "ip is blacklisted",
                              DialPolicy::blacklisted_text(target->ip, *range)};
            return false;
        }
    }
    remote_ep = tcp::endpoint(target->ip, target->port);
    return true;
}

bool HttpConnection::write(const std::string& wire, HttpTrace& trace, HttpError& error,
                           Yield yield) {
    boost::system::error_code ec;
    if (tls) {
        asio::async_write(*tls, asio::buffer(wire), yield[ec]);
    } else {
        asio::async_write(plain, asio::buffer(wire), yield[ec]);
    }
    if (ec) {
        error = io_error("write", endpoints(), ec, stop_cause());
        return false;
    }
    trace.wrote_request = SteadyClock::now();
    return true;
}

namespace {

// Reads until the first byte of the response is in `buffer` (it may already be there).
template <class Stream>
void await_first_byte(Stream& s, boost::beast::flat_buffer& buffer, boost::system::error_code& ec,
                      Yield yield) {
    if (buffer.size() == 0) {
        std::size_t n = s.async_read_some(buffer.prepare(std::size_t{16} * 1024), yield[ec]);
        buffer.commit(n);
    }
}

} // namespace

bool HttpConnection::read(bool head, bool read_body, HttpResponse& out, HttpTrace& trace,
                          HttpError& error, Yield yield) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(10 * 1024 * 1024); // Go's default MaxResponseHeaderBytes
    parser.body_limit(boost::none);
    parser.skip(head);
    boost::system::error_code ec;
    auto with_stream = [&](auto&& f) { return tls ? f(*tls) : f(plain); };
    with_stream([&](auto& s) { await_first_byte(s, buffer, ec, yield); });
    if (ec) {
        error = response_error(ec, HttpPhase::kReadHeader, endpoints(), stop_cause());
        return false;
    }
    trace.first_byte = SteadyClock::now();
    with_stream([&](auto& s) { http::async_read_header(s, buffer, parser, yield[ec]); });
    if (ec) {
        error = response_error(ec, HttpPhase::kReadHeader, endpoints(), stop_cause());
        return false;
    }
    const auto& msg = parser.get();
    out.status = static_cast<int>(msg.result_int());
    out.status_text = fmt::format("{} {}", out.status, msg.reason());
    out.proto = proto_of(msg.version());
    Headers raw;
    for (const auto& field : msg.base()) {
        raw.emplace_back(std::string(field.name_string()), std::string(field.value()));
        if (iequals(field.name_string(), "Set-Cookie")) {
            out.set_cookies.emplace_back(field.value());
        }
    }
    out.headers = canonical_response_headers(raw);
    if (!parser.is_done()) {
        with_stream([&](auto& s) { http::async_read(s, buffer, parser, yield[ec]); });
    }
    if (ec) {
        error = response_error(ec, HttpPhase::kReadBody, endpoints(), stop_cause());
        error.in_body = true;
        return false;
    }
    keep_alive = parser.keep_alive();
    std::string body = parser.release().body();
    if (!read_body || out.status == 204 || out.status == 304 || out.status / 100 == 1) {
        return true;
    }
    auto decoded = decode_content(header_value(out.headers, "Content-Encoding"), std::move(body));
    if (!decoded) {
        std::string text = "error decompressing response body (" + decoded.error() + ")";
        error = HttpError{1701, text, text, true};
        return false;
    }
    out.body = std::move(*decoded);
    out.body_read = true;
    return true;
}

bool HttpConnection::idle_usable() {
    if (closed || !connected || buffer.size() != 0) {
        return false;
    }
    char byte = 0;
    ssize_t n = ::recv(plain.next_layer().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK); // nothing to read: still open
}

void HttpConnection::close() {
    if (closed) {
        return;
    }
    closed = true;
    boost::system::error_code ec;
    plain.next_layer().close(ec);
}

std::string HttpConnection::endpoints() const {
    if (!connected) {
        return {};
    }
    return endpoint_text(local_ep) + "->" + endpoint_text(remote_ep);
}

StopCause HttpConnection::stop_cause() const {
    if (cancelled) {
        return StopCause::kTimeout;
    }
    return closed ? StopCause::kClosed : StopCause::kNone;
}

} // namespace volley::net::detail
