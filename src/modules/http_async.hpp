#pragma once

// http.asyncRequest (k6's Client.asyncRequest): the request is parsed at once, then runs on its
// own coroutine of the VU's thread while the script goes on, holding the VU's event loop; its
// promise is settled by a task of the loop with the response (or rejected with the error that
// http.request would throw). Many run at once, as in k6. An iteration that ends early (an
// exception, an interrupt) cancels them, and the VU waits for their coroutines to end
// (HttpState::drain) before it goes on, since they use it.

#include <string>

#include <quickjs.h>

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

// The promise; throws js::Error in the init context, as k6.
JSValue async_request(JSContext* ctx, VuApi& vu, std::string method, JSValueConst url,
                      JSValueConst body, JSValueConst params);

} // namespace volley::modules::http
