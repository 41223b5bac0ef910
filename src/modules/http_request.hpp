#pragma once

// k6/http's parseRequest (k6's js/modules/k6/http/request.go): a script's method, URL, body and
// params as a ParsedRequest, with k6's texts for what it rejects. VU coroutine only.

#include <string>
#include <variant>

#include "quickjs.h"

#include "modules/http_types.hpp"

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

// Parses one request. A failure k6 reports through its handleParseRequestError (logged, or
// thrown with `throw`) is returned as a ParseFailure; a JS exception raised while reading the
// arguments propagates as js::PendingException.
std::variant<ParsedRequest, ParseFailure> parse_request(JSContext* ctx, VuApi& vu,
                                                        std::string method, JSValueConst url,
                                                        JSValueConst body, JSValueConst params);

// k6's URL.Clean(): user info masked as `****` or `****:****` (the `url` and `name` tags).
std::string clean_url(const std::string& url);

} // namespace volley::modules::http
