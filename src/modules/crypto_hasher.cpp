#include "modules/crypto_hasher.hpp"

#include <mutex>
#include <utility>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

JSClassID g_hasher_class = 0;

Digest& self(JSValueConst this_val) {
    auto* d = static_cast<Digest*>(JS_GetOpaque(this_val, g_hasher_class));
    if (d == nullptr) {
        throw js::Error("not a Hasher", js::ErrorKind::kTypeError);
    }
    return *d;
}

void finalize(JSRuntime*, JSValue obj) {
    delete static_cast<Digest*>(JS_GetOpaque(obj, g_hasher_class));
}

JSValue js_update(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    Digest& d = self(this_val);
    d.update(to_bytes(ctx, js::arg(argc, argv, 0)));
    return JS_UNDEFINED;
}

JSValue js_digest(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    Digest& d = self(this_val);
    return encode_digest(ctx, d.sum(), go_string_arg(ctx, js::arg(argc, argv, 0)));
}

// The prototype holds the two functions once; each Hasher gets them as own enumerable
// properties too, as Sobek shows a Go struct's methods (Object.keys(h) is digest, update).
js::Value hasher_proto(JSContext* ctx) {
    js::Value proto(ctx, JS_GetClassProto(ctx, g_hasher_class));
    if (JS_IsObject(proto.get())) {
        return proto;
    }
    JSValue fresh = JS_NewObject(ctx);
    js::set_function<&js_digest>(ctx, fresh, "digest", 1);
    js::set_function<&js_update>(ctx, fresh, "update", 1);
    JS_SetClassProto(ctx, g_hasher_class, JS_DupValue(ctx, fresh));
    return {ctx, fresh};
}

} // namespace

void register_hasher_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_hasher_class); });
    JSClassDef def{};
    def.class_name = "Hasher";
    def.finalizer = &finalize;
    JS_NewClass(rt, g_hasher_class, &def);
}

JSValue new_hasher(JSContext* ctx, std::unique_ptr<Digest> digest) {
    js::Value proto = hasher_proto(ctx);
    js::Value obj(ctx, JS_NewObjectClass(ctx, static_cast<int>(g_hasher_class)));
    if (obj.is_exception()) {
        throw js::PendingException{};
    }
    JS_SetOpaque(obj.get(), digest.release());
    for (const char* name : {"digest", "update"}) {
        js::define(ctx, obj.get(), name, JS_GetPropertyStr(ctx, proto.get(), name));
    }
    return obj.release();
}

JSValue encode_digest(JSContext* ctx, std::string_view sum, const std::string& encoding) {
    if (encoding == "base64") {
        return js::new_string(ctx, base64_encode(sum, Base64::kStd));
    }
    if (encoding == "base64url") {
        return js::new_string(ctx, base64_encode(sum, Base64::kUrl));
    }
    if (encoding == "base64rawurl") {
        return js::new_string(ctx, base64_encode(sum, Base64::kRawUrl));
    }
    if (encoding == "hex") {
        return js::new_string(ctx, hex_encode(sum));
    }
    if (encoding == "binary") {
        return new_array_buffer(ctx, sum);
    }
    throw js::Error("invalid output encoding: " + encoding);
}

} // namespace volley::modules
