#pragma once

// How a crypto.subtle method answers: `body` does the work at once (the operations are short
// and CPU-bound) and returns the result, which fulfils the returned promise; a WebCryptoError it
// throws rejects the promise with k6's error object, and any other error rejects it with a JS
// error. Nothing is thrown synchronously, as in k6.

#include <exception>

#include "quickjs.h"
#include <boost/context/fiber.hpp>

#include "js/native.hpp"
#include "modules/webcrypto_error.hpp"

namespace volley::modules {

// A promise settled with `value` (taken): fulfilled, or rejected when `rejected`.
JSValue settled_promise(JSContext* ctx, JSValue value, bool rejected);

template <class Body> JSValue settle(JSContext* ctx, Body&& body) {
    JSValue reason = JS_UNDEFINED;
    try {
        return settled_promise(ctx, body(), false);
    } catch (const boost::context::detail::forced_unwind&) {
        throw;
    } catch (const WebCryptoError& e) {
        reason = webcrypto_error_value(ctx, e);
    } catch (const js::PendingException&) {
        reason = JS_GetException(ctx);
    } catch (const js::Error& e) {
        js::throw_error(ctx, e.kind(), e.what());
        reason = JS_GetException(ctx);
    } catch (const std::exception& e) {
        js::throw_error(ctx, js::ErrorKind::kError, e.what());
        reason = JS_GetException(ctx);
    }
    return settled_promise(ctx, reason, true);
}

} // namespace volley::modules
