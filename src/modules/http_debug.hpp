#pragma once

// k6's --http-debug[=full] (lib/netext/httpext/httpdebug_transport.go): every round trip's
// request and response as info lines, `Request:\n<dump>\n` and `Response:\n<dump>\n` with CRLF
// as LF, the body only with `full`, and the fields logrus gives them: the request's tags,
// `iter`, `request_id` (a UUID shared by the pair), `source=http-debug` and `vu`, sorted by name.
// The request is what volley puts on the wire (k6's dump adds an `Accept-Encoding: gzip` that k6
// does not send); the response's headers are as received, Content-Length first and the others
// sorted, and its body as decoded.

#include <string>

#include "modules/http_types.hpp"
#include "modules/vu_api.hpp"
#include "net/http_client.hpp"

namespace volley::modules::http {

std::string request_dump(const net::HttpRequest& wire, bool keep_alive, bool full);
std::string response_dump(const net::HttpResponse& r, bool full);

// Logs one round trip's request (before it is sent) or response (when one came). No-ops when
// --http-debug is off.
class HttpDebugLog {
public:
    HttpDebugLog(VuApi& vu, const ParsedRequest& req);
    void request(const net::HttpRequest& wire, bool keep_alive);
    void response(const net::HttpResponse& r);

private:
    void write(const std::string& what, const std::string& dump);

    VuApi& vu_;
    const ParsedRequest& req_;
    bool on_;
    bool full_;
    std::string id_;
};

} // namespace volley::modules::http
