#pragma once

// Symmetric JSON Web Keys in crypto.subtle (k6's jwk.go): reading {kty: "oct", k} on import and
// writing {k, kty, ext, key_ops, alg} on export, for HMAC and AES keys. Failures throw
// WebCryptoError.

#include <string>

#include "quickjs.h"

#include "modules/webcrypto_key.hpp"

namespace volley::modules {

// extractSymmetricJWK: the key bytes of a JWK object, or a DataError as k6 words it.
std::string symmetric_jwk_bytes(JSContext* ctx, JSValueConst jwk);

// exportSymmetricJWK with `alg` ("HS256", "A128GCM", ...).
JSValue symmetric_jwk(JSContext* ctx, const CryptoKeyData& key, const std::string& alg);

} // namespace volley::modules
