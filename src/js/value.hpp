#pragma once

// RAII ownership of QuickJS values and small conversions. A Value owns exactly one reference and
// frees it on destruction; it must be destroyed on the thread (and before the runtime) of its
// context.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quickjs.h"

namespace volley::js {

class Value {
public:
    Value() = default;
    // Takes ownership of `v`.
    Value(JSContext* ctx, JSValue v) : ctx_(ctx), v_(v) {}
    // A new reference to a borrowed value.
    static Value dup(JSContext* ctx, JSValueConst v) { return Value(ctx, JS_DupValue(ctx, v)); }

    Value(Value&& o) noexcept : ctx_(o.ctx_), v_(o.release()) {}
    Value& operator=(Value&& o) noexcept {
        if (this != &o) {
            reset();
            ctx_ = o.ctx_;
            v_ = o.release();
        }
        return *this;
    }
    Value(const Value&) = delete;
    Value& operator=(const Value&) = delete;
    ~Value() { reset(); }

    JSValueConst get() const { return v_; }
    JSContext* context() const { return ctx_; }
    // Gives up ownership.
    JSValue release() {
        JSValue v = v_;
        v_ = JS_UNDEFINED;
        return v;
    }
    void reset() {
        if (ctx_ != nullptr) {
            JS_FreeValue(ctx_, v_);
        }
        v_ = JS_UNDEFINED;
    }
    bool is_exception() const { return JS_IsException(v_); }
    bool is_undefined() const { return JS_IsUndefined(v_); }

    Value property(const char* name) const {
        return Value(ctx_, JS_GetPropertyStr(ctx_, v_, name));
    }

private:
    JSContext* ctx_ = nullptr;
    JSValue v_ = JS_UNDEFINED;
};

// JS ToString of `v` as UTF-8. Returns nullopt if the conversion threw (the exception stays
// pending in the context).
std::optional<std::string> to_string(JSContext* ctx, JSValueConst v);

// JS ToString of `v` as UTF-8, borrowed from QuickJS without a copy (for an ASCII string, the
// string's own bytes). Check ok() first: false means the conversion threw (exception pending).
class Utf8 {
public:
    Utf8(JSContext* ctx, JSValueConst v) : ctx_(ctx), p_(JS_ToCStringLen(ctx, &n_, v)) {}
    Utf8(const Utf8&) = delete;
    Utf8& operator=(const Utf8&) = delete;
    ~Utf8() {
        if (p_ != nullptr) {
            JS_FreeCString(ctx_, p_);
        }
    }
    bool ok() const { return p_ != nullptr; }
    std::string_view view() const { return {p_, n_}; }

private:
    JSContext* ctx_;
    std::size_t n_ = 0;
    const char* p_;
};

// ToString that never fails: a throwing conversion yields "[object]" and clears the exception.
std::string to_string_lossy(JSContext* ctx, JSValueConst v);

// A new JS string from UTF-8 bytes.
inline JSValue new_string(JSContext* ctx, std::string_view s) {
    return JS_NewStringLen(ctx, s.data(), s.size());
}

// JSON.stringify(v) as a string; nullopt if it threw or gave undefined.
std::optional<std::string> json_stringify(JSContext* ctx, JSValueConst v);

// True for null and undefined.
inline bool is_nullish(JSValueConst v) {
    return JS_IsNull(v) || JS_IsUndefined(v);
}

// Constructor name of an object (`Uint8Array`, `Object`, ...), "null"/"undefined" for those,
// else the primitive's wrapper name (`Number`, `String`, `Boolean`, `Symbol`).
std::string constructor_name(JSContext* ctx, JSValueConst v);

} // namespace volley::js

namespace volley::js {

// The own enumerable string keys of `obj`, in property order. False (exception pending) on
// failure.
bool own_keys(JSContext* ctx, JSValueConst obj, std::vector<std::string>& out);

// The bytes of an ArrayBuffer; nullopt for anything else. Valid while the buffer lives and is
// not detached or resized.
std::optional<std::string_view> array_buffer_view(JSContext* ctx, JSValueConst v);

// The bytes a typed array views (its offset and length); nullopt for anything else, a DataView
// included. Valid as array_buffer_view's.
std::optional<std::string_view> typed_array_view(JSContext* ctx, JSValueConst v);

// Defines own property `name` of `obj` (writable, enumerable, configurable), taking `value`;
// the name's atom comes from the runtime's cache (Runtime::atom).
void define(JSContext* ctx, JSValueConst obj, std::string_view name, JSValue value);

// The Go type Sobek's Export() gives `v`, as k6's "unsupported type" errors name it: "<nil>",
// "bool", "int64" (an integral number), "float64", "string", "[]interface {}" (an array) or
// "map[string]interface {}" (any other object).
const char* go_export_type(JSContext* ctx, JSValueConst v);

} // namespace volley::js
