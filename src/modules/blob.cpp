#include "modules/blob.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <string_view>

#include "js/native.hpp"
#include "js/value.hpp"

namespace volley::modules {
namespace {

JSClassID g_blob_class = 0;

struct Blob {
    std::string bytes;
    std::string type;
};

Blob& self(JSValueConst this_val) {
    auto* b = static_cast<Blob*>(JS_GetOpaque(this_val, g_blob_class));
    if (b == nullptr) {
        throw js::Error("not a Blob", js::ErrorKind::kTypeError);
    }
    return *b;
}

void finalize(JSRuntime*, JSValue obj) {
    delete static_cast<Blob*>(JS_GetOpaque(obj, g_blob_class));
}

// A promise already resolved with `value` (taken).
JSValue resolved(JSContext* ctx, JSValue value) {
    JSValue funcs[2];
    JSValue promise = JS_NewPromiseCapability(ctx, funcs);
    if (!JS_IsException(promise)) {
        JS_FreeValue(ctx, JS_Call(ctx, funcs[0], JS_UNDEFINED, 1, &value));
        JS_FreeValue(ctx, funcs[0]);
        JS_FreeValue(ctx, funcs[1]);
    }
    JS_FreeValue(ctx, value);
    return promise;
}

// The bytes of one part of `new Blob(parts)` (blob.go's fillData): a string as UTF-8, an
// ArrayBuffer, a typed array's view, a DataView's whole buffer, or a Blob.
std::string part_bytes(JSContext* ctx, JSValueConst part) {
    if (JS_IsString(part)) {
        return js::to_string_lossy(ctx, part);
    }
    if (const std::string* b = blob_bytes(part)) {
        return *b;
    }
    if (auto v = js::array_buffer_view(ctx, part)) {
        return std::string(*v);
    }
    if (auto v = js::typed_array_view(ctx, part)) {
        return std::string(*v);
    }
    if (js::constructor_name(ctx, part) == "DataView") {
        js::Value buffer(ctx, JS_GetPropertyStr(ctx, part, "buffer"));
        if (auto v = js::array_buffer_view(ctx, buffer.get())) {
            return std::string(*v);
        }
    }
    throw js::Error(std::string("failed to process [blobParts]: unsupported type: ") +
                    js::go_export_type(ctx, part));
}

JSValue js_blob(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    std::string bytes;
    JSValueConst parts = js::arg(argc, argv, 0);
    if (!js::is_nullish(parts)) {
        if (!JS_IsArray(ctx, parts)) {
            throw js::Error("failed to process [blobParts]: expected an array");
        }
        js::Value len(ctx, JS_GetPropertyStr(ctx, parts, "length"));
        std::uint32_t n = 0;
        JS_ToUint32(ctx, &n, len.get());
        for (std::uint32_t i = 0; i < n; ++i) {
            js::Value part(ctx, JS_GetPropertyUint32(ctx, parts, i));
            bytes += part_bytes(ctx, part.get());
        }
    }
    std::string type;
    JSValueConst options = js::arg(argc, argv, 1);
    if (argc > 1 && !JS_IsUndefined(options)) {
        if (!JS_IsObject(options) || JS_IsArray(ctx, options) || JS_IsFunction(ctx, options)) {
            throw js::Error("[options] must be an object");
        }
        js::Value t(ctx, JS_GetPropertyStr(ctx, options, "type"));
        if (!JS_IsUndefined(t.get())) {
            type = js::to_string_lossy(ctx, t.get());
        }
    }
    return new_blob(ctx, std::move(bytes), std::move(type));
}

JSValue js_size(JSContext* ctx, JSValueConst this_val) {
    return JS_NewInt64(ctx, static_cast<std::int64_t>(self(this_val).bytes.size()));
}

JSValue js_type(JSContext* ctx, JSValueConst this_val) {
    return js::new_string(ctx, self(this_val).type);
}

JSValue js_text(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    return resolved(ctx, js::new_string(ctx, self(this_val).bytes));
}

JSValue js_array_buffer(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    const std::string& b = self(this_val).bytes;
    return resolved(
        ctx, JS_NewArrayBufferCopy(ctx, reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
}

JSValue js_bytes(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
    const std::string& b = self(this_val).bytes;
    JSValue buf =
        JS_NewArrayBufferCopy(ctx, reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::Value ctor(ctx, JS_GetPropertyStr(ctx, global.get(), "Uint8Array"));
    JSValue arr = JS_CallConstructor(ctx, ctor.get(), 1, &buf);
    JS_FreeValue(ctx, buf);
    if (JS_IsException(arr)) {
        return arr;
    }
    return resolved(ctx, arr);
}

// slice(start, end, contentType): ToInteger of each, negatives from the end, then clamped to
// the blob (k6's Go slice panics on a range outside it; volley clamps, as the File API does).
JSValue js_slice(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
    const Blob& b = self(this_val);
    auto size = static_cast<std::int64_t>(b.bytes.size());
    auto index = [&](int i, std::int64_t fallback) {
        JSValueConst v = js::arg(argc, argv, i);
        if (JS_IsUndefined(v)) {
            return fallback;
        }
        std::int64_t x = 0;
        if (JS_ToInt64(ctx, &x, v) < 0) {
            throw js::PendingException{};
        }
        return std::clamp(x < 0 ? size + x : x, std::int64_t{0}, size);
    };
    std::int64_t start = index(0, 0);
    std::int64_t end = std::max(start, index(1, size));
    JSValueConst ct = js::arg(argc, argv, 2);
    std::string type = JS_IsUndefined(ct) ? std::string() : js::to_string_lossy(ctx, ct);
    return new_blob(
        ctx, b.bytes.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)),
        std::move(type));
}

void fill_proto(JSContext* ctx, JSValueConst proto) {
    js::define_accessor<&js_size>(ctx, proto, "size");
    js::define_accessor<&js_type>(ctx, proto, "type");
    js::set_function<&js_text>(ctx, proto, "text", 0);
    js::set_function<&js_array_buffer>(ctx, proto, "arrayBuffer", 0);
    js::set_function<&js_bytes>(ctx, proto, "bytes", 0);
    js::set_function<&js_slice>(ctx, proto, "slice", 3);
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    js::Value symbol(ctx, JS_GetPropertyStr(ctx, global.get(), "Symbol"));
    js::Value tag(ctx, JS_GetPropertyStr(ctx, symbol.get(), "toStringTag"));
    JSAtom a = JS_ValueToAtom(ctx, tag.get());
    JS_DefinePropertyValue(ctx, proto, a, JS_NewString(ctx, "Blob"), JS_PROP_CONFIGURABLE);
    JS_FreeAtom(ctx, a);
}

} // namespace

void register_blob_class(JSRuntime* rt) {
    static std::once_flag once;
    std::call_once(once, [] { JS_NewClassID(&g_blob_class); });
    JSClassDef def{};
    def.class_name = "Blob";
    def.finalizer = &finalize;
    JS_NewClass(rt, g_blob_class, &def);
}

JSValue blob_constructor(JSContext* ctx) {
    js::Value proto(ctx, JS_GetClassProto(ctx, g_blob_class)); // null until made here
    if (JS_IsObject(proto.get())) {
        return JS_GetPropertyStr(ctx, proto.get(), "constructor");
    }
    JSValue fresh = JS_NewObject(ctx);
    fill_proto(ctx, fresh);
    JSValue c =
        JS_NewCFunction2(ctx, &js::guarded<&js_blob>, "Blob", 2, JS_CFUNC_constructor_or_func, 0);
    JS_SetConstructor(ctx, c, fresh);
    JS_SetClassProto(ctx, g_blob_class, fresh);
    return c;
}

JSValue new_blob(JSContext* ctx, std::string bytes, std::string type) {
    js::Value ctor(ctx, blob_constructor(ctx)); // makes the class prototype once
    JSValue obj = JS_NewObjectClass(ctx, static_cast<int>(g_blob_class));
    if (!JS_IsException(obj)) {
        JS_SetOpaque(obj, new Blob{std::move(bytes), std::move(type)});
    }
    return obj;
}

const std::string* blob_bytes(JSValueConst v) {
    auto* b = static_cast<Blob*>(JS_GetOpaque(v, g_blob_class));
    return b != nullptr ? &b->bytes : nullptr;
}

} // namespace volley::modules
