#pragma once

// k6/crypto (k6's internal/js/modules/k6/crypto/crypto.go): one-shot digests (md4 ... ripemd160)
// and hmac() with k6's output encodings ("hex", "base64", "base64url", "base64rawurl" and
// "binary", an ArrayBuffer), the streaming createHash()/createHMAC() Hasher, randomBytes() and
// hexEncode(). Inputs are what k6's common.ToBytes takes (modules/bytes_arg.hpp); errors are
// k6's GoErrors. One difference: createHash() of an unknown algorithm crashes k6 v1.6.1 (a nil
// function call); here it throws "invalid algorithm: <name>", as createHMAC does.

#include "quickjs.h"

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule crypto_module();

// The classes of k6/crypto (Hasher) and of the crypto global (CryptoKey), per runtime.
void register_crypto_classes(JSRuntime* rt);

} // namespace volley::modules
