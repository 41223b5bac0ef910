#include "modules/webcrypto.hpp"

#include <cstdint>
#include <string>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_subtle.hpp"

namespace volley::modules {
namespace {

constexpr std::uint32_t kMaxRandomValues = 65536;

[[noreturn]] void throw_named(const std::string& name, const std::string& message) {
    throw js::Error(name + ": " + message);
}

// The typed arrays getRandomValues accepts (k6 checks `instanceof` each constructor).
bool accepted_typed_array(JSContext* ctx, JSValueConst v) {
    if (!js::typed_array_view(ctx, v)) {
        return false;
    }
    static constexpr std::string_view kAccepted[] = {
        "Int8Array",   "Uint8Array", "Uint8ClampedArray", "Int16Array",
        "Uint16Array", "Int32Array", "Uint32Array"};
    std::string ctor = js::constructor_name(ctx, v);
    for (std::string_view a : kAccepted) {
        if (ctor == a) {
            return true;
        }
    }
    return false;
}

// As k6: each element is set to one random byte (0..255), whatever the element size, and the
// limit counts elements.
JSValue js_get_random_values(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    JSValueConst array = js::arg(argc, argv, 0);
    if (!accepted_typed_array(ctx, array)) {
        throw_named("TypeMismatchError", "typedArray parameter isn't a TypedArray instance");
    }
    js::Value len_value(ctx, JS_GetPropertyStr(ctx, array, "length"));
    std::uint32_t len = 0;
    if (JS_ToUint32(ctx, &len, len_value.get()) < 0) {
        throw js::PendingException{};
    }
    if (len > kMaxRandomValues) {
        throw_named("QuotaExceededError", "typedArray parameter is too big; maximum length is " +
                                              std::to_string(kMaxRandomValues));
    }
    std::string bytes = random_bytes(len);
    for (std::uint32_t i = 0; i < len; ++i) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (JS_SetPropertyUint32(ctx, array, i, JS_NewInt32(ctx, b)) < 0) {
            throw js::PendingException{};
        }
    }
    return JS_DupValue(ctx, array);
}

// An RFC 4122 version 4 UUID (Go's uuid.New()).
JSValue js_random_uuid(JSContext* ctx, JSValueConst, int, JSValueConst*) {
    return js::new_string(ctx, random_uuid());
}

void define_read_only(JSContext* ctx, JSValueConst obj, const char* name, JSValue value) {
    JS_DefinePropertyValueStr(ctx, obj, name, value, JS_PROP_ENUMERABLE);
}

// k6 exposes its Go CryptoKey zero value here.
JSValue crypto_key_placeholder(JSContext* ctx) {
    JSValue key = JS_NewObject(ctx);
    js::define(ctx, key, "type", JS_NewString(ctx, ""));
    js::define(ctx, key, "extractable", JS_FALSE);
    js::define(ctx, key, "algorithm", JS_NULL);
    js::define(ctx, key, "usages", JS_NewArray(ctx));
    return key;
}

int init_experimental_webcrypto(JSContext* ctx, JSModuleDef*) {
    js::throw_error(ctx, js::ErrorKind::kGoError,
                    "k6/experimental/webcrypto has been graduated and it's now globally available "
                    "as defined by standard WebAPIs. You just need to remove the import.");
    return -1;
}

JSValue new_crypto_object(JSContext* ctx) {
    JSValue crypto = JS_NewObject(ctx);
    define_read_only(ctx, crypto, "getRandomValues",
                     js::new_function<&js_get_random_values>(ctx, "getRandomValues", 1));
    define_read_only(ctx, crypto, "randomUUID",
                     js::new_function<&js_random_uuid>(ctx, "randomUUID", 0));
    define_read_only(ctx, crypto, "subtle", new_subtle_crypto(ctx));
    define_read_only(ctx, crypto, "CryptoKey", crypto_key_placeholder(ctx));
    return crypto;
}

// Replaces the lazy accessor with a data property holding `value`.
void settle_crypto_global(JSContext* ctx, JSValue value) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    JS_DefinePropertyValueStr(ctx, global.get(), "crypto", value, JS_PROP_C_W_E);
}

JSValue get_crypto_global(JSContext* ctx, JSValueConst /*this_val*/) {
    JSValue crypto = new_crypto_object(ctx);
    settle_crypto_global(ctx, JS_DupValue(ctx, crypto));
    return crypto;
}

JSValue set_crypto_global(JSContext* ctx, JSValueConst /*this_val*/, JSValueConst value) {
    settle_crypto_global(ctx, JS_DupValue(ctx, value));
    return JS_UNDEFINED;
}

} // namespace

void install_crypto_global(JSContext* ctx) {
    // Built on first use: most scripts never touch it, and every VU would pay for its dozen
    // functions. Until then `crypto` is a configurable accessor that replaces itself with the
    // plain data property k6 has (writable, enumerable, configurable).
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    JSCFunctionType g{};
    g.getter = &js::guarded_getter<&get_crypto_global>;
    JSCFunctionType st{};
    st.setter = &js::guarded_setter<&set_crypto_global>;
    JSAtom a = JS_NewAtom(ctx, "crypto");
    JS_DefinePropertyGetSet(ctx, global.get(), a,
                            JS_NewCFunction2(ctx, g.generic, "crypto", 0, JS_CFUNC_getter, 0),
                            JS_NewCFunction2(ctx, st.generic, "crypto", 1, JS_CFUNC_setter, 0),
                            JS_PROP_CONFIGURABLE | JS_PROP_ENUMERABLE);
    JS_FreeAtom(ctx, a);
}

js::NativeModule experimental_webcrypto_module() {
    return {"k6/experimental/webcrypto", {"crypto"}, &init_experimental_webcrypto};
}

} // namespace volley::modules
