#pragma once

// crypto.subtle.digest (subtle_crypto.go's Digest): SHA-1, SHA-256, SHA-384 and SHA-512 of an
// ArrayBuffer, typed array (its whole buffer, as k6) or DataView (refused by k6's copy step).

#include <string_view>

#include "quickjs.h"

namespace volley::modules {

// The digest as a new ArrayBuffer; throws WebCryptoError (or a plain error for data that is
// not a buffer source, as k6 rejects with errors.New).
JSValue subtle_digest(JSContext* ctx, JSValueConst algorithm, JSValueConst data);

// The Digest name ("sha256") of a WebCrypto hash name ("SHA-256"); empty for others.
const char* k6_hash_name(std::string_view webcrypto_name);

} // namespace volley::modules
