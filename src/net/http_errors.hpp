#pragma once

// k6's error codes and texts for failed HTTP round trips (k6's lib/netext/httpext/
// error_codes.go: errorCodeForError), from the failing step's error code. Each result carries
// k6's short text (res.error) and Go's error text (logged and thrown). Pure; any thread.

#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "net/go_errors.hpp"
#include "net/http_client.hpp"

namespace volley::net::detail {

enum class HttpPhase;

// DNS: 1101 `lookup: no such host`, else 1100 with Go's text.
HttpError resolve_error(std::string_view host, const boost::system::error_code& ec,
                        StopCause cause);

// TCP dial: 1212 `dial: connection refused`, 1211 `dial: i/o timeout` (the request's deadline
// passed while dialling), 1213 for another errno (a failed bind to a --local-ips address too).
HttpError dial_error(const boost::asio::ip::tcp::endpoint& ep, const boost::system::error_code& ec,
                     StopCause cause, const DialSource& source = {});

// TLS handshake, from Go's text: 1310 `x509: unknown authority`, 1311 `x509: certificate
// doesn't match hostname`, else 1000 with the text.
HttpError tls_error(const std::string& go_text);

// A read or write on an open connection: 1220 `<op>: connection reset by peer`, 1201
// `<op>: broken pipe`, 1050 `request timeout`, else 1200 with Go's text.
HttpError io_error(std::string_view op, std::string_view endpoints,
                   const boost::system::error_code& ec, StopCause cause);

// Reading a response: EOF before it (1000 `EOF`), a cut body (1000 `unexpected EOF`), a
// malformed one, or the io errors above.
HttpError response_error(const boost::system::error_code& ec, HttpPhase phase,
                         std::string_view endpoints, StopCause cause);

// k6's `request timeout` (1050), when the deadline passed in any step.
HttpError timeout_error();

} // namespace volley::net::detail
