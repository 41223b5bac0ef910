#pragma once

// One k6/http request from a ParsedRequest to its final response, as k6's httpext.MakeRequest
// does it: cookies from params and the jar, the compressed body, each hop of the redirect chain
// as one round trip with its own http_req_* samples, Set-Cookie into the jar, redirect rules of
// Go's http.Client and k6's CheckRedirect. VU coroutine (or a batch sub-coroutine of its
// thread); no JS is called.

#include <string>
#include <vector>

#include "modules/http_types.hpp"
#include "net/http_client.hpp"
#include "util/coroutine.hpp"

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

// What the script's Response is built from.
struct Exchange {
    net::HttpResponse response;   // the last hop's (its error, status, body, timings)
    std::string url;              // res.url: the last hop's URL (the URL given if no redirect)
    std::string request_url;      // request.url: the first hop's URL
    net::Headers request_headers; // request.headers (Go's Req.Header of the first hop)
    std::string request_body;     // request.body (before compression)
    std::string request_cookies;  // the first hop's Cookie header
    bool unsupported_101 = false; // k6 refuses 101 responses (always thrown)
    std::string error_detail;     // Go's error text for logs and `throw` ("" if none)
};

// Runs `req` (which it may change: headers and body of redirected hops) on the coroutine
// `yield` of the VU's thread. Emits the samples and counts the bytes on `vu`.
Exchange run_exchange(VuApi& vu, ParsedRequest& req, Yield yield);

} // namespace volley::modules::http
