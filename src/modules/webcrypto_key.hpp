#pragma once

// crypto.subtle's CryptoKey (k6's key.go): a JS object with own data properties type,
// extractable, algorithm and usages, laid out as k6's Go struct shows them (the algorithm object
// includes k6's embedded-struct fields key_algorithm and algorithm), holding the key material in
// C++. VU thread only.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quickjs.h"

namespace volley::modules {

struct CryptoKeyData {
    std::string type = "secret"; // "secret", "private" or "public"
    bool extractable = false;
    std::string algorithm;   // "HMAC", ...
    std::string hash;        // the HMAC hash ("SHA-256")
    std::int64_t length = 0; // HMAC key length in bits
    std::vector<std::string> usages;
    std::string secret; // a secret key's bytes

    bool has_usage(std::string_view usage) const;
};

void register_crypto_key_class(JSRuntime* rt);

// A new CryptoKey object holding `data`.
JSValue new_crypto_key(JSContext* ctx, CryptoKeyData data);

// The key held by a CryptoKey object; nullptr for anything else.
const CryptoKeyData* crypto_key_data(JSValueConst v);

// A keyUsages argument (a Go []string parameter): the array's items as strings; nullish gives
// none.
std::vector<std::string> key_usages_arg(JSContext* ctx, JSValueConst v);

} // namespace volley::modules
