#pragma once

// AES in crypto.subtle as k6's aes.go does it: AES-CBC, AES-CTR and AES-GCM encrypt and decrypt,
// importKey and exportKey ("raw", "jwk") and generateKey for those and AES-KW, with k6's checks
// and error names and texts. VU thread only; failures throw WebCryptoError.

#include <string>
#include <vector>

#include "quickjs.h"

#include "modules/webcrypto_algorithm.hpp"
#include "modules/webcrypto_key.hpp"

namespace volley::modules {

bool is_aes_algorithm(const std::string& algorithm);

// ImportKey: `raw` is the bytes for "raw"; `key_data` the JWK object for "jwk".
CryptoKeyData aes_import_key(JSContext* ctx, const std::string& algorithm,
                             const std::string& format, JSValueConst key_data, std::string raw,
                             const std::vector<std::string>& usages);

// GenerateKey (newAESKeyGenParams reads `length` from the algorithm).
CryptoKeyData aes_generate_key(JSContext* ctx, const Algorithm& algorithm,
                               const std::vector<std::string>& usages);

// exportAESKey: an ArrayBuffer for "raw", a JWK object for "jwk".
JSValue aes_export_key(JSContext* ctx, const CryptoKeyData& key, const std::string& format);

// The algorithm's parameters, read as k6 reads them before the key's usages are checked.
struct AesParams {
    std::string name;
    std::string iv;              // CBC, GCM
    std::string counter;         // CTR
    std::int64_t length = 0;     // CTR counter bits
    bool has_additional = false; // GCM
    std::string additional_data; // GCM
    std::int64_t tag_length = 0; // GCM, bits; 0 = 128
};
AesParams aes_params(JSContext* ctx, const Algorithm& algorithm);

std::string aes_encrypt(const AesParams& params, const CryptoKeyData& key,
                        const std::string& plaintext);
std::string aes_decrypt(const AesParams& params, const CryptoKeyData& key,
                        const std::string& ciphertext);

} // namespace volley::modules
