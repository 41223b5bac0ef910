#pragma once

// The Response objects of k6/http (k6's httpext.Response as Sobek exposes it: snake_case fields,
// json(), html()). VU coroutine only.

#include "quickjs.h"

#include "modules/http_exchange.hpp"
#include "modules/http_types.hpp"

namespace volley::modules::http {

void register_response_class(JSRuntime* rt);
// Sets up the Response prototype in a new context (at module init).
void setup_response_proto(JSContext* ctx);

// The script's Response for a finished exchange.
JSValue response_object(JSContext* ctx, const ParsedRequest& req, const Exchange& ex);

// The Response k6 returns for a request it could not even parse (error and error_code set).
JSValue failed_response_object(JSContext* ctx, const ParseFailure& failure);

} // namespace volley::modules::http
