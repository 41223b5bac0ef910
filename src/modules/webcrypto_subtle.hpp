#pragma once

// crypto.subtle of k6 v1.6.1 (internal/js/modules/k6/webcrypto/subtle_crypto.go): an object
// with the twelve SubtleCrypto methods as read-only enumerable properties. Every method returns
// a promise; failures reject it with k6's webcrypto error object (modules/webcrypto_error.hpp).
// What works is listed in docs/compatibility.md.

#include "quickjs.h"

namespace volley::modules {

// A new `subtle` object for the crypto global.
JSValue new_subtle_crypto(JSContext* ctx);

} // namespace volley::modules
