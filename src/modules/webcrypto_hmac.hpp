#pragma once

// HMAC in crypto.subtle as k6's hmac.go does it: importKey ("raw" and "jwk"), generateKey,
// exportKey ("raw" and "jwk"), sign and verify, with k6's checks in k6's order and its error
// names and texts. VU thread only; failures throw WebCryptoError.

#include <string>
#include <string_view>
#include <vector>

#include "quickjs.h"

#include "modules/webcrypto_algorithm.hpp"
#include "modules/webcrypto_key.hpp"

namespace volley::modules {

// The algorithm's other parameters: `hash` (normalized) and `length` (bits), if given.
struct HmacParams {
    std::string hash;
    bool has_length = false;
    std::int64_t length = 0;
};

// newHMACImportParams / newHMACKeyGenParams: SyntaxError without a hash.
HmacParams hmac_params(JSContext* ctx, const Algorithm& algorithm);

// ImportKey for HMAC; `key_data` is the bytes for "raw", the JWK object for "jwk".
CryptoKeyData hmac_import_key(JSContext* ctx, const std::string& format, JSValueConst key_data,
                              std::string raw, const HmacParams& params,
                              const std::vector<std::string>& usages);

// GenerateKey for HMAC: a random key of the given length (default: the hash's block size).
CryptoKeyData hmac_generate_key(const HmacParams& params, const std::vector<std::string>& usages);

// exportHMACKey: an ArrayBuffer for "raw", a JWK object for "jwk".
JSValue hmac_export_key(JSContext* ctx, const CryptoKeyData& key, const std::string& format);

// The MAC of `data` under `key`.
std::string hmac_sign(const CryptoKeyData& key, std::string_view data);

} // namespace volley::modules
