#include "js/value.hpp"

#include <cmath>

#include "js/runtime.hpp"

namespace volley::js {

std::optional<std::string> to_string(JSContext* ctx, JSValueConst v) {
    size_t len = 0;
    const char* s = JS_ToCStringLen(ctx, &len, v);
    if (s == nullptr) {
        return std::nullopt;
    }
    std::string out(s, len);
    JS_FreeCString(ctx, s);
    return out;
}

std::string to_string_lossy(JSContext* ctx, JSValueConst v) {
    if (auto s = to_string(ctx, v)) {
        return *s;
    }
    JS_FreeValue(ctx, JS_GetException(ctx));
    return "[object]";
}

std::optional<std::string> json_stringify(JSContext* ctx, JSValueConst v) {
    Value s(ctx, JS_JSONStringify(ctx, v, JS_UNDEFINED, JS_UNDEFINED));
    if (s.is_exception() || s.is_undefined()) {
        return std::nullopt;
    }
    return to_string(ctx, s.get());
}

namespace {

JSValue get_property(JSContext* ctx, JSValueConst obj, std::string_view name) {
    JSAtom a = atom(ctx, name);
    JSValue v = JS_GetProperty(ctx, obj, a);
    JS_FreeAtom(ctx, a);
    return v;
}

} // namespace

std::string constructor_name(JSContext* ctx, JSValueConst v) {
    if (JS_IsNull(v)) {
        return "null";
    }
    if (JS_IsUndefined(v)) {
        return "undefined";
    }
    if (JS_IsBool(v)) {
        return "Boolean";
    }
    if (JS_IsNumber(v)) {
        return "Number";
    }
    if (JS_IsString(v)) {
        return "String";
    }
    if (JS_IsSymbol(v)) {
        return "Symbol";
    }
    Value ctor(ctx, get_property(ctx, v, "constructor"));
    if (ctor.is_exception()) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return "Object";
    }
    Value name(ctx, get_property(ctx, ctor.get(), "name"));
    if (name.is_exception() || !JS_IsString(name.get())) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return "Object";
    }
    return to_string_lossy(ctx, name.get());
}

} // namespace volley::js

namespace volley::js {

bool own_keys(JSContext* ctx, JSValueConst obj, std::vector<std::string>& out) {
    JSPropertyEnum* props = nullptr;
    uint32_t count = 0;
    if (JS_GetOwnPropertyNames(ctx, &props, &count, obj, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) <
        0) {
        return false;
    }
    for (uint32_t i = 0; i < count; ++i) {
        const char* key = JS_AtomToCString(ctx, props[i].atom);
        out.emplace_back(key != nullptr ? key : "");
        JS_FreeCString(ctx, key);
        JS_FreeAtom(ctx, props[i].atom);
    }
    js_free(ctx, props);
    return true;
}

std::optional<std::string_view> array_buffer_view(JSContext* ctx, JSValueConst v) {
    if (!JS_IsObject(v)) {
        return std::nullopt;
    }
    std::size_t size = 0;
    if (std::uint8_t* p = JS_GetArrayBuffer(ctx, &size, v)) {
        return std::string_view(reinterpret_cast<const char*>(p), size);
    }
    JS_FreeValue(ctx, JS_GetException(ctx));
    return std::nullopt;
}

std::optional<std::string_view> typed_array_view(JSContext* ctx, JSValueConst v) {
    if (!JS_IsObject(v)) {
        return std::nullopt;
    }
    std::size_t offset = 0;
    std::size_t length = 0;
    std::size_t per = 0;
    Value buf(ctx, JS_GetTypedArrayBuffer(ctx, v, &offset, &length, &per));
    if (buf.is_exception()) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return std::nullopt;
    }
    auto whole = array_buffer_view(ctx, buf.get());
    if (!whole || offset + length > whole->size()) {
        return std::nullopt;
    }
    return whole->substr(offset, length);
}

void define(JSContext* ctx, JSValueConst obj, std::string_view name, JSValue value) {
    JSAtom a = atom(ctx, name);
    JS_DefinePropertyValue(ctx, obj, a, value, JS_PROP_C_W_E);
    JS_FreeAtom(ctx, a);
}

const char* go_export_type(JSContext* ctx, JSValueConst v) {
    if (is_nullish(v)) {
        return "<nil>";
    }
    if (JS_IsBool(v)) {
        return "bool";
    }
    if (JS_IsNumber(v)) {
        double d = 0;
        JS_ToFloat64(ctx, &d, v);
        bool integral = std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18;
        return integral ? "int64" : "float64";
    }
    if (JS_IsString(v)) {
        return "string";
    }
    return JS_IsArray(ctx, v) ? "[]interface {}" : "map[string]interface {}";
}

} // namespace volley::js
