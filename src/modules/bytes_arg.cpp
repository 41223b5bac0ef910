#include "modules/bytes_arg.hpp"

#include <cstdint>

#include "js/native.hpp"
#include "js/value.hpp"
#include "util/utf8.hpp"

namespace volley::modules {
namespace {

// Go element types of the typed arrays, by constructor name.
const char* typed_array_go_type(const std::string& ctor) {
    struct Entry {
        const char* js;
        const char* go;
    };
    static constexpr Entry kTypes[] = {
        {"Int8Array", "[]int8"},          {"Uint8Array", "[]uint8"},
        {"Uint8ClampedArray", "[]uint8"}, {"Int16Array", "[]int16"},
        {"Uint16Array", "[]uint16"},      {"Int32Array", "[]int32"},
        {"Uint32Array", "[]uint32"},      {"Float32Array", "[]float32"},
        {"Float64Array", "[]float64"},    {"BigInt64Array", "[]int64"},
        {"BigUint64Array", "[]uint64"},
    };
    for (const auto& t : kTypes) {
        if (ctor == t.js) {
            return t.go;
        }
    }
    return nullptr;
}

bool is_typed_array(JSContext* ctx, JSValueConst v) {
    return js::typed_array_view(ctx, v).has_value();
}

} // namespace

std::string go_type_name(JSContext* ctx, JSValueConst v) {
    if (JS_IsBigInt(ctx, v)) {
        return "*big.Int";
    }
    if (!JS_IsObject(v)) {
        return js::go_export_type(ctx, v);
    }
    if (JS_IsFunction(ctx, v)) {
        return "func(sobek.FunctionCall) sobek.Value";
    }
    if (js::array_buffer_view(ctx, v)) {
        return "sobek.ArrayBuffer";
    }
    std::string ctor = js::constructor_name(ctx, v);
    if (is_typed_array(ctx, v)) {
        if (const char* go = typed_array_go_type(ctor)) {
            return go;
        }
    }
    if (ctor == "Date") {
        return "time.Time";
    }
    return js::go_export_type(ctx, v);
}

std::string to_bytes(JSContext* ctx, JSValueConst v) {
    if (JS_IsString(v)) {
        return go_string_arg(ctx, v);
    }
    if (auto ab = js::array_buffer_view(ctx, v)) {
        return std::string(*ab);
    }
    if (auto view = js::typed_array_view(ctx, v)) {
        std::string ctor = js::constructor_name(ctx, v);
        if (ctor == "Uint8Array" || ctor == "Uint8ClampedArray") {
            return std::string(*view);
        }
    }
    if (JS_IsSymbol(v)) {
        js::Value d(ctx, JS_GetPropertyStr(ctx, v, "description"));
        return JS_IsString(d.get()) ? go_string_arg(ctx, d.get()) : std::string();
    }
    throw js::Error("invalid type " + go_type_name(ctx, v) +
                    ", expected string, []byte or ArrayBuffer");
}

std::string go_string_arg(JSContext* ctx, JSValueConst v) {
    if (js::is_nullish(v)) {
        return {};
    }
    js::Utf8 s(ctx, v);
    if (!s.ok()) {
        throw js::PendingException{};
    }
    return std::string(s.view());
}

JSValue new_array_buffer(JSContext* ctx, std::string_view bytes) {
    return JS_NewArrayBufferCopy(ctx, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                 bytes.size());
}

JSValue new_go_string(JSContext* ctx, std::string_view bytes) {
    if (is_valid_utf8(bytes)) {
        return js::new_string(ctx, bytes);
    }
    std::string fixed;
    fixed.reserve(bytes.size() + 8);
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t len = decode_utf8(bytes, i, cp);
        if (len == 0) {
            fixed += "\xEF\xBF\xBD";
            ++i;
        } else {
            fixed.append(bytes.substr(i, len));
            i += len;
        }
    }
    return js::new_string(ctx, fixed);
}

} // namespace volley::modules
