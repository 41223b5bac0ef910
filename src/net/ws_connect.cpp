// WsClient's opening handshake: resolve, dial, TLS, HTTP upgrade, under one deadline.

#include <cerrno>
#include <memory>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/dial.hpp"
#include "net/http_errors.hpp"
#include "net/ws_error_code.hpp"
#include "net/ws_session.hpp"
#include "util/error.hpp"

#include <sys/socket.h>

namespace volley::net::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

using ResponseParser = http::response_parser<http::string_body>;
constexpr std::size_t kBodyKept = 1024; // gorilla keeps this much of a failed upgrade's body

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

// Cuts the connect's time into its phases: each lap() gives the time since the last one to a
// phase that was reached (a phase after a failure gets 0); close_out() gives what is left of the
// total to the last phase reached, so that the phases add up to connect_ms.
class PhaseClock {
public:
    PhaseClock(std::chrono::steady_clock::time_point start, const HandshakeResult& r)
        : last_(start), r_(r) {}
    void lap(double& phase) {
        if (done_) {
            return;
        }
        auto now = std::chrono::steady_clock::now();
        phase = std::chrono::duration<double, std::milli>(now - last_).count();
        last_ = now;
        sum_ += phase;
        last_phase_ = &phase;
        done_ = !r_.error.empty();
    }
    void close_out(double total) {
        if (last_phase_ != nullptr) {
            *last_phase_ += total - sum_;
        }
    }

private:
    std::chrono::steady_clock::time_point last_;
    const HandshakeResult& r_;
    double sum_ = 0;
    double* last_phase_ = nullptr;
    bool done_ = false;
};

} // namespace

Session::Session(asio::io_context& ioc)
    : ioc_(ioc), plain_(counters_, ioc.get_executor()), timer_(ioc.get_executor()),
      wait_timer_(ioc.get_executor()) {}

Session::~Session() = default;

HandshakeResult Session::connect(std::string_view raw, const HandshakeOptions& o, Yield yield) {
    auto start = std::chrono::steady_clock::now();
    HandshakeResult r;
    auto url = parse_ws_url(raw);
    if (!url) {
        r.error = url.error();
        r.error_code = ws_error::kInvalidUrl;
        r.connect_ms = ms_since(start);
        r.dns_ms = r.connect_ms;
        return r;
    }
    std::string key = make_key();
    auto request = build_request(*url, RequestSpec{&o.headers, o.user_agent, o.compression, key});
    if (!request) {
        r.error = request.error();
        r.error_code = ws_error::kBadRequestHeader;
        r.connect_ms = ms_since(start);
        r.dns_ms = r.connect_ms;
        return r;
    }
    arm_deadline(o.timeout);
    bool ok = false;
    PhaseClock phases(start, r);
    if (auto ep = resolve(*url, o, r, yield)) {
        phases.lap(r.dns_ms);
        ok = dial(*ep, o, r, yield);
        phases.lap(r.tcp_ms);
        if (url->tls) {
            ok = ok && tls_handshake(*url, o, r, yield);
            phases.lap(r.tls_ms);
        }
        ok = ok && upgrade(*request, key, o.compression, r, yield);
        phases.lap(r.upgrade_ms);
    } else {
        phases.lap(r.dns_ms);
    }
    disarm_deadline();
    if (ok) {
        r.ok = true;
        open_ = true;
    } else {
        close_transport();
    }
    r.connect_ms = ms_since(start);
    phases.close_out(r.connect_ms);
    return r;
}

std::optional<tcp::endpoint> Session::resolve(const WsUrl& url, const HandshakeOptions& o,
                                              HandshakeResult& r, Yield yield) {
    const std::string& host = url.host;
    if (o.policy != nullptr) {
        if (const std::string* pattern = o.policy->blocked(host)) {
            r.error = DialPolicy::blocked_text(host, *pattern);
            r.error_code = ws_error::kBlockedHostname;
            return std::nullopt;
        }
        if (auto target = o.policy->mapped(host, url.port)) {
            return allowed(tcp::endpoint(target->ip, target->port), o, r);
        }
    }
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (!ec) {
        return allowed(tcp::endpoint(addr, url.port), o, r); // IP literal: no resolver thread
    }
    if (transport_closed_) {
        r.error = lookup_error_text(host, asio::error::operation_aborted, stop_cause());
        r.error_code = ws_error::kTimeout;
        return std::nullopt;
    }
    Resolver resolver(ioc_.get_executor());
    resolver_ = &resolver;
    DnsResolver& dns = o.dns != nullptr ? *o.dns : DnsResolver::fallback();
    auto ip =
        dns.resolve(host, [&](const std::string& h) { return system_lookup(resolver, h, yield); });
    resolver_ = nullptr;
    if (!ip) {
        ec = ip.error();
        r.error = lookup_error_text(host, ec, stop_cause());
        r.error_code = detail::resolve_error(host, ec, stop_cause()).code;
        return std::nullopt;
    }
    return allowed(tcp::endpoint(*ip, url.port), o, r);
}

std::optional<tcp::endpoint> Session::allowed(const tcp::endpoint& ep, const HandshakeOptions& o,
                                              HandshakeResult& r) {
    if (o.policy != nullptr) {
        if (const std::string* range = o.policy->blacklisted(ep.address())) {
            r.error = DialPolicy::blacklisted_text(ep.address(), *range);
            r.error_code = ws_error::kBlacklistedIp;
            return std::nullopt;
        }
    }
    return ep;
}

bool Session::dial(const tcp::endpoint& ep, const HandshakeOptions& o, HandshakeResult& r,
                   Yield yield) {
    r.remote_ip = address_text(ep.address());
    auto& sock = plain_.next_layer();
    boost::system::error_code ec = asio::error::operation_aborted;
    DialSource source{o.local_ip};
    if (!transport_closed_) { // a deadline or cancel() before the dial: do not reopen
        ec = dial_nonblocking(sock, ep, source, yield);
    }
    if (ec) {
        r.error = dial_error_text(ep, ec, stop_cause(), source);
        r.error_code = detail::dial_error(ep, ec, stop_cause()).code;
        return false;
    }
    sock.set_option(tcp::no_delay(true), ec); // Go's default, and what a load tool wants
    local_ep_ = sock.local_endpoint(ec);      // now: the socket may be closed when a text needs it
    remote_ep_ = ep;
    dialed_ = true;
    return true;
}

bool Session::tls_handshake(const WsUrl& url, const HandshakeOptions& o, HandshakeResult& r,
                            Yield yield) {
    const TlsConfig& cfg = o.tls != nullptr ? *o.tls : TlsConfig::default_config();
    tls_ = std::make_unique<TlsStream>(plain_, cfg.context());
    if (!cfg.prepare(tls_->native_handle(), url.host, url.host_is_ip)) {
        r.error = "tls: could not configure the connection for " + url.host;
        r.error_code = ws_error::kTls;
        return false;
    }
    boost::system::error_code ec;
    tls_->async_handshake(asio::ssl::stream_base::client, yield[ec]);
    if (!ec) {
        return true;
    }
    if (stop_cause() != StopCause::kNone) {
        r.error = io_error_text("read", endpoints(), ec, stop_cause());
        r.error_code = ws_error::kTimeout;
    } else {
        r.error = tls_error_text(tls_->native_handle(), ec);
        r.error_code = ws_error::of_tls_text(r.error);
    }
    return false;
}

namespace {

// Go's texts for a response that could not be read.
std::string response_read_error(const boost::system::error_code& ec, std::string_view endpoints,
                                StopCause cause) {
    if (cause != StopCause::kNone) {
        return io_error_text("read", endpoints, ec, cause);
    }
    if (ec == http::error::end_of_stream) {
        return "EOF";
    }
    if (ec == http::error::partial_message || ec == asio::ssl::error::stream_truncated ||
        ec == asio::error::eof) {
        return "unexpected EOF";
    }
    if (ec.category() == asio::error::get_system_category()) {
        return io_error_text("read", endpoints, ec, cause);
    }
    return "malformed HTTP response";
}

// ws_error_code.hpp's code for response_read_error's cases.
int response_read_code(const boost::system::error_code& ec, StopCause cause) {
    if (cause != StopCause::kNone) {
        return ws_error::kTimeout;
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == asio::ssl::error::stream_truncated || ec == asio::error::eof) {
        return ws_error::kHandshakeEof;
    }
    if (ec.category() == asio::error::get_system_category()) {
        return ws_error::of_io(ec, cause);
    }
    return ws_error::kMalformedResponse;
}

Headers raw_headers(const ResponseParser& parser) {
    Headers raw;
    for (const auto& field : parser.get().base()) {
        raw.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return raw;
}

} // namespace

bool Session::upgrade(const std::string& request, std::string_view key, bool compression,
                      HandshakeResult& r, Yield yield) {
    boost::system::error_code ec;
    with_stream([&](auto& s) { asio::async_write(s, asio::buffer(request), yield[ec]); });
    if (ec) {
        r.error = io_error_text("write", endpoints(), ec, stop_cause());
        r.error_code = stop_cause() == StopCause::kNone ? ws_error::of_io(ec, StopCause::kNone)
                                                        : ws_error::kTimeout;
        return false;
    }
    // On the heap: the parser is large, and this runs on the VU's coroutine stack, whose touched
    // pages stay resident for the VU's life (docs/performance.md, "VU memory").
    auto parser_ptr = std::make_unique<ResponseParser>();
    ResponseParser& parser = *parser_ptr;
    parser.header_limit(64 * 1024);
    parser.body_limit(boost::none);
    with_stream([&](auto& s) { http::async_read_header(s, rbuf_, parser, yield[ec]); });
    if (ec) {
        r.error = response_read_error(ec, endpoints(), stop_cause());
        r.error_code = response_read_code(ec, stop_cause());
        return false;
    }
    r.status = static_cast<int>(parser.get().result_int());
    Headers raw = raw_headers(parser);
    for (const auto& [name, value] : raw) {
        if (iequals(name, "Set-Cookie")) {
            r.set_cookies.push_back(value);
        }
    }
    r.headers = canonical_response_headers(raw);
    ResponseCheck check = check_response(r.status, r.headers, key, compression);
    if (!check.ok) {
        // Like gorilla, keep the start of the body to help debugging (errors ignored).
        while (!parser.is_done() && parser.get().body().size() < kBodyKept && !ec) {
            with_stream([&](auto& s) { http::async_read_some(s, rbuf_, parser, yield[ec]); });
        }
        r.body = parser.get().body().substr(0, kBodyKept);
        r.error = check.error;
        r.error_code = check.error_code;
        return false;
    }
    r.subprotocol = check.subprotocol;
    r.compression = compression_ = check.compression;
    if (compression_) {
        deflate_ = std::make_unique<PerMessageDeflate>();
    }
    return true;
}

void Session::arm_deadline(std::chrono::steady_clock::duration timeout) {
    auto gen = ++deadline_gen_;
    deadline_armed_ = true;
    timer_.expires_after(timeout);
    timer_.async_wait(
        [self = boost::intrusive_ptr<Session>(this), gen](const boost::system::error_code& ec) {
            if (ec || !self->deadline_armed_ || gen != self->deadline_gen_) {
                return;
            }
            self->timed_out_ = true;
            self->close_transport();
        });
}

void Session::disarm_deadline() {
    deadline_armed_ = false;
    timer_.cancel();
}

void Session::close_transport() {
    if (resolver_ != nullptr) {
        resolver_->cancel();
    }
    wait_timer_armed_ = false;
    wait_timer_.cancel(); // its handler holds a reference: do not keep the session alive
    if (transport_closed_) {
        return;
    }
    transport_closed_ = true;
    boost::system::error_code ec;
    plain_.next_layer().close(ec); // cancels the reader's read and any pending write
}

std::string Session::endpoints() const {
    if (!dialed_) {
        return {};
    }
    return endpoint_text(local_ep_) + "->" + endpoint_text(remote_ep_);
}

StopCause Session::stop_cause() const {
    if (timed_out_ || cancelled_) {
        return StopCause::kTimeout;
    }
    return transport_closed_ ? StopCause::kClosed : StopCause::kNone;
}

void Session::cancel() {
    cancelled_ = true;
    close_transport();
    wake();
}

} // namespace volley::net::detail
