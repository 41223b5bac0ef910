#pragma once

// The plain HTTP side of an echo-server connection (paths under /http/, echo_server.hpp lists
// them): HTTP/1.1 with keep-alive, plain and TLS. Runs on the connection's coroutine; internal
// to the echo server.

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "util/coroutine.hpp"
#include "wsecho/echo_session.hpp"
#include "wsecho/request_view.hpp"

namespace volley::wsecho {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the limits every request read by the echo server gets (64 KiB of head, 16 MiB of body).
void limit_request(RequestParser& parser);

// True when a request (its head read) is for the HTTP routes: not a WebSocket upgrade, and its
// path starts with /http/.
bool is_http_request(const HttpRequest& req);

// Serves `first` (its head read into `parser`, the rest of the connection's bytes in `buffer`),
// then every further request on the connection until the client closes, asks for
// `Connection: close`, a route ends the connection, or a request does not arrive or a response
// does not go out within 60 s. Errors end the connection quietly; never throws except
// Boost.Context's forced unwind.
void serve_http(TcpSocket& stream, boost::beast::flat_buffer& buffer, RequestParser& first,
                Yield yield);
void serve_http(boost::asio::ssl::stream<TcpSocket>& stream, boost::beast::flat_buffer& buffer,
                RequestParser& first, Yield yield);

} // namespace volley::wsecho
