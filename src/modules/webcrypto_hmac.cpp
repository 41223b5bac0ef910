#include "modules/webcrypto_hmac.hpp"

#include <cmath>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_digest.hpp"
#include "modules/webcrypto_error.hpp"
#include "modules/webcrypto_jwk.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

void check_usages(const std::vector<std::string>& usages) {
    for (const auto& u : usages) {
        if (u != "sign" && u != "verify") {
            throw WebCryptoError("SyntaxError", "invalid key usage: " + u);
        }
    }
}

std::int64_t to_integer(JSContext* ctx, JSValueConst v) {
    double d = 0;
    if (JS_ToFloat64(ctx, &d, v) < 0) {
        throw js::PendingException{};
    }
    if (std::isnan(d)) {
        return 0;
    }
    return d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : static_cast<std::int64_t>(d);
}

} // namespace

HmacParams hmac_params(JSContext* ctx, const Algorithm& algorithm) {
    HmacParams p;
    js::Value hash(ctx, JS_GetPropertyStr(ctx, algorithm.params.get(), "hash"));
    if (js::is_nullish(hash.get())) {
        throw WebCryptoError("SyntaxError", "could not get hash from algorithm parameter");
    }
    p.hash = normalize_algorithm(ctx, hash.get(), "generateKey").name;
    js::Value length(ctx, JS_GetPropertyStr(ctx, algorithm.params.get(), "length"));
    if (!js::is_nullish(length.get())) {
        p.has_length = true;
        p.length = to_integer(ctx, length.get());
    }
    return p;
}

CryptoKeyData hmac_import_key(JSContext* ctx, const std::string& format, JSValueConst key_data,
                              std::string raw, const HmacParams& params,
                              const std::vector<std::string>& usages) {
    check_usages(usages);
    if (format != "raw" && format != "jwk") {
        throw WebCryptoError("NotSupportedError", "unsupported key format " + format);
    }
    if (format == "jwk") {
        raw = symmetric_jwk_bytes(ctx, key_data);
    }
    auto bits = static_cast<std::int64_t>(raw.size()) * 8;
    if (bits == 0) {
        throw WebCryptoError("DataError", "key length cannot be 0");
    }
    if (params.has_length && params.length != bits) {
        throw WebCryptoError("DataError",
                             "key length cannot be different from the length of the imported data");
    }
    CryptoKeyData key;
    key.algorithm = "HMAC";
    key.hash = params.hash;
    key.length = bits;
    key.secret = std::move(raw);
    return key;
}

CryptoKeyData hmac_generate_key(const HmacParams& params, const std::vector<std::string>& usages) {
    check_usages(usages);
    std::int64_t bits = params.length;
    if (!params.has_length) {
        if (params.hash == "SHA-1" || params.hash == "SHA-256") {
            bits = 512;
        } else if (params.hash == "SHA-384" || params.hash == "SHA-512") {
            bits = 1024;
        } else {
            throw WebCryptoError("ImplementationError", "invalid hash algorithm: " + params.hash);
        }
    }
    if (bits == 0) {
        throw WebCryptoError("OperationError", "algorithm's length cannot be 0");
    }
    if (bits < 0 || bits > (std::int64_t{1} << 34)) {
        throw WebCryptoError("OperationError", "invalid key length");
    }
    CryptoKeyData key;
    key.algorithm = "HMAC";
    key.hash = params.hash;
    key.length = bits;
    key.secret = random_bytes(static_cast<std::size_t>(bits / 8));
    return key;
}

JSValue hmac_export_key(JSContext* ctx, const CryptoKeyData& key, const std::string& format) {
    if (format == "raw") {
        return new_array_buffer(ctx, key.secret);
    }
    if (format != "jwk") {
        throw WebCryptoError("NotSupportedError", "unsupported key format " + format);
    }
    if (key.hash.size() < 4) {
        throw WebCryptoError(
            "ImplementationError",
            "failed to extract algorithm: length of hash algorithm is less than 4: " + key.hash);
    }
    return symmetric_jwk(ctx, key, "HS" + key.hash.substr(4));
}

std::string hmac_sign(const CryptoKeyData& key, std::string_view data) {
    auto hash = Digest::create(k6_hash_name(key.hash));
    if (!hash) {
        throw WebCryptoError("NotSupportedError", "unsupported hash algorithm " + key.hash);
    }
    auto mac = make_hmac(std::move(hash), key.secret);
    mac->update(data);
    return mac->sum();
}

} // namespace volley::modules
