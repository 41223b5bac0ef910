#pragma once

// The echo server's plain HTTP routes (every path under /http/; echo_server.hpp lists them):
// what to answer to one request, as data. The connection side (keep-alive, delays, abrupt
// endings) is http_session.hpp's. Pure; any thread.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wsecho/request_view.hpp"

namespace volley::wsecho {

// How a route ends its exchange.
enum class HttpEnd {
    kRespond, // answer; the connection stays open if the request allows it
    kDrop,    // send the head (Content-Length: 100) and the 10-byte body, then close TCP
    kClose,   // close without answering
    kReset    // reset without answering (SO_LINGER 0, then close)
};

struct HttpReply {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers; // in order, names as sent
    std::string body;
    std::vector<std::string> chunks;         // non-empty: a chunked body instead of `body`
    std::chrono::milliseconds delay{0};      // before the response
    std::chrono::milliseconds body_delay{0}; // between the head and the body
    HttpEnd end = HttpEnd::kRespond;
};

// The longest any route waits (delay, slow-body).
constexpr std::chrono::milliseconds kMaxRouteWait{60'000};

// The reason phrase of `status` ("Not Found"), "Unknown" for codes without one.
std::string_view reason_phrase(unsigned status);

// The answer to `req`, whose path starts with /http/. `origin` is the server's own
// "http://127.0.0.1:PORT" (or https), for absolute redirects; `peer` the client's IP address.
// Unknown paths answer 404.
HttpReply route_http(const HttpRequest& req, std::string_view origin, std::string_view peer);

} // namespace volley::wsecho
