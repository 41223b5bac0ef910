#pragma once

// http.batch(requests) (k6's Client.Batch and httpext.MakeBatchRequests). VU coroutine only.

#include "quickjs.h"

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

// Parses every request (an array or an object of them), runs them in parallel within the batch
// and batchPerHost options, and returns their responses in the same shape. Parse failures and
// `throw` behave as in k6.
JSValue run_batch(JSContext* ctx, VuApi& vu, JSValueConst requests);

} // namespace volley::modules::http
