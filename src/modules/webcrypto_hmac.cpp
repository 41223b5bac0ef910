#include "modules/webcrypto_hmac.hpp"

#include <cmath>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_digest.hpp"
#include "modules/webcrypto_error.hpp"
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

// How Go's encoding/json names a JS value it cannot put into a string field.
const char* json_type(JSContext* ctx, JSValueConst v) {
    if (JS_IsNumber(v)) {
        return "number";
    }
    if (JS_IsBool(v)) {
        return "bool";
    }
    return JS_IsArray(ctx, v) ? "array" : "object";
}

// A string field of the JWK as json.Unmarshal fills it (absent or null: "").
std::string jwk_field(JSContext* ctx, JSValueConst jwk, const char* name) {
    if (!JS_IsObject(jwk)) {
        return {};
    }
    js::Value v(ctx, JS_GetPropertyStr(ctx, jwk, name));
    if (js::is_nullish(v.get())) {
        return {};
    }
    if (!JS_IsString(v.get())) {
        throw WebCryptoError("DataError",
                             std::string("failed to parse symmetric JWK: json: cannot unmarshal ") +
                                 json_type(ctx, v.get()) + " into Go struct field symmetricJWK." +
                                 name + " of type string");
    }
    return go_string_arg(ctx, v.get());
}

// extractSymmetricJWK
std::string symmetric_jwk_bytes(JSContext* ctx, JSValueConst jwk) {
    std::string kty = jwk_field(ctx, jwk, "kty");
    std::string k = jwk_field(ctx, jwk, "k");
    if (kty != "oct") {
        throw WebCryptoError("DataError", "invalid symmetric JWK: invalid key type: " + kty);
    }
    if (k.empty()) {
        throw WebCryptoError("DataError", "invalid symmetric JWK: key (k) is required");
    }
    std::size_t at = 0;
    auto bytes = base64_decode(k, Base64::kRawUrl, at);
    if (!bytes) {
        throw WebCryptoError("DataError",
                             "failed to decode symmetric key: illegal base64 data at input byte " +
                                 std::to_string(at));
    }
    return *bytes;
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
    js::Value jwk(ctx, JS_NewObject(ctx));
    js::define(ctx, jwk.get(), "k",
               js::new_string(ctx, base64_encode(key.secret, Base64::kRawUrl)));
    js::define(ctx, jwk.get(), "kty", JS_NewString(ctx, "oct"));
    js::define(ctx, jwk.get(), "ext", JS_NewBool(ctx, key.extractable));
    JSValue ops = JS_NewArray(ctx);
    for (std::size_t i = 0; i < key.usages.size(); ++i) {
        JS_SetPropertyUint32(ctx, ops, static_cast<std::uint32_t>(i),
                             js::new_string(ctx, key.usages[i]));
    }
    js::define(ctx, jwk.get(), "key_ops", ops);
    if (key.hash.size() < 4) {
        throw WebCryptoError(
            "ImplementationError",
            "failed to extract algorithm: length of hash algorithm is less than 4: " + key.hash);
    }
    js::define(ctx, jwk.get(), "alg", js::new_string(ctx, "HS" + key.hash.substr(4)));
    return jwk.release();
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
