#include "net/http_errors.hpp"

#include <cerrno>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <fmt/format.h>

#include "net/dns_resolver.hpp"
#include "net/http_connection.hpp"

namespace volley::net::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

bool is_errno(const boost::system::error_code& ec, int value) {
    return ec.category() == boost::system::system_category() && ec.value() == value;
}

} // namespace

HttpError timeout_error() {
    return HttpError{1050, "request timeout", "request timeout"};
}

HttpError resolve_error(std::string_view host, const boost::system::error_code& ec,
                        StopCause cause) {
    if (cause == StopCause::kTimeout) {
        return timeout_error();
    }
    std::string text = lookup_error_text(host, ec, cause);
    if (ec == policy_emptied()) {
        return HttpError{1000, text, text}; // k6's plain error, not a *net.DNSError
    }
    if (text.ends_with(": no such host")) {
        return HttpError{1101, "lookup: no such host", text};
    }
    return HttpError{1100, text, text};
}

HttpError dial_error(const asio::ip::tcp::endpoint& ep, const boost::system::error_code& ec,
                     StopCause cause, const DialSource& source) {
    std::string text = dial_error_text(ep, ec, cause, source);
    if (cause == StopCause::kTimeout) {
        return HttpError{1211, "dial: i/o timeout", text};
    }
    if (is_errno(ec, ECONNREFUSED)) {
        return HttpError{1212, "dial: connection refused", text};
    }
    return HttpError{
        1213, fmt::format("dial: unknown errno {} error with msg `{}`", ec.value(), errno_text(ec)),
        text};
}

HttpError tls_error(const std::string& go_text) {
    if (go_text.find("certificate signed by unknown authority") != std::string::npos) {
        return HttpError{1310, "x509: unknown authority", go_text};
    }
    if (go_text.find("not valid for") != std::string::npos) {
        return HttpError{1311, "x509: certificate doesn't match hostname", go_text};
    }
    return HttpError{1000, go_text, go_text};
}

HttpError io_error(std::string_view op, std::string_view endpoints,
                   const boost::system::error_code& ec, StopCause cause) {
    if (cause == StopCause::kTimeout) {
        return timeout_error();
    }
    std::string text = io_error_text(op, endpoints, ec, cause);
    if (is_errno(ec, ECONNRESET)) {
        return HttpError{1220, fmt::format("{}: connection reset by peer", op), text};
    }
    if (is_errno(ec, EPIPE)) {
        return HttpError{1201, fmt::format("{}: broken pipe", op), text};
    }
    return HttpError{1200, text, text};
}

HttpError response_error(const boost::system::error_code& ec, HttpPhase phase,
                         std::string_view endpoints, StopCause cause) {
    if (cause == StopCause::kTimeout) {
        return timeout_error();
    }
    bool eof = ec == asio::error::eof || ec == http::error::end_of_stream ||
               ec == asio::ssl::error::stream_truncated || ec == http::error::partial_message;
    if (eof) {
        std::string text = phase == HttpPhase::kReadBody || ec == http::error::partial_message
                               ? "unexpected EOF"
                               : "EOF";
        return HttpError{1000, text, text};
    }
    if (ec.category() == boost::system::system_category() ||
        ec.category() == asio::error::get_misc_category()) {
        return io_error("read", endpoints, ec, cause);
    }
    std::string text = "malformed HTTP response";
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
        text = "net/http: server response headers exceeded the limit";
    }
    return HttpError{1000, text, text};
}

} // namespace volley::net::detail
