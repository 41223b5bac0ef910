#pragma once

// The Response objects of k6/http (k6's httpext.Response as Sobek exposes it: snake_case fields,
// json(), html()). VU coroutine only.

#include "quickjs.h"

#include "modules/http_exchange.hpp"
#include "modules/http_types.hpp"

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

void register_response_class(JSRuntime* rt);
// Sets up the Response prototype in a new context (at module init).
void setup_response_proto(JSContext* ctx);

// The script's Response for a finished exchange.
JSValue response_object(JSContext* ctx, const ParsedRequest& req, const Exchange& ex);

// The Response k6 returns for a request it could not even parse (error and error_code set).
JSValue failed_response_object(JSContext* ctx, const ParseFailure& failure);

// What http.request gives for a request that did not parse (k6's handleParseRequestError):
// with `throw` the error is thrown (js::Error), else logged as "Request Failed" and answered
// with failed_response_object.
JSValue parse_failure_result(JSContext* ctx, VuApi& vu, const ParseFailure& failure);

// What http.request gives for a finished exchange (k6's Request after MakeRequest): an
// uncatchable error once the VU is interrupted; a thrown error for a 101 response or, with
// `throw`, a failed request; else the Response (a failed one logged as "Request Failed").
JSValue exchange_result(JSContext* ctx, VuApi& vu, const ParsedRequest& req, const Exchange& ex);

} // namespace volley::modules::http
