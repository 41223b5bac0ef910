#include "modules/webcrypto_key.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"

namespace volley::modules {
namespace {

JSClassID g_key_class = 0;

void finalize(JSRuntime*, JSValue obj) {
    delete static_cast<CryptoKeyData*>(JS_GetOpaque(obj, g_key_class));
}

JSValue named(JSContext* ctx, const std::string& name) {
    JSValue o = JS_NewObject(ctx);
    js::define(ctx, o, "name", js::new_string(ctx, name));
    return o;
}

// {algorithm: {name}, name}: k6's KeyAlgorithm as Sobek shows it.
JSValue key_algorithm(JSContext* ctx, const std::string& name) {
    JSValue o = JS_NewObject(ctx);
    js::define(ctx, o, "algorithm", named(ctx, name));
    js::define(ctx, o, "name", js::new_string(ctx, name));
    return o;
}

JSValue algorithm_object(JSContext* ctx, const CryptoKeyData& d) {
    JSValue o = JS_NewObject(ctx);
    if (d.algorithm.rfind("AES-", 0) == 0) { // k6's AESKeyAlgorithm: {algorithm, name, length}
        js::define(ctx, o, "algorithm", named(ctx, d.algorithm));
        js::define(ctx, o, "name", js::new_string(ctx, d.algorithm));
        js::define(ctx, o, "length", JS_NewInt64(ctx, d.length));
        return o;
    }
    js::define(ctx, o, "key_algorithm", key_algorithm(ctx, d.algorithm));
    js::define(ctx, o, "algorithm", named(ctx, d.algorithm));
    js::define(ctx, o, "name", js::new_string(ctx, d.algorithm));
    if (d.algorithm == "HMAC") {
        js::define(ctx, o, "hash", key_algorithm(ctx, d.hash));
        js::define(ctx, o, "length", JS_NewInt64(ctx, d.length));
    }
    return o;
}

JSValue usages_array(JSContext* ctx, const std::vector<std::string>& usages) {
    JSValue a = JS_NewArray(ctx);
    for (std::size_t i = 0; i < usages.size(); ++i) {
        JS_SetPropertyUint32(ctx, a, static_cast<std::uint32_t>(i), js::new_string(ctx, usages[i]));
    }
    return a;
}

void define_field(JSContext* ctx, JSValueConst obj, const char* name, JSValue value) {
    JS_DefinePropertyValueStr(ctx, obj, name, value, JS_PROP_WRITABLE | JS_PROP_ENUMERABLE);
}

} // namespace

bool CryptoKeyData::has_usage(std::string_view usage) const {
    return std::find(usages.begin(), usages.end(), usage) != usages.end();
}

void register_crypto_key_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_key_class); });
    JSClassDef def{};
    def.class_name = "CryptoKey";
    def.finalizer = &finalize;
    JS_NewClass(rt, g_key_class, &def);
}

JSValue new_crypto_key(JSContext* ctx, CryptoKeyData data) {
    js::Value obj(ctx, JS_NewObjectClass(ctx, static_cast<int>(g_key_class)));
    if (obj.is_exception()) {
        throw js::PendingException{};
    }
    define_field(ctx, obj.get(), "type", js::new_string(ctx, data.type));
    define_field(ctx, obj.get(), "extractable", JS_NewBool(ctx, data.extractable));
    define_field(ctx, obj.get(), "algorithm", algorithm_object(ctx, data));
    define_field(ctx, obj.get(), "usages", usages_array(ctx, data.usages));
    JS_SetOpaque(obj.get(), new CryptoKeyData(std::move(data)));
    return obj.release();
}

const CryptoKeyData* crypto_key_data(JSValueConst v) {
    return static_cast<const CryptoKeyData*>(JS_GetOpaque(v, g_key_class));
}

std::vector<std::string> key_usages_arg(JSContext* ctx, JSValueConst v) {
    std::vector<std::string> out;
    if (!JS_IsArray(ctx, v)) {
        return out;
    }
    js::Value len(ctx, JS_GetPropertyStr(ctx, v, "length"));
    std::uint32_t n = 0;
    JS_ToUint32(ctx, &n, len.get());
    for (std::uint32_t i = 0; i < n; ++i) {
        js::Value item(ctx, JS_GetPropertyUint32(ctx, v, i));
        out.push_back(go_string_arg(ctx, item.get()));
    }
    return out;
}

} // namespace volley::modules
