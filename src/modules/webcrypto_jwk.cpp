#include "modules/webcrypto_jwk.hpp"

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/webcrypto_error.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

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

} // namespace

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

JSValue symmetric_jwk(JSContext* ctx, const CryptoKeyData& key, const std::string& alg) {
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
    js::define(ctx, jwk.get(), "alg", js::new_string(ctx, alg));
    return jwk.release();
}

} // namespace volley::modules
