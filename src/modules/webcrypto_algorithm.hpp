#pragma once

// Argument handling shared by the crypto.subtle methods, as k6's webcrypto does it
// (algorithm.go's normalizeAlgorithm, sobek.go's exportArrayBuffer). VU thread only; failures
// throw WebCryptoError.

#include <string>
#include <string_view>

#include "quickjs.h"

#include "js/value.hpp"

namespace volley::modules {

// An algorithm argument normalized: `name` upper-cased (except "RSASSA-PKCS1-v1_5"), and the
// object it came from (a string becomes {name}), for the algorithm's other parameters.
struct Algorithm {
    std::string name;
    js::Value params;
};

// normalizeAlgorithm(v, op): NotSupportedError when the name is not registered for `op`
// ("digest", "sign", "importKey", ...), SyntaxError when `v` is neither a string nor an object.
Algorithm normalize_algorithm(JSContext* ctx, JSValueConst v, std::string_view op);

// True when `name` is registered for `op` in k6 (isRegisteredAlgorithm).
bool is_registered_algorithm(std::string_view name, std::string_view op);

// exportArrayBuffer: a copy of an ArrayBuffer's bytes, or of a typed array's whole buffer (k6
// ignores the view's offset and length); TypeError for null/undefined, OperationError for
// anything else (a DataView included).
std::string export_array_buffer(JSContext* ctx, JSValueConst v);

// True for an ArrayBuffer, a DataView or a typed array.
bool is_buffer_source(JSContext* ctx, JSValueConst v);

} // namespace volley::modules
